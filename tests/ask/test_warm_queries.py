"""The index's reads a warm `ask` makes, made cheaper, give what the plain queries gave: the BM25
sections ranked from the full-text index alone, then read (not every match read before the sort),
and a link's file name resolved by the pages' indexed names (not a LIKE per name, nor a pass over
every path)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kbsleep.config import load_config
from kbsleep.search import queries, storage
from kbsleep.search.index import Hit, Index, index_path

# file names that LIKE matches in a way of its own: case in ASCII only, "_" and "%" as text, the
# shortest path first, then the first in code-point order
PAGES = {
    "Data.md": "# Data\n\nData at the top.\n",
    "notes/Data.md": "# Data\n\nData in notes.\n",
    "notes/Zeta.md": "# Zeta\n\nZeta in notes.\n",
    "other/Zeta.md": "# Zeta\n\nZeta in other.\n",
    "a_b.md": "# a_b\n\nAn underscore.\n",
    "axb.md": "# axb\n\nAn x.\n",
    "100%.md": "# 100%\n\nA percent sign.\n",
    "100x.md": "# 100x\n\nAn x.\n",
    "Über.md": "# Über\n\nA capital umlaut.\n",
    "MiXeD Case.md": "# MiXeD Case\n\nMixed case.\n",
    "deep/notes/Data.md": "# Data\n\nData deeper.\n",
    "Hub.md": "# Hub\n\n[[data]] [[zeta]] [[a_b]] [[100%]] [[über]] [[mixed case]] [[missing]]\n",
}
EXPECTED = {
    "data": "Data.md",  # the shortest path
    "zeta": "notes/Zeta.md",  # as long as other/Zeta.md: the first in code-point order
    "a_b": "a_b.md",  # "_" is an underscore, not any character
    "100%": "100%.md",  # "%" is a percent sign, not any run
    "mixed case": "MiXeD Case.md",  # ASCII letters in either case
    "notes/data": "notes/Data.md",  # a name with its folder
}  # "über" names nothing: LIKE folds ASCII letters only; "missing" names nothing


@pytest.fixture
def index(make_repo):  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    with Index(root, load_config(root)) as opened:
        opened.refresh()
        yield opened


NAMES = ["data", "zeta", "a_b", "100%", "über", "mixed case", "missing", "notes/data", "axb", "dat", "ata"]


def _by_like(db, names: list[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What a name resolves to, by definition: SQLite's LIKE on the path, the shortest first."""
    by_name: dict[str, str] = {}
    for name in names:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".md"
        found = db.execute(
            "SELECT path FROM pages WHERE path LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\' ORDER BY length(path), path LIMIT 1",
            (escaped, "%/" + escaped),
        ).fetchone()
        if found:
            by_name[name] = found[0]
    return by_name


def test_a_file_name_names_its_page_as_like_matches_it(index: Index) -> None:
    found = queries._paths(index.db, NAMES)
    assert found == _by_like(index.db, NAMES)
    assert {name: found[name] for name in EXPECTED} == EXPECTED
    assert {"über", "missing", "dat", "ata"}.isdisjoint(found)
    assert found["axb"] == "axb.md"


@pytest.mark.parametrize("count", [1, 2, len(NAMES)])
def test_few_names_or_many_resolve_alike(index: Index, count: int) -> None:
    assert queries._paths(index.db, NAMES[:count]) == _by_like(index.db, NAMES[:count])


def test_each_page_s_name_is_its_file_name_as_like_folds_it(index: Index) -> None:
    rows = dict(index.db.execute("SELECT path, name FROM pages").fetchall())
    assert rows["deep/notes/Data.md"] == b"data.md" and rows["Über.md"] == "Über.md".encode() and rows["MiXeD Case.md"] == b"mixed case.md"
    assert all(name == storage.name_key(path) for path, name in rows.items())
    plan = index.db.execute("EXPLAIN QUERY PLAN SELECT path FROM pages WHERE name IN (?, ?)", (b"data.md", b"zeta.md")).fetchall()
    assert "pages_name" in " ".join(str(step) for step in plan)  # looked up, not scanned


def test_an_index_of_version_7_is_given_its_names_in_place_and_no_page_is_indexed_again(make_repo) -> None:
    root = make_repo(PAGES)
    with Index(root, load_config(root)) as index:
        index.refresh()
    db = sqlite3.connect(index_path(root))
    db.executescript(  # version 7's pages table: no names
        "BEGIN; CREATE TABLE kept AS SELECT path, blob, held FROM pages; DROP TABLE pages;"
        " CREATE TABLE pages (path TEXT PRIMARY KEY, blob TEXT NOT NULL, held TEXT NOT NULL DEFAULT '');"
        " INSERT INTO pages SELECT * FROM kept; DROP TABLE kept; UPDATE meta SET value = '7' WHERE key = 'version'; COMMIT;"
    )
    db.close()
    with Index(root, load_config(root)) as index:
        done = index.refresh()
        assert (done.rebuilt, done.updated) == (False, 0)
        assert index.db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == storage.VERSION == "8"
        assert queries._paths(index.db, NAMES) == _by_like(index.db, NAMES)
        storage._name_pages(index.db)  # another process got there first: nothing left to do
        assert index.linked(["Hub.md"])["Hub.md"] == ["Data.md", "notes/Zeta.md", "a_b.md", "100%.md", "MiXeD Case.md"]


def test_a_page_s_links_resolve_to_the_pages_they_name(index: Index) -> None:
    linked = index.linked(["Hub.md"])["Hub.md"]
    assert linked == ["Data.md", "notes/Zeta.md", "a_b.md", "100%.md", "MiXeD Case.md"]


def _joined(index: Index, terms: list[str], k: int) -> list[Hit]:
    """The plain query: every matching section read, then sorted by BM25."""
    sql = (
        "SELECT d.page, d.title, d.heading, d.start, d.end, d.text, bm25(sections, ?, ?, ?, ?, ?, ?) AS rank, d.id"
        " FROM sections JOIN docs d ON d.id = sections.rowid"
        " WHERE sections MATCH ? ORDER BY rank LIMIT ?"
    )
    rows = index.db.execute(sql, (*queries.WEIGHTS, queries.fts_query(terms), k)).fetchall()
    return [Hit(p, t, h, s, e, text, -rank, i) for p, t, h, s, e, text, rank, i in rows]


@pytest.mark.parametrize("terms", [["data"], ["zeta", "notes"], ["an"], ["data", "x", "percent", "case"], ["nothing"]])
@pytest.mark.parametrize("k", [1, 3, 60])
def test_bm25_sections_are_those_the_plain_query_ranks_in_its_order_with_its_scores(index: Index, terms: list[str], k: int) -> None:
    assert index.search(terms, k=k) == _joined(index, terms, k)


def test_sections_that_score_alike_keep_the_plain_query_s_order(tmp_path: Path, make_repo) -> None:  # type: ignore[no-untyped-def]
    same = "# Twin\n\nThe lighthouse keeper logs the weather.\n"
    root = make_repo({f"twins/Twin {i}.md": same for i in range(12)})
    with Index(root, load_config(root)) as opened:
        opened.refresh()
        for k in (1, 5, 12):
            found = opened.search(["lighthouse", "weather"], k=k)
            assert len({hit.score for hit in found}) == 1  # a tie, every one
            assert found == _joined(opened, ["lighthouse", "weather"], k)
