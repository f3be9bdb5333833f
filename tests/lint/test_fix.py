"""`kbsleep lint --fix`: safe rewrites of alias links and near-miss file names, nothing else.

Like ruff, it writes the files and leaves committing to the user.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from tests.conftest import git

KESTREL = b"---\naliases: [Kestrel]\n---\n# Kestrel Rover\n\n## Specs\n\nSix wheels.\n"
INDEX = b"# Index\n\n[[Log]] [[Windows]] [[Latin]] [[Kestrel Rover]]\n"

# Tabs, trailing spaces, a table and no final newline: the bytes around the links must survive.
LOG_BEFORE = (
    b"# Log\n"
    b"\n"
    b"Saw [[Kestrel]] and\t[[Kestrel|the rover]]  \n"
    b"then [[Kestrel Rovr]], [[Kestrel#Specs]], ![[Kestrel]].\n"
    b"\n"
    b"| Who | Link |\n"
    b"| --- | --- |\n"
    b"| rover | [[Kestrel\\|the rover]] |\n"
    b"\n"
    b"Not fixable: [[Nowhere]].\n"
    b"No final newline [[kestrel]]"
)
LOG_AFTER = (
    b"# Log\n"
    b"\n"
    b"Saw [[Kestrel Rover|Kestrel]] and\t[[Kestrel Rover|the rover]]  \n"
    b"then [[Kestrel Rover]], [[Kestrel Rover#Specs|Kestrel]], ![[Kestrel Rover]].\n"
    b"\n"
    b"| Who | Link |\n"
    b"| --- | --- |\n"
    b"| rover | [[Kestrel Rover\\|the rover]] |\n"
    b"\n"
    b"Not fixable: [[Nowhere]].\n"
    b"No final newline [[Kestrel Rover|kestrel]]"
)
WINDOWS_BEFORE = b"# Windows\r\n\r\nSee [[Kestrel]].\r\n"
WINDOWS_AFTER = b"# Windows\r\n\r\nSee [[Kestrel Rover|Kestrel]].\r\n"
BOM_BEFORE = b"\xef\xbb\xbf# With BOM\n\nSee [[Kestrel]].\n"
BOM_AFTER = b"\xef\xbb\xbf# With BOM\n\nSee [[Kestrel Rover|Kestrel]].\n"
LATIN = b"# Latin\n\nCaf\xe9 and [[Kestrel]].\n"  # not UTF-8: rewriting would destroy the byte


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo({
        "index.md": INDEX + b"[[With BOM]]\n",
        "Kestrel Rover.md": KESTREL,
        "Log.md": LOG_BEFORE,
        "Windows.md": WINDOWS_BEFORE,
        "With BOM.md": BOM_BEFORE,
        "Latin.md": LATIN,
    })  # fmt: skip


def lint_fix(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["--wiki", str(root), "lint", "--fix", "--output-format", "concise", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_fix_rewrites_alias_links_and_near_misses_and_nothing_else(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, remaining, err = lint_fix(repo, capsys)
    assert (repo / "Log.md").read_bytes() == LOG_AFTER
    assert (repo / "Windows.md").read_bytes() == WINDOWS_AFTER  # CRLF stays CRLF
    assert (repo / "With BOM.md").read_bytes() == BOM_AFTER  # the byte order mark stays
    assert (repo / "Kestrel Rover.md").read_bytes() == KESTREL
    assert err == "Fixed 9 problems in 3 pages.\n"
    assert remaining == [
        "Latin.md:3:4: KB303 invalid UTF-8 (byte 0xe9); read with replacement characters",
        "Latin.md:3:10: KB103 `[[Kestrel]]` is the alias of Kestrel Rover.md, not a file name: Obsidian will not open it",
        "Log.md:10:14: KB101 broken link: `[[Nowhere]]` matches no page or attachment",
    ]
    assert code == 1  # the exit code reflects what is left, not what was fixed


def test_fix_refuses_to_rewrite_a_page_with_encoding_errors(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lint_fix(repo, capsys)
    assert (repo / "Latin.md").read_bytes() == LATIN


def test_fix_writes_files_but_does_not_commit(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = git(repo, "rev-parse", "HEAD")
    lint_fix(repo, capsys)
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "status", "--porcelain").splitlines() == [" M Log.md", " M Windows.md", ' M "With BOM.md"']


def test_a_second_fix_changes_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = lint_fix(repo, capsys)
    files = {path: path.read_bytes() for path in repo.glob("*.md")}
    code, remaining, err = lint_fix(repo, capsys)
    assert {path: path.read_bytes() for path in repo.glob("*.md")} == files
    assert err == ""
    assert (code, remaining) == first[:2]


def test_fix_exits_zero_when_every_error_was_fixed(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"index.md": INDEX.replace(b" [[Windows]] [[Latin]]", b""), "Kestrel Rover.md": KESTREL, "Log.md": b"# Log\n\nSaw [[Kestrel]] and [[Kestrel Rovr]].\n"})
    assert lint_fix(root, capsys) == (0, [], "Fixed 2 problems in 1 page.\n")
    assert (root / "Log.md").read_bytes() == b"# Log\n\nSaw [[Kestrel Rover|Kestrel]] and [[Kestrel Rover]].\n"


def test_fix_leaves_a_near_miss_alone_when_two_file_names_are_close(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    log = b"# Log\n\nSaw [[Kestrel Rovr]].\n"
    root = make_repo({"Kestrel Rover.md": KESTREL, "Kestrel Roves.md": b"# Kestrel Roves\n\nText.\n", "Log.md": log})
    code, remaining, _ = lint_fix(root, capsys, "--select", "broken-link")
    assert (root / "Log.md").read_bytes() == log
    assert (code, remaining) == (1, ["Log.md:3:5: KB101 broken link: `[[Kestrel Rovr]]` matches no page or attachment"])


def test_fix_respects_the_selection(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lint_fix(repo, capsys, "--ignore", "alias-link")
    assert (repo / "Log.md").read_bytes() == LOG_BEFORE.replace(b"[[Kestrel Rovr]]", b"[[Kestrel Rover]]")
    assert (repo / "Windows.md").read_bytes() == WINDOWS_BEFORE
