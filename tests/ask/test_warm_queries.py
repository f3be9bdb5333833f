"""The index's reads a warm `ask` makes, made cheaper, give what the plain queries gave: the BM25
sections ranked from the full-text index alone, then read (not every match read before the sort),
and a link's file name resolved for many names in one pass over the paths (not a LIKE per name)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.config import load_config
from kbsleep.search import queries
from kbsleep.search.index import Hit, Index

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


def test_a_file_name_names_its_page_as_like_matches_it_one_by_one_or_all_in_one_pass(index: Index) -> None:
    by_like = queries._paths_by_like(index.db, NAMES)
    scanned = queries._paths_scanned(index.db, NAMES)
    assert scanned == by_like
    assert {name: scanned[name] for name in EXPECTED} == EXPECTED
    assert {"über", "missing", "dat", "ata"}.isdisjoint(scanned)
    assert scanned["axb"] == "axb.md"


@pytest.mark.parametrize("count", [1, queries.SCANNED - 1, queries.SCANNED, len(NAMES)])
def test_few_names_or_many_resolve_alike(index: Index, count: int) -> None:
    assert queries._paths(index.db, NAMES[:count]) == queries._paths_by_like(index.db, NAMES[:count])


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
