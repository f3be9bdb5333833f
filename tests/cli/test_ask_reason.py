"""`kbsleep ask` says why the wiki does not answer, on stderr, where it knows why."""

from __future__ import annotations

import pytest

from kbsleep.cli import main
from tests.ask.support import wiki_files


def test_not_in_the_wiki_says_why(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(wiki_files())
    assert main(["--wiki", str(root), "ask", "--no-log", "How much does a Cobalt licence cost?"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Not in the wiki:")
    assert "(not in the wiki: no passage about the question holds the money asked for; " in err


def test_when_nothing_was_found_it_says_so(make_repo, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(wiki_files())
    assert main(["--wiki", str(root), "ask", "--no-log", "Who won the 1998 football world cup?"]) == 0
    assert "(not in the wiki: no section of the wiki matches the question; " in capsys.readouterr().err
