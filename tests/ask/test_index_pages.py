"""The index's pages are the wiki model's: discovery's files and blob ids, less what is set aside."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kbsleep.config import load_config
from kbsleep.search import storage
from kbsleep.search.index import Index, index_path
from kbsleep.wiki import open_wiki, take_snapshot
from tests.conftest import git


def refresh(root: Path):  # type: ignore[no-untyped-def]
    with Index(root, load_config(root)) as index:
        return index.refresh()


def indexed(root: Path) -> dict[str, tuple[str, str]]:
    with Index(root, load_config(root)) as index:
        index.refresh()
        return {row[0]: (row[1], row[2]) for row in index.db.execute("SELECT path, blob, held FROM pages")}


def test_the_index_holds_the_wiki_model_s_pages_but_the_catalogue_the_log_and_excluded_files(make_repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n", encoding="utf-8")
    root = make_repo({
        "A.md": "# A\n\nCobalt.\n", "notes/B.md": "# B\n", "index.md": "# Index\n", "log.md": "# Log\n",
        "AGENTS.md": "# Rules\n", "Archive/Old.md": "# Old\n", ".hidden/C.md": "# C\n", "Templates/T.md": "# T\n",
        "_kbsleep/answers/A.md": "# not a page\n", "picture.png": b"\x89PNG\r\n",
        ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}',
    }, commit=False)  # fmt: skip
    os.symlink("notes/B.md", root / "Linked.md")  # a symlink inside the wiki is a page
    os.symlink(outside, root / "Away.md")  # one that leaves it is not
    git(root, "add", "-A")
    git(root, "commit", "-qm", "pages")
    wiki = open_wiki(root)
    stored = indexed(root)
    assert sorted(stored) == ["A.md", "Linked.md", "Templates/T.md", "notes/B.md"]
    assert sorted(stored) == sorted(set(wiki.pages) - wiki.excluded - {"index.md", "log.md"})
    assert {path: blob for path, (blob, _) in stored.items()} == {path: wiki.pages[path].blob for path in stored}


def test_a_snapshot_of_some_files_judges_them_as_the_whole_snapshot_does(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "notes/B.md": "# B\n", ".hidden/C.md": "# C\n", "AGENTS.md": "# Rules\n", "picture.png": b"png"})
    (root / "A.md").write_text("# A, edited\n", encoding="utf-8")
    whole = take_snapshot(root)
    part = take_snapshot(root, only=["A.md", ".hidden/C.md", "AGENTS.md", "picture.png", "gone.md"])
    assert (part.pages, part.attachments, part.excluded) == (("A.md", "AGENTS.md"), ("picture.png",), frozenset({"AGENTS.md"}))
    assert {p: part.blobs[p] for p in part.pages} == {p: whole.blobs[p] for p in part.pages}


def test_an_edited_sidecar_re_indexes_its_page_and_only_it(make_repo) -> None:
    sidecar = "_kbsleep/answers/A.md"
    root = make_repo({"kbsleep.toml": '[anticipate]\nstore = "sidecar"\n', "A.md": "# A\n\nCobalt.\n", "B.md": "# B\n\nBees.\n", sidecar: "# answers\n"})
    before = indexed(root)
    assert before["A.md"][1].startswith("sidecar ") and before["B.md"][1] == "sidecar"
    (root / sidecar).write_text("# answers, edited\n", encoding="utf-8")  # dirty: the partial refresh
    assert (refresh(root).updated, indexed(root)["A.md"] != before["A.md"]) == (1, True)
    git(root, "commit", "-qam", "answers")  # a new HEAD: the whole refresh finds nothing more to do
    assert refresh(root).updated == 0
    (root / sidecar).unlink()
    git(root, "commit", "-qam", "no answers")
    assert (refresh(root).updated, indexed(root)["A.md"][1]) == (1, "sidecar")


def test_an_index_of_version_3_keeps_its_vectors_and_indexes_every_page_again(make_repo) -> None:
    root = make_repo({"A.md": "# A\n\nCobalt is a compiler.\n", "B.md": "# B\n\nBees make honey.\n"})
    refresh(root)
    db = sqlite3.connect(index_path(root))
    vectors = db.execute("SELECT hash, vec FROM vectors ORDER BY hash").fetchall()
    assert len(vectors) == 2  # one per section
    db.executescript(
        "DROP TABLE pages; CREATE TABLE pages (path TEXT PRIMARY KEY, blob TEXT NOT NULL, mtime_ns INTEGER NOT NULL,"
        " size INTEGER NOT NULL, held TEXT NOT NULL DEFAULT ''); UPDATE meta SET value = '3' WHERE key = 'version';"
    )
    db.close()
    with Index(root, load_config(root)) as index:
        done = index.refresh()
        assert (done.rebuilt, done.updated, index.stats()["sections"]) == (False, 2, 2)
        assert index.db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == storage.VERSION
        assert index.db.execute("SELECT hash, vec FROM vectors ORDER BY hash").fetchall() == vectors  # kept
        assert index.search(["honey"])[0].page == "B.md"
