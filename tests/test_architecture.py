"""The house rules every module of the package keeps: one concept per module, small enough to
read at a sitting (at most 400 lines), and one wikilink grammar (`kbsleep/wiki/wikilink.py`),
so no other module matches `[[...]]` with a regex of its own."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kbsleep"
MAX_LINES = 400
THE_GRAMMAR = "wiki/wikilink.py"


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def wikilink_patterns(source: str) -> list[int]:
    """The lines of string constants that spell a wikilink's opening as a regex does: `\\[\\[`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
            text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
            if r"\[\[" in text:
                found.append(node.lineno)
    return sorted(found)


def test_every_module_of_the_package_is_at_most_400_lines() -> None:
    lines = {str(p.relative_to(PACKAGE)): len(p.read_text(encoding="utf-8").splitlines()) for p in modules()}
    assert len(lines) > 50  # the walk found the package
    assert {path: n for path, n in lines.items() if n > MAX_LINES} == {}


def test_a_wikilink_regex_is_found_however_it_is_spelled() -> None:
    source = (
        'import re\n'
        'RAW = re.compile(r"\\[\\[([^\\]]+)\\]\\]")\n'  # r"\[\[([^\]]+)\]\]"
        'ESCAPED = "\\\\[\\\\[(.*?)\\\\]\\\\]"\n'  # "\\[\\[(.*?)\\]\\]"
        'def f(name):\n'
        '    return re.compile(rf"!?\\[\\[{name}")\n'  # part of an f-string
        'BYTES = rb"\\[\\["\n'
    )
    assert wikilink_patterns(source) == [2, 3, 5, 6]


def test_wikilink_text_that_is_not_a_regex_is_not_a_wikilink_regex() -> None:
    source = (
        'LINK = "[[Cobalt#Licensing]]"\n'  # a link written into a page
        'CITE = f"{text} [[{cite}]]"\n'
        'LIST = r"\\[[^\\]]*\\]"\n'  # one bracket: a Markdown link's text, or a callout's marker
        '"""A docstring that explains [[Page]] links."""\n'
    )
    assert wikilink_patterns(source) == []


def test_only_the_wikilink_module_holds_a_wikilink_regex() -> None:
    holders = {str(p.relative_to(PACKAGE)): lines for p in modules() if (lines := wikilink_patterns(p.read_text(encoding="utf-8")))}
    assert set(holders) == {THE_GRAMMAR}
