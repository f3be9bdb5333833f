"""The lint result cache: a warm run over unchanged files does not rebuild the wiki."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.lint import command
from kbsleep.lint.cache import CACHE_FILE
from kbsleep.wiki import load_wiki, take_snapshot

FILES = {"index.md": "# Index\n\n[[A]] and [[Nowhere]]\n", "A.md": "# A\n\nBack to [[index]].\n"}


def run(root: Path, loads: list[str], **args: object) -> int:
    def load(snapshot):  # type: ignore[no-untyped-def]
        loads.append("built")
        return load_wiki(snapshot=snapshot)

    return command.run(command.LintArgs(output=root.parent / "out.txt", output_format="concise", **args), quiet=True, color=False, snapshot=lambda: take_snapshot(root), load=load)  # type: ignore[arg-type]


def test_a_warm_run_over_unchanged_files_reuses_the_findings(make_repo) -> None:
    root = make_repo(FILES)
    loads: list[str] = []
    assert run(root, loads) == 1
    first = (root.parent / "out.txt").read_text()
    assert run(root, loads) == 1
    assert (root.parent / "out.txt").read_text() == first
    assert loads == ["built"]  # the second run never built the Wiki


@pytest.mark.parametrize("change", ["edit", "new page", "config", "select"])
def test_any_change_is_a_miss(make_repo, change: str) -> None:
    root = make_repo(FILES)
    loads: list[str] = []
    run(root, loads)
    args: dict[str, object] = {}
    if change == "edit":
        (root / "A.md").write_text("# A\n\n[[Elsewhere]]\n")
    elif change == "new page":
        (root / "B.md").write_text("# B\n")
    elif change == "config":
        (root / "kbsleep.toml").write_text("[lint]\nignore = ['KB101']\n")
    else:
        args = {"select": ("KB1",)}
    run(root, loads, **args)
    assert loads == ["built", "built"]


def test_a_corrupt_cache_is_a_miss_not_an_error(make_repo) -> None:
    root = make_repo(FILES)
    loads: list[str] = []
    run(root, loads)
    (root / ".kbsleep" / CACHE_FILE).write_bytes(b"\x00garbage")
    assert run(root, loads) == 1
    assert loads == ["built", "built"]
    assert "KB101" in (root.parent / "out.txt").read_text()


def test_a_scoped_run_filters_the_cached_findings(make_repo) -> None:
    root = make_repo(FILES)
    loads: list[str] = []
    run(root, loads)
    assert run(root, loads, paths=(str(root / "A.md"),)) == 0
    assert (root.parent / "out.txt").read_text() == ""
    assert loads == ["built"]
