"""The index's reads a warm `ask` makes, made cheaper, give what the plain queries gave: the BM25
sections ranked from the full-text index alone, then read (not every match read before the sort),
and a link's pages found by the pages' indexed file names (not a LIKE per name, nor a pass over
every path), each letter's case aside as Obsidian compares file names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kbsleep.config import load_config
from kbsleep.search import queries, storage
from kbsleep.search.index import Hit, Index, index_path
from kbsleep.wiki.linkpath import opens

# file names a look-up may match in a way of its own: case in any letter, "_" and "%" as text; of
# several pages of a name, the one Obsidian opens from the linking page's folder (`linkpath.opens`)
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
    "ÉCOLE.md": "# ÉCOLE\n\nCapitals and an accent.\n",
    "notes/Ärger.md": "# Ärger\n\nAn umlaut in notes.\n",
    "MiXeD Case.md": "# MiXeD Case\n\nMixed case.\n",
    "deep/notes/Data.md": "# Data\n\nData deeper.\n",
    "Hub.md": "# Hub\n\n[[data]] [[zeta]] [[a_b]] [[100%]] [[über]] [[mixed case]] [[missing]] [[école]] [[ÄRGER]]\n",
}
EXPECTED = {
    "data": ("Data.md",),  # the vault path, from every folder
    "zeta": ("notes/Zeta.md", "other/Zeta.md"),  # as long, from the root: Obsidian opens either (a tie)
    "a_b": ("a_b.md",),  # "_" is an underscore, not any character
    "100%": ("100%.md",),  # "%" is a percent sign, not any run
    "mixed case": ("MiXeD Case.md",),  # letters in either case
    "über": ("Über.md",),  # any letter: not only ASCII's, the only ones SQLite's LIKE folds
    "école": ("ÉCOLE.md",),
    "ÄRGER": ("notes/Ärger.md",),
    "notes/data": ("notes/Data.md",),  # a name with its folder
}  # "missing" names nothing


@pytest.fixture
def index(make_repo):  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    with Index(root, load_config(root)) as opened:
        opened.refresh()
        yield opened


NAMES = ["data", "zeta", "a_b", "100%", "über", "mixed case", "missing", "notes/data", "axb", "dat", "ata", "école", "ÄRGER", "ber", "ecole"]


def _by_name(db, links: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """What a link opens, by definition: of every page whose file name is the link's, each
    letter's case aside (`str.casefold`), the ones Obsidian's rule opens from the linking page's folder."""
    paths = [path for (path,) in db.execute("SELECT path FROM pages")]
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for page, name in links:
        rows = [path for path in paths if path.rsplit("/", 1)[-1].casefold() == name.rsplit("/", 1)[-1].casefold() + ".md"]
        if rows:
            found[(page, name)] = opens(name, page.rpartition("/")[0], rows)
    return found


def test_a_link_s_path_names_the_pages_of_its_file_name_whatever_the_case_of_its_letters(index: Index) -> None:
    links = [(page, name) for page in ("Hub.md", "notes/Index.md") for name in NAMES]
    found = queries._destinations(index.db, links)
    assert found == _by_name(index.db, links)
    assert {name: found[("Hub.md", name)] for name in EXPECTED} == EXPECTED
    assert {("Hub.md", name) for name in ("missing", "dat", "ata", "ber", "ecole")}.isdisjoint(found)  # a whole name, accents as written
    assert found[("Hub.md", "axb")] == ("axb.md",)
    assert found[("notes/Index.md", "zeta")] == ("notes/Zeta.md",)  # under the linking page's folder


@pytest.mark.parametrize("count", [1, 2, len(NAMES)])
def test_few_names_or_many_resolve_alike(index: Index, count: int) -> None:
    links = [("Hub.md", name) for name in NAMES[:count]]
    assert queries._destinations(index.db, links) == _by_name(index.db, links)


def test_each_page_s_name_is_its_file_name_casefolded(index: Index) -> None:
    rows = dict(index.db.execute("SELECT path, name FROM pages").fetchall())
    assert rows["deep/notes/Data.md"] == "data.md" and rows["Über.md"] == "über.md" and rows["MiXeD Case.md"] == "mixed case.md"
    assert all(name == storage.name_key(path) for path, name in rows.items())
    plan = index.db.execute("EXPLAIN QUERY PLAN SELECT path FROM pages WHERE name IN (?, ?)", ("data.md", "zeta.md")).fetchall()
    assert "pages_name" in " ".join(str(step) for step in plan)  # looked up, not scanned


LINKED = ["Data.md", "notes/Zeta.md", "other/Zeta.md", "a_b.md", "100%.md", "Über.md", "MiXeD Case.md", "ÉCOLE.md", "notes/Ärger.md"]  # both of a tie
OLD_PAGES = {  # the pages table of an older version, and the name it gave a page
    "7": ("(path TEXT PRIMARY KEY, blob TEXT NOT NULL, held TEXT NOT NULL DEFAULT '')", None),
    "9": ("(path TEXT PRIMARY KEY, blob TEXT NOT NULL, held TEXT NOT NULL DEFAULT '', name BLOB NOT NULL DEFAULT x'')",
          lambda path: path.rpartition("/")[2].encode().lower()),  # as SQLite's LIKE folds it: ASCII letters only
}  # fmt: skip


@pytest.mark.parametrize("version", sorted(OLD_PAGES))
def test_an_older_index_is_given_its_names_in_place_and_no_page_is_indexed_again(make_repo, version: str) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    with Index(root, load_config(root)) as index:
        index.refresh()
    table, named = OLD_PAGES[version]
    db = sqlite3.connect(index_path(root))
    db.executescript(
        f"BEGIN; CREATE TABLE kept AS SELECT path, blob, held FROM pages; DROP TABLE pages; CREATE TABLE pages {table};"
        f" INSERT INTO pages (path, blob, held) SELECT * FROM kept; DROP TABLE kept; UPDATE meta SET value = '{version}' WHERE key = 'version'; COMMIT;"
    )
    if named is not None:
        db.executemany("UPDATE pages SET name = ? WHERE path = ?", [(named(path), path) for (path,) in db.execute("SELECT path FROM pages").fetchall()])
        db.execute("CREATE INDEX pages_name ON pages (name)")
        db.commit()
    db.close()
    with Index(root, load_config(root)) as index:
        done = index.refresh()
        assert (done.rebuilt, done.updated) == (False, 0)
        assert index.db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == storage.VERSION == "10"
        links = [("Hub.md", name) for name in NAMES]
        assert queries._destinations(index.db, links) == _by_name(index.db, links)
        storage._name_pages(index.db, version)  # another process got there first: nothing left to do
        assert index.linked(["Hub.md"])["Hub.md"] == LINKED


def test_a_page_s_links_resolve_to_the_pages_they_name(index: Index) -> None:
    assert index.linked(["Hub.md"])["Hub.md"] == LINKED


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
