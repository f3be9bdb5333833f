"""Passes and lint leave an example of a kbsleep fence alone, and a stray marker never costs text.

A page that documents the answer section (the fence in a code block) keeps its example byte for
byte while `anticipate` writes and rewrites the real section; a stray opening comment makes no
run delete the text after it; a page that ends inside a code block gets no section it could not
read back (today's code appends one on every run). The same for consolidate's `index` task and
lint's `stale-generated` rule, for every fence kbsleep writes.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kbsleep.lint import lint
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.consolidate import Options as Tidy, consolidate
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from tests.conftest import git

EXAMPLE = (
    "```markdown\n"
    "<!-- kbsleep:anticipate v=1 source=3f2a9c0000000000 body=81be070000000000 -->\n"
    "## Anticipated questions\n"
    "```\n"
)
DOCS = (
    "# Answer Sections\n\nThe Answer Sections page explains what kbsleep writes.\n\n"
    "## Format\n\nThe section starts like this:\n\n" + EXAMPLE + "\nUser text after the example stays.\n\n"
    "## History\n\nIt was written in 2001.\n"
)
STRAY = (
    "# Stray Marker\n\nThe Stray Marker page holds a stray comment.\n\n"
    "<!-- kbsleep:anticipate v=1 source=0 body=0 -->\n\n"
    "User text after the stray comment stays.\n\n## History\n\nIt was written in 2002.\n"
)
OPEN_CODE = "# Open Code\n\nThe Open Code page ends inside a code block.\n\n## Example\n\nThe example prints one line.\n\n```python\nprint('left open')\n"
TODAY = datetime.date(2026, 3, 20)


def run(root: Path, **options):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root)), Options(**options))


def edit(root: Path, name: str, old: str, new: str) -> None:
    page = root / name
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace(old, new, 1), encoding="utf-8")  # the first: the user's text, not the answers
    git(root, "commit", "-qam", f"edit {name}")


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo({"docs.md": DOCS, "stray.md": STRAY, "open.md": OPEN_CODE})


def test_a_page_showing_the_fence_in_a_code_block_keeps_its_example_while_its_section_is_rewritten(repo: Path) -> None:
    run(repo)
    first = (repo / "docs.md").read_text(encoding="utf-8")
    assert first.startswith(DOCS + "\n<!-- kbsleep:anticipate v=1 source=")
    edit(repo, "docs.md", "written in 2001", "written in 2011")
    outcome = run(repo, paths=("docs.md",))
    assert [(w.path, w.reason) for w in outcome.written] == [("docs.md", "page changed")]
    text = (repo / "docs.md").read_text(encoding="utf-8")
    assert text.startswith(DOCS.replace("2001", "2011") + "\n<!-- kbsleep:anticipate v=1 source=")
    assert text.count(EXAMPLE) == 1 and text.count("<!-- /kbsleep:anticipate -->") == 1
    assert "It was written in 2011. [[docs#History]]" in text


def test_a_stray_opening_comment_never_makes_a_run_delete_the_text_after_it(repo: Path) -> None:
    run(repo)
    edit(repo, "stray.md", "written in 2002", "written in 2012")
    outcome = run(repo, paths=("stray.md",))
    assert [(w.path, w.reason) for w in outcome.written] == [("stray.md", "page changed")]
    text = (repo / "stray.md").read_text(encoding="utf-8")
    assert text.startswith(STRAY.replace("2002", "2012") + "\n<!-- kbsleep:anticipate v=1 source=")
    assert text.count("<!-- kbsleep:anticipate") == 2 and text.count("<!-- /kbsleep:anticipate -->") == 1


def test_a_page_ending_inside_a_code_block_gets_no_section_it_could_not_read_back(repo: Path) -> None:
    for _ in range(2):
        outcome = run(repo, paths=("open.md",))
        assert outcome.written == ()
        assert [(s.path, s.reason) for s in outcome.skipped] == [
            ("open.md", "not written: the new `anticipate` section (line 12) would not be read back as one: the text before it leaves a code block or comment open")
        ]
        assert (repo / "open.md").read_text(encoding="utf-8") == OPEN_CODE


def test_lint_judges_no_example_fence_and_still_finds_a_stale_section(repo: Path) -> None:
    names = ("anticipate", "index", "conflict")
    examples = "".join(f"```\n<!-- kbsleep:{n} v=1 source=0000000000000000 -->\n<!-- /kbsleep:{n} -->\n```\n\nand `<!-- kbsleep:{n} source=0 -->` inline.\n\n" for n in names)
    (repo / "examples.md").write_text("# Examples\n\n" + examples + "[[docs]] [[stray]] [[open]]\n", encoding="utf-8")
    (repo / "stale.md").write_text("# Stale\n\nText. [[examples]]\n\n<!-- kbsleep:conflict source=0000000000000000 -->\n> x\n<!-- /kbsleep:conflict -->\n", encoding="utf-8")
    found = [(d.path, d.location.line) for d in lint(open_wiki(repo)).diagnostics if d.name == "stale-generated"]
    assert found == [("stale.md", 5)]


# -- consolidate's index task ----------------------------------------------------------------------

INDEX_CASES = {
    "an example in a code block": "# Index\n\n```\n<!-- kbsleep:index v=1 -->\n```\n\nHand notes to keep.\n\n<!-- /kbsleep:index -->\n\nTail kept.\n",
    "an opening comment sharing its line": "# Index\n\nIntro <!-- kbsleep:index v=1 --> keep this line.\n\nHand notes to keep.\n\n<!-- /kbsleep:index -->\n\nTail kept.\n",
    "Obsidian comments": "# Index\n\n%% kbsleep:index %%\n\nHand notes to keep.\n\n%% /kbsleep:index %%\n\nTail kept.\n",
    "a stray opening comment": "# Index\n\n<!-- kbsleep:index v=1 -->\n\nHand notes to keep.\n\nTail kept.\n",
}


@pytest.mark.parametrize("index", INDEX_CASES.values(), ids=INDEX_CASES.keys())
def test_the_index_task_keeps_every_hand_written_line_around_what_only_looks_like_its_fence(make_repo, index: str) -> None:
    repo = make_repo({"index.md": index}, fixture="consolidate/wiki")
    wiki = open_wiki(repo)
    consolidate(wiki, select_engine(wiki.config.llm, "offline"), Tidy(only=("index",), today=TODAY))
    text = (repo / "index.md").read_text(encoding="utf-8")
    assert text.startswith(index + "\n<!-- kbsleep:index v=1 source=")
    assert text.endswith("<!-- /kbsleep:index -->\n") and "### vehicles\n\n- [[Kestrel Rover]]" in text


def test_the_index_task_leaves_an_index_that_ends_inside_a_code_block_and_says_why(make_repo) -> None:
    index = "# Index\n\nHand notes.\n\n```\nleft open\n"
    repo = make_repo({"index.md": index}, fixture="consolidate/wiki")
    wiki = open_wiki(repo)
    report = consolidate(wiki, select_engine(wiki.config.llm, "offline"), Tidy(only=("index",), today=TODAY))
    (step,) = report.steps
    assert step.outcome.summary == "catalogue not regenerated" and step.commit is None
    assert [(left.path, left.reason) for left in step.outcome.left] == [
        ("index.md", "the page would not read its catalogue as one (is a code block left open above it?)")
    ]
    assert (repo / "index.md").read_text(encoding="utf-8") == index
