"""A hint that says what to write writes a link that works: a heading holding a link is offered as
Obsidian matches it, and a path keeps the link's heading and display text."""

from __future__ import annotations

from kbsleep.lint import lint
from kbsleep.wiki import open_wiki


def _hints(root, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.hint or "" for d in lint(open_wiki(root)).diagnostics if d.name == name]


def test_a_heading_that_holds_a_link_is_offered_as_a_link_can_write_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"P.md": "## See [[Other|x]] now\n\ntext\n", "Other.md": "# Other\n\nSee [[P#See Other x no]].\n"})
    assert _hints(root, "broken-anchor") == ["did you mean `#See Other x now`?"]


def test_the_path_an_ambiguous_link_should_write_keeps_its_heading_and_display(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "a/Plan.md": "# Plan\n\n## Goals\n\nx\n", "archive/Plan.md": "# Plan\n\ny\n",
        "Home.md": "# Home\n\n[[Plan#Goals|our goals]] and [[a/Plan]] and [[archive/Plan]].\n",
    })  # fmt: skip
    assert _hints(root, "ambiguous-link") == ["write the path: `[[a/Plan#Goals|our goals]]`"]


def test_a_page_s_own_alias_as_a_link_is_reported_without_a_fix_that_would_link_it_to_itself(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "timhor.md": "---\naliases:\n- Tim Hor\n---\n# timhor\n\nGitHub profile of [[Tim Hor]]. See [[Other name]].\n",
        "other.md": "---\naliases:\n- Other name\n---\n# other\n\nBack to [[timhor]].\n",
    })  # fmt: skip
    found = [(d.hint, d.fix) for d in lint(open_wiki(root)).diagnostics if d.name == "alias-link"]
    assert [hint for hint, _ in found] == ["it names this page itself: write `Tim Hor` without the link", "write `[[other|Other name]]`"]
    assert [bool(fix) for _, fix in found] == [False, True]
