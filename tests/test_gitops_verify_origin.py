"""`transaction.verify` against planned bytes (`read`) and against the file an edit moves (`origin`)."""

from __future__ import annotations

import pytest

from kbsleep.git import transaction
from kbsleep.errors import KbsleepError
from kbsleep.git.transaction import Edit, Plan, Refused
from kbsleep.wiki.spans import OutsideSpans
from tests.conftest import git

NOTE = b"\xef\xbb\xbfA note.\r\n"
SAME = OutsideSpans("the note it moves", ())


def test_a_moved_file_must_keep_the_bytes_of_its_origin(make_repo) -> None:
    root = make_repo({"inbox/note.md": NOTE})
    exact = Edit("archive/note.md", NOTE.decode("utf-8"), keep=SAME, origin="inbox/note.md")
    lossy = Edit("archive/other.md", "A note.\n", keep=SAME, origin="inbox/note.md")
    gone = Edit("archive/gone.md", "A note.\n", keep=SAME, origin="inbox/gone.md")
    kept, refused = transaction.verify(root, [exact, lossy, gone])
    assert kept == (exact,)
    assert refused == (
        Refused("archive/other.md", "its bytes outside the note it moves would change (first at line 1, column 1)"),
        Refused("archive/gone.md", "inbox/gone.md is gone"),
    )


def test_read_gives_the_bytes_an_edit_is_checked_against(make_repo) -> None:
    root = make_repo({"page.md": "# Page\n"})
    planned = {"page.md": b"# Page\n\nAdded by an earlier step.\n"}
    edit = Edit("page.md", "# Page\n\nAdded by an earlier step.\n\nMore.\n", keep=OutsideSpans("the end", ((32, 32),)))
    assert transaction.verify(root, [edit], read=planned.get) == ((edit,), ())
    assert transaction.verify(root, [edit])[1] == (Refused("page.md", "the spans planned for the end are not in the file as it is now (changed since?)"),)


def test_apply_writes_a_move_whose_bytes_are_its_origins_and_refuses_one_that_are_not(make_repo) -> None:
    root = make_repo({"inbox/note.md": NOTE})
    head = git(root, "rev-parse", "HEAD")
    lossy = Plan("consolidate", "move", (Edit("inbox/note.md", None), Edit("archive/note.md", "A note.\n", keep=SAME, origin="inbox/note.md")))
    with pytest.raises(KbsleepError, match="refusing to write archive/note.md: its bytes outside the note it moves would change"):
        transaction.apply(root, lossy, "run1")
    assert git(root, "rev-parse", "HEAD") == head and (root / "inbox/note.md").read_bytes() == NOTE
    exact = Plan("consolidate", "move", (Edit("inbox/note.md", None), Edit("archive/note.md", NOTE.decode("utf-8"), keep=SAME, origin="inbox/note.md")))
    assert transaction.apply(root, exact, "run2") is not None
    assert (root / "archive/note.md").read_bytes() == NOTE and not (root / "inbox/note.md").exists()
