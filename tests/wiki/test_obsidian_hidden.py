"""Hidden files: a name starting with `.`, at any depth, is not part of the wiki, as in Obsidian.

They are not pages, not attachments and not link targets (a link to one is broken); an
`include` glob brings one back; git's and kbsleep's own folders never come back. A cache
written while a hidden file was a page must not bring it back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.config import Config
from kbsleep.lint import Selection, lint
from kbsleep.lint import cache as lint_cache
from kbsleep.obsidian import is_hidden
from kbsleep.wiki import load_wiki, open_wiki, take_snapshot
from kbsleep.wiki.discovery import hidden_files
from tests.lint.support import triples

HIDDEN = {
    ".github/README.md": "# Read me\n",
    ".github/workflows/ci.yml": "on: push\n",
    ".trash/Old.md": "# Old\n",
    ".foam/templates/new.md": "# New\n",
    ".draft.md": "# Draft\n",
    "sub/.hidden/x.md": "# X\n",
    "sub/deeper/.note.md": "# Note\n",
    "sub/.img.png": "PNG",
}
VISIBLE = {
    "A.md": "# A\n\n[[B]] [[x]] [[.draft]] [[.note]] ![[.img.png]] [[.github/README]]\n",
    "sub/B.md": "# B\n\n[[A]]\n",
    "sub/photo.png": "PNG",
    "sub/not.hidden.md": "# Dots inside a name are not hidden\n\n[[A]]\n",
}


@pytest.mark.parametrize("path, hidden", [
    (".github/README.md", True), (".draft.md", True), ("sub/.hidden/x.md", True), ("a/b/.c/d.md", True),
    ("sub/not.hidden.md", False), ("notes/v1.2/page.md", False), ("A.md", False), ("a./b.md", False),
])  # fmt: skip
def test_a_name_starting_with_a_dot_at_any_depth_is_hidden(path: str, hidden: bool) -> None:
    assert is_hidden(path) is hidden


@pytest.mark.parametrize("in_git", [True, False])
def test_hidden_files_are_neither_pages_nor_attachments(make_repo, tmp_path: Path, in_git: bool) -> None:
    files = {**HIDDEN, **VISIBLE}
    if in_git:
        root = make_repo(files)
    else:
        root = tmp_path / "plain"
        for name, text in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
    wiki = load_wiki(root)
    assert sorted(wiki.pages) == ["A.md", "sub/B.md", "sub/not.hidden.md"]
    assert wiki.attachments == {"sub/photo.png"}


def test_a_link_to_a_hidden_file_is_broken(make_repo) -> None:
    wiki = open_wiki(make_repo({**HIDDEN, **VISIBLE}))
    found = lint(wiki, Selection(select=("broken-link",))).diagnostics
    assert sorted(d.message for d in found) == [
        "broken embed: `![[.img.png]]` matches no page or attachment",
        "broken link: `[[.draft]]` matches no page or attachment",
        "broken link: `[[.github/README]]` matches no page or attachment",
        "broken link: `[[.note]]` matches no page or attachment",
        "broken link: `[[x]]` matches no page or attachment",
    ]


def test_no_finding_is_ever_about_a_hidden_file(make_repo) -> None:
    root = make_repo({**HIDDEN, **VISIBLE, ".github/Broken.md": "# B\n\n[[Nowhere]]\n\n## Empty\n"})
    found = lint(open_wiki(root), Selection(select=("ALL",))).diagnostics
    assert found and not [d for d in found if is_hidden(d.path) or any(is_hidden(r.path) for r in d.related)]


@pytest.mark.parametrize("include, brought", [
    ((".github/",), [".github/README.md"]),
    ((".github",), [".github/README.md"]),
    (("**/.hidden/**",), ["sub/.hidden/x.md"]),
    ((".draft.md", "sub/deeper/.note.md"), [".draft.md", "sub/deeper/.note.md"]),
    (("sub/.hidden/",), ["sub/.hidden/x.md"]),
])  # fmt: skip
def test_include_brings_a_hidden_file_or_folder_back(make_repo, include: tuple[str, ...], brought: list[str]) -> None:
    root = make_repo({**HIDDEN, **VISIBLE})
    wiki = load_wiki(root, Config(include=include))
    assert sorted(wiki.pages) == sorted(["A.md", "sub/B.md", "sub/not.hidden.md", *brought])


def test_include_brings_back_a_hidden_attachment_and_outside_git_too(tmp_path: Path) -> None:
    for name, text in {**HIDDEN, **VISIBLE}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    wiki = load_wiki(tmp_path, Config(include=("sub/.img.png", ".github/")))
    assert wiki.attachments == {"sub/photo.png", "sub/.img.png", ".github/workflows/ci.yml"}
    assert ".github/README.md" in wiki.pages


def test_git_and_kbsleep_folders_never_come_back(tmp_path: Path) -> None:
    for name in ("A.md", ".kbsleep/State.md", "sub/.git/Notes.md", ".obsidian/Kept.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# page\n")
    wiki = load_wiki(tmp_path, Config(include=("**",)), use_cache=False)
    assert sorted(wiki.pages) == [".obsidian/Kept.md", "A.md"]


def test_exclude_wins_over_include(make_repo) -> None:
    root = make_repo({**HIDDEN, **VISIBLE})
    wiki = load_wiki(root, Config(include=(".github/",), exclude=(".github/README.md",)))
    assert ".github/README.md" not in wiki.pages


def test_hidden_files_lists_what_git_lists(make_repo) -> None:
    root = make_repo({**HIDDEN, **VISIBLE})
    assert hidden_files(root) == sorted(HIDDEN)


def test_caches_written_while_a_hidden_page_was_included_do_not_bring_it_back(make_repo) -> None:
    """The parse, stat, link and lint caches of a run that saw `.drafts/Pump.md` as a page (here:
    through `include`, as an older kbsleep that indexed hidden files did) hold its rows and the
    link outcomes that opened it. The next run, which does not see it, must judge without it."""
    root = make_repo({".drafts/Pump.md": "# Pump\n", "A.md": "# A\n\n[[Pump]]\n"})
    old = Config(include=(".drafts/",))
    before = take_snapshot(root, config=old)
    report = lint(load_wiki(snapshot=before), Selection(select=("broken-link",)))
    assert report.diagnostics == ()
    lint_cache.write(root, lint_cache.key(before.fingerprint, old, Selection(select=("broken-link",))), report.diagnostics)
    now = take_snapshot(root, config=Config())
    assert now.pages == ("A.md",) and now.fingerprint != before.fingerprint
    wiki = load_wiki(snapshot=now)
    assert triples(lint(wiki, Selection(select=("broken-link",))).diagnostics) == {("KB101", "A.md", 3)}
    assert wiki.outlinks["A.md"][0].status == "missing"


def test_the_cli_lint_cache_misses_when_include_changes(make_repo) -> None:
    from kbsleep.cli import main

    root = make_repo({".drafts/Pump.md": "# Pump\n", "A.md": "# A\n\n[[Pump]]\n"})
    (root / "kbsleep.toml").write_text('include = [".drafts/"]\n')
    assert main(["--wiki", str(root), "lint", "--select", "broken-link"]) == 0
    assert main(["--wiki", str(root), "lint", "--select", "broken-link"]) == 0  # from the lint cache
    (root / "kbsleep.toml").write_text("")
    assert main(["--wiki", str(root), "lint", "--select", "broken-link"]) == 1
