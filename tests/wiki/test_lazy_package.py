"""`kbsleep.wiki` imports what a load is built from only when a load (or a caller) needs it:
the one wikilink grammar, which search imports to read links in passages, comes without them."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOAD_MODULES = ("kbsleep.wiki.cache", "kbsleep.wiki.discovery", "kbsleep.wiki.graph", "kbsleep.wiki.page", "kbsleep.wiki.parsing",
                "kbsleep.wiki.outcomes", "kbsleep.wiki.resolve", "kbsleep.forked", "pickle")  # fmt: skip


def imported(code: str) -> list[str]:
    code += f"\nimport sys\nprint(sorted(m for m in {LOAD_MODULES!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return ast.literal_eval(done.stdout.strip().splitlines()[-1])


def test_the_wikilink_grammar_comes_without_the_load_modules() -> None:
    assert imported("from kbsleep.wiki.wikilink import replace_wikilinks") == []
    assert imported("import kbsleep.search.units") == []


def test_a_load_imports_them() -> None:
    assert imported("from kbsleep.wiki import take_snapshot; take_snapshot('sample_wiki')") != []


@pytest.mark.parametrize(("name", "home"), [
    ("Page", "kbsleep.wiki.page"), ("Link", "kbsleep.wiki.page"), ("Problem", "kbsleep.wiki.page"),
    ("ResolvedLink", "kbsleep.wiki.resolve"), ("Resolver", "kbsleep.wiki.resolve"),
    ("collector_paused", "kbsleep.wiki.parsing"), ("parse_rows", "kbsleep.wiki.parsing"),
    ("Backlinks", "kbsleep.wiki.graph"), ("Outlinks", "kbsleep.wiki.graph"),
    ("discover", "kbsleep.wiki.discovery"), ("git_toplevel", "kbsleep.wiki.discovery"), ("names_of", "kbsleep.wiki.outcomes"),
])  # fmt: skip
def test_the_names_it_always_offered_are_still_its_own(name: str, home: str) -> None:
    import importlib

    import kbsleep.wiki

    assert getattr(kbsleep.wiki, name) is getattr(importlib.import_module(home), name)


def test_a_name_it_never_had_is_an_attribute_error() -> None:
    import kbsleep.wiki

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        kbsleep.wiki.nothing  # noqa: B018
