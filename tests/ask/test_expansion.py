"""Doc2query at index time (each section's topic expanded into the `expansion` field) and the
second hop along links that name a heading."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from kbsleep.config import load_config
from kbsleep.search import storage
from kbsleep.search.expansion import (
    NEIGHBOURS,
    Expander,
    Neighbours,
    topic,
    topic_words,
)
from kbsleep.search.index import Index, index_path
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import expand

# -- what a section is about ------------------------------------------------------------------


def test_the_topic_is_title_headings_and_labels() -> None:
    text = "## Recover\n\nFile recovery saves snapshots. It keeps them a week.\n\nInterval: 5 minutes\n- **Kept for**: 7 days\n"
    assert topic("File recovery", "Recover", text) == "File recovery Recover Interval Kept for"


def test_frontmatter_keys_are_no_labels() -> None:
    text = "---\ntitle: X\npermalink: x\n---\n# X\nDeveloped by: mara\n"
    assert topic("X", "", text) == "X  Developed by"


def test_topic_words_are_content_words_once_each() -> None:
    assert topic_words("How the Sync service syncs the sync folder") == ["sync", "service", "syncs", "folder"]


# -- nearest vocabulary words --------------------------------------------------------------------


_WORDS = {"cursor": [1.0, 0.0, 0.0], "recovery": [0.0, 1.0, 0.0]}


class _Embedder:
    """Words as fixed unit vectors in three dimensions (a zero vector for any other word)."""

    table = None

    def embed(self, texts):  # type: ignore[no-untyped-def]
        return np.array([_WORDS.get(t, [0.0, 0.0, 0.0]) for t in texts], dtype=np.float32)


def _neighbours() -> Neighbours:
    names = ["cursors", "curs", "mouse", "pointer", "scroll", "caret", "restore", "banana"]
    rows = [[1, 0, 0], [1, 0, 0], [0.9, 0.1, 0], [0.8, 0.2, 0], [0.7, 0.3, 0], [0.6, 0, 0.8], [0.1, 0.9, 0], [0, 0, 1]]
    matrix = np.array(rows, dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return Neighbours(_Embedder(), names, matrix)


def test_neighbours_are_close_words_that_are_not_forms_of_the_word() -> None:
    found = _neighbours().nearest(["cursor", "recovery"])
    # "cursors" (a form) and "curs" (a fragment) are left out; at most NEIGHBOURS, closest first;
    # "caret" (0.6) comes after three closer words
    assert found["cursor"] == ("mouse", "pointer", "scroll")[:NEIGHBOURS]
    assert found["recovery"] == ("restore",)  # "banana" is not close enough to anything asked


def test_the_expander_adds_words_the_topic_does_not_say_and_loads_vectors_once() -> None:
    loads = []

    def load():  # type: ignore[no-untyped-def]
        loads.append(1)

    expander = Expander(load)
    expander._near = _neighbours()  # as `Neighbours.of` gives for a static model
    assert expander.expand_all(["Multiple cursor", "Cursor and mouse", "Bananas"]) == ["mouse pointer scroll", "pointer scroll", ""]
    assert loads == []
    assert Expander(load).expand_all(["Multiple cursor"]) == [""]  # no static vectors: no words
    assert loads == [1]


def test_an_expander_without_a_loader_expands_nothing() -> None:
    assert Expander().expand_all(["Multiple cursor"]) == [""]


# -- the field in the index --------------------------------------------------------------------


@pytest.fixture
def fake_vectors(monkeypatch):  # type: ignore[no-untyped-def]
    """Every Index expands with the fake neighbours above (vectors themselves off)."""

    def expander(self):  # type: ignore[no-untyped-def]
        made = Expander()
        made._near = _neighbours()
        return made

    monkeypatch.setattr(Index, "_expander", expander)


CURSOR = "# Cursor\n\nMultiple cursor editing types in several places at once.\n"


def test_a_section_is_found_by_a_word_only_its_expansion_holds(make_repo, fake_vectors) -> None:
    root = make_repo({"Cursor.md": CURSOR, "Fruit.md": "# Fruit\n\nA banana is yellow.\n"})
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert [hit.page for hit in index.search(["mouse"])] == ["Cursor.md"]
        # the expansion helps find a section, never counts as the wiki saying the word
        assert index.document_frequency(["mouse", "cursor"]) == ({"mouse": 0, "cursor": 1}, 2)
        hits = index.search(["cursor"])
        assert index.coverage([(["cursor"], 1.0)], hits) == 1.0
        assert index.coverage([(["mouse"], 1.0)], hits) == 0.0


def test_the_expansion_is_rewritten_with_its_section(make_repo, fake_vectors) -> None:
    root = make_repo({"Notes.md": CURSOR})
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert [hit.heading for hit in index.search(["mouse"])] == ["Cursor"]
    (root / "Notes.md").write_text("# Recovery\n\nFile recovery keeps a history.\n", encoding="utf-8")
    with Index(root, load_config(root)) as index:
        assert index.refresh().updated == 1
        assert index.search(["mouse"]) == []
        assert [hit.heading for hit in index.search(["restore"])] == ["Recovery"]


def test_an_index_of_version_4_is_indexed_again_and_keeps_its_vectors(make_repo) -> None:
    root = make_repo({"A.md": "# A\n\nCobalt is a compiler.\n"})
    with Index(root, load_config(root)) as index:
        index.refresh()
    db = sqlite3.connect(index_path(root))
    db.executescript(
        "DROP TABLE sections; CREATE VIRTUAL TABLE sections USING fts5(title, aliases, heading, body, questions);"
        " DROP TABLE links; CREATE TABLE links (page TEXT NOT NULL, target TEXT NOT NULL);"
        " INSERT INTO vectors (hash, vec) VALUES ('kept', x'00'); UPDATE meta SET value = '4' WHERE key = 'version';"
    )
    db.close()
    with Index(root, load_config(root)) as index:
        done = index.refresh()
        assert (done.rebuilt, done.updated) == (False, 1)
        assert index.db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == storage.VERSION == "10"
        assert index.db.execute("SELECT count(*) FROM vectors WHERE hash = 'kept'").fetchone()[0] == 1
        assert index.search(["compiler"])[0].page == "A.md"


# -- the second hop along links by heading -------------------------------------------------------

RECOVERY = """\
# File recovery

