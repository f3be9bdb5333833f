"""A page changed on disk after the wiki was loaded (a user's commit while a pass runs): every
read of its text says so, the second as clearly as the first."""

from __future__ import annotations

import pytest

from kbsleep.config import Config
from kbsleep.errors import KbsleepError
from kbsleep.wiki import load_wiki, take_snapshot


def test_every_read_of_a_page_changed_behind_the_snapshot_is_the_same_clear_error(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import kbsleep.wiki.load

    monkeypatch.setattr(kbsleep.wiki.load, "RACY_NS", 0)  # trust a status just written (its ctime is now)
    root = make_repo({"A.md": "# A\n\nsome text\n"})
    load_wiki(root)  # remembers A.md's status and blob: the next load reads its text when first used
    page = load_wiki(snapshot=take_snapshot(root, config=Config())).pages["A.md"]
    (root / "A.md").write_text("# A\n\nother text, committed while kbsleep ran\n")
    for read in (lambda: page.text, lambda: page.lines, lambda: page.text):
        with pytest.raises(KbsleepError, match="A.md changed while kbsleep was reading the wiki"):
            read()
