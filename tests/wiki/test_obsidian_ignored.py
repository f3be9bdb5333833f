"""Files git ignores: Obsidian knows nothing of git, so a file on disk that the vault's
`.gitignore` names is still a note or attachment there, and a link to it opens.

kbsleep lists such a file, when it is of a type Obsidian opens, with the attachments: links to it
resolve (a note's `.md` optional, as for pages), but it is never read, judged or written, since
it is not part of the tracked wiki. A hidden one stays hidden; a file that is not on disk (a
fresh clone) is still a broken link.
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.config import Config
from kbsleep.lint import Selection, lint
from kbsleep.wiki import load_wiki, open_wiki
from tests.conftest import git, write_files
from tests.lint.support import triples

TRACKED = {
    ".gitignore": "*.m4a\nPrivate/\n.venv/\nvenv/\nScans/\ndrafts/*.md\n",
    "Lecture.md": "# Lecture\n\n![[Recording 0912.m4a]]\n\nSee [[Plan]], [[Private/Plan#Goals]] and [the plan](Private/Plan.md).\n",
    "Index.md": "# Index\n\n[[Lecture]] [[Idea]] [[Nowhere]] [[Env]]\n",
}
# What the user has on disk and never commits: a recording the audio recorder made, a private
# folder, a draft, scans, and two virtualenvs, one hidden.
IGNORED = {
    "Recording 0912.m4a": b"audio",
    "Private/Plan.md": "# Plan\n\n[[Also nowhere]]\n\n## Goals\n",
    "Private/Sub/Deep.md": "# Deep\n",
    "drafts/Idea.md": "# Idea\n",
    "Scans/Page 1.PNG": b"PNG",
    ".venv/lib/Env.md": "# Env\n",
    "venv/lib/site.py": "import os\n",  # no file type Obsidian opens
    "venv/pyvenv.cfg": "home = /usr/bin\n",
}


def _repo(make_repo, ignored: dict[str, str | bytes] = IGNORED) -> Path:
    root = make_repo(TRACKED)
    write_files(root, ignored)
    return root


def test_files_git_ignores_are_attachments_not_pages(make_repo) -> None:
    wiki = load_wiki(_repo(make_repo))
    assert sorted(wiki.pages) == ["Index.md", "Lecture.md"]
    assert wiki.attachments == {"Recording 0912.m4a", "Private/Plan.md", "Private/Sub/Deep.md", "drafts/Idea.md", "Scans/Page 1.PNG"}


def test_only_ignored_files_of_a_type_obsidian_opens_are_listed(make_repo) -> None:
    """Help, *Accepted file formats*: Markdown, Bases, Canvas, images, audio, video and PDF."""
    root = _repo(make_repo, ignored={"venv/lib/site.py": "", "out/report.pdf": b"%PDF", "out/data.csv": "a,b\n", "out/board.canvas": "{}"})
    (root / ".gitignore").write_text("venv/\nout/\n")
    assert load_wiki(root).attachments == {"out/report.pdf", "out/board.canvas"}


def test_a_link_to_an_ignored_file_on_disk_opens_it(make_repo) -> None:
    wiki = open_wiki(_repo(make_repo))
    outcomes = {(r.link.target, r.status, r.target) for r in wiki.outlinks["Lecture.md"]}
    assert outcomes == {
        ("Recording 0912.m4a", "resolved", "Recording 0912.m4a"),
        ("Plan", "resolved", "Private/Plan.md"),
        ("Private/Plan", "resolved", "Private/Plan.md"),
        ("Private/Plan.md", "resolved", "Private/Plan.md"),
    }
    found = lint(wiki, Selection(select=("broken-link",))).diagnostics
    assert sorted(d.message for d in found) == [
        "broken link: `[[Env]]` matches no page or attachment",  # hidden, ignored or not
        "broken link: `[[Nowhere]]` matches no page or attachment",
    ]


def test_an_ignored_note_is_never_judged(make_repo) -> None:
    found = lint(open_wiki(_repo(make_repo)), Selection(select=("ALL",))).diagnostics
    assert not [d for d in found if d.path.startswith(("Private/", "drafts/"))]
    assert "Also nowhere" not in " ".join(d.message for d in found)


def test_a_link_to_an_ignored_file_not_on_disk_is_broken(make_repo) -> None:
    """A fresh clone has none of them: there the links are broken, as Obsidian would show."""
    wiki = open_wiki(_repo(make_repo, ignored={}))
    assert triples(lint(wiki, Selection(select=("broken-link",))).diagnostics) == {
        ("KB101", "Lecture.md", 3), ("KB101", "Lecture.md", 5), ("KB101", "Index.md", 3),
    }  # fmt: skip


def test_a_cached_outcome_follows_an_ignored_note_coming_and_going(make_repo) -> None:
    root = _repo(make_repo, ignored={})
    broken = Selection(select=("broken-link",))

    def lecture_findings() -> int:
        return sum(1 for d in lint(open_wiki(root), broken).diagnostics if d.path == "Lecture.md")

    assert lecture_findings() == 4
    write_files(root, {"Private/Plan.md": "# Plan\n"})
    assert lecture_findings() == 1  # the recording is still missing
    (root / "Private" / "Plan.md").unlink()
    assert lecture_findings() == 4


def test_an_ignored_file_the_config_excludes_stays_out(make_repo) -> None:
    wiki = load_wiki(_repo(make_repo), Config(exclude=("Private/",)))
    assert wiki.attachments == {"Recording 0912.m4a", "drafts/Idea.md", "Scans/Page 1.PNG"}


def test_ignored_files_are_found_from_a_wiki_folder_inside_the_repository(make_repo) -> None:
    root = make_repo({"wiki/Index.md": "# Index\n\n[[Plan]]\n", "wiki/.gitignore": "Private/\n"})
    write_files(root, {"wiki/Private/Plan.md": "# Plan\n", "Private/Other.md": "# Other\n"})
    wiki = load_wiki(root / "wiki")
    assert wiki.attachments == {"Private/Plan.md"}
    assert wiki.outlinks["Index.md"][0].status == "resolved"


def test_a_tracked_file_that_matches_an_ignore_pattern_stays_a_page(make_repo) -> None:
    root = make_repo({"Index.md": "# Index\n\n[[Kept]]\n", "Private/Kept.md": "# Kept\n\n[[Index]]\n"})
    write_files(root, {".gitignore": "Private/\n"})
    git(root, "add", ".gitignore")
    wiki = load_wiki(root)
    assert sorted(wiki.pages) == ["Index.md", "Private/Kept.md"] and not wiki.attachments