File recovery saves snapshots of your notes.

## Where snapshots are

Snapshots are kept in the [[Data#Global settings|global settings]] folder.

## Other

See [[Data]] and [[Notes#Mac]].
"""

DATA = """\
# Data

## Vault settings

Each vault has its own settings on macOS and Windows.

## Global settings

On macOS: Library/Application Support/obsidian.
"""


def test_links_keep_the_section_they_are_in_and_the_heading_they_name(make_repo) -> None:
    root = make_repo({"File recovery.md": RECOVERY, "Data.md": DATA})
    with Index(root, load_config(root)) as index:
        index.refresh()
        rows = index.db.execute(
            "SELECT d.heading, l.target, l.heading FROM links l JOIN docs d ON d.id = l.doc WHERE l.page = 'File recovery.md' ORDER BY d.start"
        ).fetchall()
        # the link path as written: its folders, if any, and the linking page's folder say which page it opens
        assert rows == [("Where snapshots are", "Data", "Global settings"), ("Other", "Data", ""), ("Other", "Notes", "Mac")]
        where = next(hit for hit in index.page_sections(["File recovery.md"]) if hit.heading == "Where snapshots are")
        # only a link that names a heading, of a page the index has, leads to a section
        assert [(hit.page, hit.heading) for hit in index.anchored([where.id])] == [("Data.md", "Global settings")]


def test_the_second_hop_prefers_the_section_a_retrieved_section_links_to(make_repo) -> None:
    root = make_repo({"File recovery.md": RECOVERY, "Data.md": DATA})
    question = analyse("On macOS, in which folder does File recovery keep its snapshots?")
    with Index(root, load_config(root)) as index:
        index.refresh()
        hits = [hit for hit in index.page_sections(["File recovery.md"])]
        # both sections of Data hold "macos", the word the first page lacks; the one linked to by
        # heading from a retrieved section comes first
        assert [(hit.page, hit.heading) for hit in expand(index, question, hits)] == [("Data.md", "Global settings"), ("Data.md", "Vault settings")]
