"""`transaction.verify`: every planned rewrite of an existing file is checked against what it keeps."""

from __future__ import annotations

import pytest

from kbsleep.git import transaction
from kbsleep.errors import KbsleepError
from kbsleep.git.transaction import Edit, Plan, Refused
from kbsleep.wiki.fences import OutsideFence
from tests.conftest import git

KEEP = OutsideFence("anticipate")
SECTION = "<!-- kbsleep:anticipate v=1 -->\n## Anticipated questions\n<!-- /kbsleep:anticipate -->\n"
LATIN1 = b"# Caf\xe9\n"
# What a pass that read the page with replacement characters would write back:
LOSSY = LATIN1.decode("utf-8", errors="replace") + "\n" + SECTION


def test_an_edit_that_keeps_its_bytes_passes_and_one_that_does_not_is_refused_with_why(make_repo) -> None:
    root = make_repo({"good.md": "# Good\n", "latin.md": LATIN1})
    good = Edit("good.md", "# Good\n\n" + SECTION, keep=KEEP)
    lossy = Edit("latin.md", LOSSY, keep=KEEP)
    kept, refused = transaction.verify(root, [good, lossy])
    assert kept == (good,)
    assert refused == (Refused("latin.md", "its bytes outside the `anticipate` section would change (first at line 1, column 6)"),)


def test_new_files_removals_and_edits_without_a_keep_are_not_checked(make_repo) -> None:
    root = make_repo({"index.md": "# Index\n", "old.md": "# Old\n"})
    edits = [Edit("new.md", "# New\n", keep=KEEP), Edit("old.md", None, keep=KEEP), Edit("index.md", "# Rebuilt\n")]
    assert transaction.verify(root, edits) == (tuple(edits), ())


def test_apply_refuses_the_whole_plan_and_writes_nothing_when_an_edit_fails_its_check(make_repo) -> None:
    root = make_repo({"good.md": "# Good\n", "latin.md": LATIN1})
    head = git(root, "rev-parse", "HEAD")
    plan = Plan("anticipate", "2 pages", (Edit("good.md", "# Good\n\n" + SECTION, keep=KEEP), Edit("latin.md", LOSSY, keep=KEEP)))
    with pytest.raises(KbsleepError, match=r"refusing to write latin.md: its bytes outside the `anticipate` section would change \(first at line 1, column 6\)"):
        transaction.apply(root, plan, "run1")
    assert (root / "latin.md").read_bytes() == LATIN1 and (root / "good.md").read_text() == "# Good\n"
    assert git(root, "rev-parse", "HEAD") == head and git(root, "status", "--porcelain") == ""
