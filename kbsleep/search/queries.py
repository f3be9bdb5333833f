"""Reading the index: sections for a query (BM25 over FTS5), precomputed questions, a page's
sections and links, and the figures `ask` weighs its evidence with.

Queries are built only from word tokens (`words.query_terms`), each quoted, so FTS5 syntax in a
question (`"`, `*`, `-`, NEAR, AND, parentheses) can never reach the query parser.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kbsleep.search.sections import same_heading
from kbsleep.search.storage import name_key
from kbsleep.wiki.linkpath import fold, opens

WEIGHTS = (10.0, 8.0, 3.0, 1.0, 2.0, 1.0)  # bm25() column weights: title, aliases, heading, body, questions, expansion


@dataclass(frozen=True)
class Hit:
    """One section that matched a query."""

    page: str
    title: str
    heading: str  # "" for the text before the first heading
    start: int  # 1-based line range in the page
    end: int
    text: str
    score: float  # BM25, higher is better
    id: int = 0  # the section's row in the index
    shared: bool = False  # another page has its file name: a link names it by its path (`shared_names`)

    @property
    def target(self) -> str:
        """The `[[Page#Section]]` target that names this section: by the page's path when its
        file name is shared, by which `[[Templates]]` would open the shorter path's page."""
        stem = self.page.removesuffix(".md") if self.shared else self.page.rsplit("/", 1)[-1].removesuffix(".md")
        return f"{stem}#{self.heading}" if self.heading else stem


@dataclass(frozen=True)
class Anticipated:
    """A precomputed question and answer from a page's anticipate section."""

    page: str
    title: str
    aliases: tuple[str, ...]
    question: str
    answer: str
    citations: tuple[str, ...]
    line: int  # where the anticipate section starts
    hash: str = ""  # of the question: the key of its vector


ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,7}")  # "CPU", "SFTP", "HSTU": a name, as an alias too

def fts_query(terms: Iterable[str]) -> str:
    """An OR of quoted terms; tokens are `\\w+` runs, so quoting makes each a plain string."""
    return " OR ".join(f'"{term}"' for term in terms if term and '"' not in term)


SAID = "{title aliases heading body questions}"  # the columns of what the wiki says (not the expansion)


def said_query(terms: Iterable[str]) -> str:
    """`fts_query(terms)` over what the wiki says: the words a section is expanded with
    (search/expansion.py) help find it, never count as the wiki holding a word."""
    query = fts_query(terms)
    return f"{SAID} : ({query})" if query else ""


def search(db: sqlite3.Connection, terms: Sequence[str], k: int = 20) -> list[Hit]:
    """The `k` best sections for any of `terms`, best first."""
    query = fts_query(terms)
    if not query:
        return []
    # The best `k` rows first, from the full-text index alone, then their sections: joined in
    # the query, every matching row's section was read before the sort kept `k` of them
    # (thousands for a common word at 10k pages, a tenth of a warm `ask`).
    sql = "SELECT rowid, bm25(sections, ?, ?, ?, ?, ?, ?) AS rank FROM sections WHERE sections MATCH ? ORDER BY rank LIMIT ?"
    ranked = db.execute(sql, (*WEIGHTS, query, k)).fetchall()
    rows = _docs(db, [row for row, _ in ranked])
    return [Hit(*rows[i][1:], -rank, i) for i, rank in ranked if i in rows]  # type: ignore[misc]


def anticipated(db: sqlite3.Connection, terms: Sequence[str], k: int = 20) -> list[Anticipated]:
    """Fresh precomputed questions sharing a term with `terms`, best first."""
    query = fts_query(terms)
    if not query:
        return []
    sql = (
        "SELECT q.page, q.title, q.aliases, q.question, q.answer, q.citations, q.line, q.hash"
        " FROM questions JOIN qa q ON q.id = questions.rowid"
        " WHERE questions MATCH ? AND q.fresh = 1 ORDER BY bm25(questions, 1.0, 2.0) LIMIT ?"
    )
    rows = db.execute(sql, (query, k)).fetchall()
    return [
        Anticipated(p, t, tuple(json.loads(a)), q, ans, tuple(json.loads(c)), line, h)
        for p, t, a, q, ans, c, line, h in rows
    ]


