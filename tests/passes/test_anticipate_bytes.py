"""`anticipate` writes only pages it read exactly, and changes no byte outside its section.

Each page here is a way real vaults differ from what kbsleep writes itself: Latin-1 bytes, a
byte order mark, CRLF or mixed line endings, a last line without a newline, NUL bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from tests.conftest import git

OPENING = b"<!-- kbsleep:anticipate "
CLOSING = b"<!-- /kbsleep:anticipate -->"
LATIN1 = b"# Caf\xe9 Lumi\xe8re\n\nThe Caf\xe9 Lumi\xe8re is a small caf\xe9 in Lyon.\n\n## History\n\nIt opened in 1921.\n"
BOM = b"\xef\xbb\xbf# Bom Page\n\nThe Bom Page is a test page about bytes.\n\n## History\n\nIt was written in 2001.\n"
CRLF = b"# Crlf Page\r\n\r\nThe Crlf Page is a test page about line endings.\r\n\r\n## History\r\n\r\nIt was written in 2002.\r\n"
NO_FINAL_NEWLINE = b"# Tail Page\n\nThe Tail Page is a page without a final newline.\n\n## History\n\nIt was written in 2003."
MIXED = b"# Mixed Page\r\n\r\nThe Mixed Page mixes line endings.\n\r\n## History\r\n\r\nIt was written in 2004.\n"
# git and kbsleep take a NUL in the first 8,000 bytes for binary data; later it is text.
NUL_EARLY = b"# Nul Page\n\nThe Nul Page holds \x00 a NUL byte.\n"
NUL_LATE = b"# Late Page\n\nThe Late Page is long. " + b"It goes on. " * 800 + b"\n\n## History\n\nIt ends with \x00 a NUL byte.\n"


def run(root: Path, **options) -> object:
    wiki = open_wiki(root)
    model = select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root))
    return anticipate(wiki, model, Options(**options))


def section(data: bytes) -> tuple[bytes, bytes, bytes]:
    """(before, the anticipate section from its opening line through its closing line, after)."""
    start = data.index(OPENING)
    end = data.index(CLOSING) + len(CLOSING)
    end += len(re.match(rb"\r\n|\r|\n|", data[end:]).group())
    return data[:start], data[start:end], data[end:]


def endings(data: bytes) -> set[bytes]:
    return set(re.findall(rb"\r\n|\r|\n", data))


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo({
        "latin.md": LATIN1, "bom.md": BOM, "crlf.md": CRLF, "tail.md": NO_FINAL_NEWLINE,
        "mixed.md": MIXED, "nul-early.md": NUL_EARLY, "nul-late.md": NUL_LATE,
    })  # fmt: skip


def test_a_page_that_is_not_utf8_is_skipped_with_its_reason_and_left_byte_for_byte(repo: Path) -> None:
    outcome = run(repo)
    skipped = {s.path: s.reason for s in outcome.skipped}
    assert skipped["latin.md"] == "not valid UTF-8 (byte 0xe9 at line 1, column 6): kbsleep writes only pages it can read exactly"
    assert "latin.md" not in {w.path for w in outcome.written}
    assert (repo / "latin.md").read_bytes() == LATIN1
    assert "latin.md" not in git(repo, "show", "--name-only", "--format=", "HEAD")


def test_a_binary_page_is_skipped_with_its_reason(repo: Path) -> None:
    outcome = run(repo)
    assert {s.path: s.reason for s in outcome.skipped}["nul-early.md"] == "holds binary data (a NUL byte at line 3, column 20), not text: kbsleep writes only pages it can read exactly"
    assert (repo / "nul-early.md").read_bytes() == NUL_EARLY


def test_a_nul_byte_after_the_first_8000_bytes_is_text_and_kept(repo: Path) -> None:
    run(repo)
    before, _, after = section((repo / "nul-late.md").read_bytes())
    assert before == NUL_LATE + b"\n" and after == b""


def test_a_byte_order_mark_is_kept(repo: Path) -> None:
    run(repo)
    before, block, after = section((repo / "bom.md").read_bytes())
    assert before == BOM + b"\n" and after == b""
    assert endings(block) == {b"\n"}


def test_a_crlf_page_gets_its_section_with_crlf_line_endings(repo: Path) -> None:
    run(repo)
    before, block, after = section((repo / "crlf.md").read_bytes())
    assert before == CRLF + b"\r\n" and after == b""
    assert endings(block) == {b"\r\n"} and block.endswith(CLOSING + b"\r\n")


def test_a_page_with_mixed_line_endings_gets_the_ending_most_of_its_lines_use(repo: Path) -> None:
    run(repo)
    before, block, after = section((repo / "mixed.md").read_bytes())
    assert before == MIXED + b"\r\n" and after == b""
    assert endings(block) == {b"\r\n"}


def test_a_last_line_without_newline_gets_one_only_as_the_start_of_the_appended_section(repo: Path) -> None:
    run(repo)
    before, block, after = section((repo / "tail.md").read_bytes())
    assert before == NO_FINAL_NEWLINE + b"\n\n" and after == b""
    assert block.endswith(CLOSING + b"\n")


def test_rewriting_a_section_keeps_every_byte_around_it(repo: Path) -> None:
    run(repo)
    page = repo / "crlf.md"
    before, block, _ = section(page.read_bytes())
    page.write_bytes(before.replace(b"written in 2002", b"written in 2012") + block + b"\r\nA line after the section.\r\n")
    git(repo, "commit", "-qam", "edit around the section")
    original = page.read_bytes()
    outcome = run(repo, paths=("crlf.md",))
    assert [(w.path, w.reason) for w in outcome.written] == [("crlf.md", "page changed")]
    now_before, now_block, now_after = section(page.read_bytes())
    was_before, was_block, was_after = section(original)
    assert (now_before, now_after) == (was_before, was_after) and now_block != was_block
    assert b"It was written in 2012." in now_block and endings(now_block) == {b"\r\n"}


def test_every_written_page_differs_from_its_original_only_inside_its_section(repo: Path) -> None:
    originals = {p.name: p.read_bytes() for p in repo.glob("*.md")}
    outcome = run(repo)
    assert sorted(w.path for w in outcome.written) == ["bom.md", "crlf.md", "mixed.md", "nul-late.md", "tail.md"]
    for name in ("bom.md", "crlf.md", "mixed.md", "nul-late.md", "tail.md"):
        before, block, after = section((repo / name).read_bytes())
        assert before.startswith(originals[name]) and set(before[len(originals[name]) :]) <= set(b"\r\n"), name
        assert after == b"" and block.startswith(OPENING)


def test_a_closing_comment_in_a_code_block_inside_the_section_is_text_and_the_section_is_rewritten_whole(make_repo) -> None:
    # The parser ends this section at its last line (a comment inside a code block is text),
    # and the byte check finds it where the parser does: lines 5-10 are rewritten, nothing else.
    head = b"# Odd Page\n\nThe Odd Page is a page about fences.\n\n"
    page = head + (
        b"<!-- kbsleep:anticipate v=1 source=0 body=0 -->\n## Anticipated questions\n"
        b"```\n<!-- /kbsleep:anticipate -->\n```\n<!-- /kbsleep:anticipate -->\n"
    )
    repo = make_repo({"odd.md": page})
    outcome = run(repo, force=True)
    assert [w.path for w in outcome.written] == ["odd.md"]
    before, block, after = section((repo / "odd.md").read_bytes())
    assert (before, after) == (head, b"") and b"```" not in block


def test_an_edit_the_byte_check_refuses_is_reported_and_not_written(make_repo) -> None:
    # A page that ends inside a code block: a section appended there would be code, never read
    # back as answers (and appended again on every run), so the check refuses it.
    page = b"# Open Page\n\nThe Open Page is a page about fences.\n\n```\nleft open\n"
    repo = make_repo({"open.md": page, "crlf.md": CRLF})
    outcome = run(repo, force=True)
    assert [w.path for w in outcome.written] == ["crlf.md"]
    assert [(s.path, s.reason) for s in outcome.skipped] == [
        ("open.md", "not written: the new `anticipate` section (line 8) would not be read back as one: the text before it leaves a code block or comment open")
    ]
    assert (repo / "open.md").read_bytes() == page
    assert git(repo, "show", "--name-only", "--format=", "HEAD") == "crlf.md\n"