def anticipated_on(db: sqlite3.Connection, pages: Sequence[str]) -> list[Anticipated]:
    """The fresh precomputed questions kept for `pages`."""
    if not pages:
        return []
    marks = ",".join("?" * len(pages))
    sql = (
        "SELECT page, title, aliases, question, answer, citations, line, hash FROM qa"
        f" WHERE fresh = 1 AND page IN ({marks}) ORDER BY id"
    )
    rows = db.execute(sql, tuple(pages)).fetchall()
    return [Anticipated(p, t, tuple(json.loads(a)), q, ans, tuple(json.loads(c)), line, h) for p, t, a, q, ans, c, line, h in rows]


def sections(db: sqlite3.Connection, ids: Sequence[int]) -> list[Hit]:
    """The sections with row ids `ids`, in that order (score 0)."""
    rows = _docs(db, ids)
    return [Hit(r[1], r[2], r[3], r[4], r[5], r[6], 0.0, r[0]) for r in (rows.get(i) for i in ids) if r]


def _docs(db: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[int, str, str, str, int, int, str]]:
    """row id -> (id, page, title, heading, start, end, text), for those of `ids` that are sections."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = f"SELECT id, page, title, heading, start, end, text FROM docs WHERE id IN ({marks})"
    return {r[0]: r for r in db.execute(sql, tuple(ids)).fetchall()}


def pages_named(db: sqlite3.Connection, name: str, alias: bool = False) -> tuple[str, ...]:
    """The pages whose title or file name is `name` (case aside), sorted: the title
    column is searched for the phrase, then compared whole. Not an alias ("Obsidian Sync" is an
    alias of *Introduction to Obsidian Sync*, which a question about a feature of Sync does not
    ask), unless `name` is an acronym ("CPU" of *Central Processing Unit*) or `alias` says the
    question asks what `name` is ("What is a hash table?" of *Hashmap*, aliased "Hash Table")."""
    words = [w.replace('"', '""') for w in name.split()]
    if not words:
        return ()
    sql = "SELECT DISTINCT d.page, d.title FROM sections JOIN docs d ON d.id = sections.rowid WHERE sections MATCH ? LIMIT 200"
    wanted = fold(name)
    found = {page for page, title in db.execute(sql, ('{title} : "' + " ".join(words) + '"',)).fetchall()
             if wanted in {fold(n) for n in (title, page.rsplit("/", 1)[-1].removesuffix(".md"))}}  # fmt: skip
    if not found and (alias or ACRONYM.fullmatch(name)):
        # an acronym is a name whatever page holds it as an alias: "SFTP" for *SSH File Transfer Protocol*
        sql = "SELECT DISTINCT d.page, sections.aliases FROM sections JOIN docs d ON d.id = sections.rowid WHERE sections MATCH ? LIMIT 200"
        found = {page for page, aliases in db.execute(sql, ('{aliases} : "' + " ".join(words) + '"',)).fetchall() if wanted in _alias_names(aliases)}
    return tuple(sorted(found))


def aliases_of(db: sqlite3.Connection, pages: Sequence[str]) -> dict[str, set[str]]:
    """The aliases of each of `pages` that has any, casefolded."""
    if not pages:
        return {}
    marks = ",".join("?" * len(pages))
    sql = f"SELECT DISTINCT d.page, sections.aliases FROM sections JOIN docs d ON d.id = sections.rowid WHERE d.page IN ({marks})"
    found: dict[str, set[str]] = {}
    for page, aliases in db.execute(sql, tuple(pages)).fetchall():
        names = {name for name in _alias_names(aliases or "") if name}
        if names:
            found.setdefault(page, set()).update(names)
    return found


def _alias_names(aliases: str) -> set[str]:
    """The aliases of a page, as the `aliases` column holds them (" | " between two), casefolded."""
    return {fold(alias) for alias in aliases.split("|")}


def page_sections(db: sqlite3.Connection, pages: Sequence[str]) -> list[Hit]:
    """Every section of `pages`, page by page, in page order."""
    if not pages:
        return []
    marks = ",".join("?" * len(pages))
    sql = f"SELECT id, page, title, heading, start, end, text FROM docs WHERE page IN ({marks}) ORDER BY page, start"
    rows = db.execute(sql, tuple(pages)).fetchall()
    return [Hit(r[1], r[2], r[3], r[4], r[5], r[6], 0.0, r[0]) for r in rows]


def document_frequency(db: sqlite3.Connection, terms: Sequence[str], cap: int = 2000) -> tuple[dict[str, int], int]:
    """For each of `terms` (words as asked; the index stems them), in how many pages it occurs,
    counted up to `cap`; and how many pages there are."""
    total = db.execute("SELECT count(*) FROM pages").fetchone()[0]
    counts = {}
    for term in terms:
        query = said_query([term])
        counts[term] = db.execute(
            "SELECT count(DISTINCT d.page) FROM (SELECT rowid FROM sections WHERE sections MATCH ? LIMIT ?) m"
            " JOIN docs d ON d.id = m.rowid",
            (query, cap),
        ).fetchone()[0] if query else 0
    return counts, total


def together(db: sqlite3.Connection, words: Sequence[str]) -> bool:
    """Whether one section writes each of `words` (the index stems them) in what the wiki says."""
    query = " AND ".join(f'"{word}"' for word in words if word and '"' not in word)
    return bool(query) and db.execute("SELECT 1 FROM sections WHERE sections MATCH ? LIMIT 1", (f"{SAID} : ({query})",)).fetchone() is not None


def linked(db: sqlite3.Connection, pages: Sequence[str]) -> dict[str, list[str]]:
    """page -> the pages of the index it links to, for each of `pages`: the page Obsidian opens
    for each link (`linkpath.opens`), or each of those it may open on a tie."""
    if not pages:
        return {}
    marks = ",".join("?" * len(pages))
    rows = db.execute(f"SELECT page, target FROM links WHERE page IN ({marks})", tuple(pages)).fetchall()
    opened = _destinations(db, list(dict.fromkeys(rows))[:200])
    found: dict[str, list[str]] = {page: [] for page in pages}
    for page, target in rows:
        for path in opened.get((page, target), ()):
            if path != page and path not in found[page]:
                found[page].append(path)
    return found


def _destinations(db: sqlite3.Connection, links: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, ...]]:
    """(linking page, link path as written) -> the indexed pages the link opens (`linkpath.opens`:
    under the linking page's folder first, then the shortest path; several on a tie). The
    candidates are found by the pages' indexed `name`: reading every path for the names a page
    links to cost a warm `ask` 5% at 10k pages, a look-up by name 1 ms."""
    candidates = _named(db, [target.rsplit("/", 1)[-1] + ".md" for _, target in links])
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for page, target in links:
        pages = candidates.get(name_key(target.rsplit("/", 1)[-1] + ".md"), [])
        if pages:
            found[(page, target)] = opens(target, page.rpartition("/")[0], pages)
    return found


def _named(db: sqlite3.Connection, names: Sequence[str]) -> dict[str, list[str]]:
    """`name_key` -> the indexed pages of that file name, for the file names `names` (each
    letter's case aside, as Obsidian compares them), looked up by the indexed `pages.name`."""
    keys = list({name_key(name) for name in names})
    found: dict[str, list[str]] = {}
    for start in range(0, len(keys), 500):  # within SQLite's limit of bound values
        part = keys[start : start + 500]
        for key, path in db.execute(f"SELECT name, path FROM pages WHERE name IN ({','.join('?' * len(part))})", part).fetchall():
            found.setdefault(key, []).append(path)
    return found


def anchored(db: sqlite3.Connection, ids: Sequence[int]) -> list[Hit]:
    """The sections that the links in sections `ids` name by heading (`[[Page#Heading]]`), in
    the order of `ids`, once each."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT l.doc, l.page, l.target, l.heading FROM links l WHERE l.doc IN ({marks}) AND l.heading != ''", tuple(ids)
    ).fetchall()
    place = {row: i for i, row in enumerate(ids)}
    rows.sort(key=lambda r: place.get(r[0], len(place)))
    opened = _destinations(db, list(dict.fromkeys((page, target) for _, page, target, _ in rows[:50])))
    found: dict[int, Hit] = {}
    for _, page, target, heading in rows[:50]:
        for hit in page_sections(db, list(opened.get((page, target), ()))):
            if same_heading(hit.heading, heading):
                found.setdefault(hit.id, hit)
                break
    return list(found.values())


def coverage(db: sqlite3.Connection, groups: Sequence[tuple[Sequence[str], float]], hits: Sequence[Hit]) -> float:
    """The idf-weighted share of the query's term groups that occur in the sections of `hits`.

    A group is one asked word and its synonyms, with a weight that scales its idf; it
    counts as present when any of them is. A word the wiki never uses weighs the most, so "What is Tokyo's population?" scores low
    on a wiki that mentions population but never Tokyo.
    """
    if not groups:
        return 0.0
    pages = sorted({hit.page for hit in hits})
    # Document frequency over pages, not sections: a page's title is in all its sections.
    total = db.execute("SELECT count(*) FROM pages").fetchone()[0] or 1
    marks = ",".join("?" * len(pages))
    weight = present = 0.0
    for group, scale in groups:
        query = said_query(group)
        if not query:
            continue
        df = db.execute(
            "SELECT count(DISTINCT d.page) FROM (SELECT rowid FROM sections WHERE sections MATCH ? LIMIT 5000) m"
            " JOIN docs d ON d.id = m.rowid",
            (query,),
        ).fetchone()[0]
        idf = scale * math.log(1 + (total - df + 0.5) / (df + 0.5))
        weight += idf
        if pages and df and db.execute(
            "SELECT 1 FROM sections JOIN docs d ON d.id = sections.rowid"
            f" WHERE sections MATCH ? AND d.page IN ({marks}) LIMIT 1",
            (query, *pages),
        ).fetchone():
            present += idf
    return present / weight if weight else 0.0


def locate(db: sqlite3.Connection, target: str, citing: str = "") -> tuple[str, int] | None:
    """The (path, line) of a `Page#Section` target, when the index knows it: of pages of one
    file name, the one a link from the page `citing` opens first (`linkpath.opens`)."""
    name, _, heading = target.partition("#")
    name = name.strip().removesuffix(".md")
    heading = heading.split("#")[-1].strip()
    key = fold(f"{name}.md")
    named = _named(db, [f"{name}.md"]).get(name_key(f"{name}.md"), [])
    opened = opens(name, citing.rpartition("/")[0], named) if named else ()
    # the pages the link path names from anywhere (its vault path, or a path ending with it), each letter's case aside
    pages = sorted({*opened, *(path for path in named if fold(path) == key or fold(path).endswith(f"/{key}"))})
    sql = f"SELECT page, title, heading, start FROM docs WHERE page IN ({','.join('?' * len(pages))}) OR title = ? ORDER BY page, start"
    rows = db.execute(sql, (*pages, name)).fetchall()
    if not rows:
        return None
    rows.sort(key=lambda row: row[0] not in opened)  # (stable: page order, then line, within each)
    for page, _title, head, start in rows:
        if heading and same_heading(head, heading):
            return page, start
    return rows[0][0], rows[0][3]


def shared_names(db: sqlite3.Connection, pages: Sequence[str]) -> set[str]:
    """Those of `pages` whose file name another indexed page has too."""
    names = list({name_key(page) for page in pages})
    found: set[str] = set()
    for start in range(0, len(names), 500):  # within SQLite's limit of bound values
        part = names[start : start + 500]
        sql = f"SELECT name FROM pages WHERE name IN ({','.join('?' * len(part))}) GROUP BY name HAVING count(*) > 1"
        found.update(name for (name,) in db.execute(sql, part).fetchall())
    return {page for page in pages if name_key(page) in found}


def stats(db: sqlite3.Connection) -> dict[str, int]:
    """How many pages, sections and precomputed questions the index holds."""
    count = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "pages": count("SELECT count(*) FROM pages"),
        "sections": count("SELECT count(*) FROM docs"),
        "questions": count("SELECT count(*) FROM qa"),
        "fresh_questions": count("SELECT count(*) FROM qa WHERE fresh = 1"),
    }
