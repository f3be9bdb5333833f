"""The index's SQLite file: its schema, opening it (a corrupt, foreign or old one is rebuilt),
and writing and deleting a page's rows.

One row per section in `docs`, its words in the FTS5 table `sections` (title and aliases in
their own boosted columns); each page's anticipated questions in `qa`, their words in
`questions`; the file names each page links to in `links`; vectors by content hash in `vectors`.
Text is stored as `words.searchable` gives it; FTS5's unicode61 tokenizer folds case and
diacritics and porter stems.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kbsleep.search.expansion import Expander, expansions, topic
from kbsleep.search.sections import chunks, content_hash, embedding_text, questions_by_section, section_links, trails
from kbsleep.search.words import searchable
from kbsleep.state import immediate
from kbsleep.wiki.linkpath import fold

if TYPE_CHECKING:
    from kbsleep.wiki.page import Page

NAME = "index.sqlite"
# 2: pages.held, the state of the file that keeps a page's answers; 3: questions, links, vectors;
# 4: pages are tracked by blob id alone, as the wiki model's snapshot gives them (no mtime, size);
# 5: sections.expansion, words a reader may ask a section with (search/expansion.py); links.doc
# and links.heading, the section a link is in and the heading it names; 6: the same rows, written
# again (a page's title is its H1 only when the H1 opens the page: `wiki.properties.heading_title`)
# 7: a page's aliases written apart (" | "), so that a whole alias of several words can be told;
# 8: pages.name, indexed, so a link's file name finds its page without reading every path
# 9: links.target keeps the path as written ("Sync/Security"), for Obsidian's folder rule (`linkpath.opens`)
# 10: pages.name casefolds every letter (`name_key`), not only ASCII's as SQLite's LIKE did: `[[über]]` finds `Über.md`
VERSION = "10"
TOKENIZER = "porter unicode61 remove_diacritics 2"

_SECTIONS = f"""CREATE VIRTUAL TABLE IF NOT EXISTS sections USING fts5(
    title, aliases, heading, body, questions, expansion, tokenize="{TOKENIZER}"
);"""
_LINKS = """CREATE TABLE IF NOT EXISTS links (  -- target: the link path as written, no `.md` (an older index may hold its file name, casefolded: a link path too); doc: the section the link is in
    page TEXT NOT NULL, target TEXT NOT NULL, doc INTEGER NOT NULL DEFAULT 0, heading TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS links_page ON links (page);
CREATE INDEX IF NOT EXISTS links_target ON links (target);
CREATE INDEX IF NOT EXISTS links_doc ON links (doc);"""
_PAGES = """CREATE TABLE IF NOT EXISTS pages (  -- name: `name_key(path)` (an index upgraded from 9 declares it a BLOB; it holds text all the same)
    path TEXT PRIMARY KEY, blob TEXT NOT NULL, held TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS pages_name ON pages (name);"""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
{_PAGES}
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY, page TEXT NOT NULL, title TEXT NOT NULL, heading TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    trail TEXT NOT NULL, hash TEXT NOT NULL  -- the headings above it; the hash of what its vector is of
);
CREATE INDEX IF NOT EXISTS docs_page ON docs (page);
{_SECTIONS}
CREATE TABLE IF NOT EXISTS qa (
    id INTEGER PRIMARY KEY, page TEXT NOT NULL, title TEXT NOT NULL, aliases TEXT NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    fresh INTEGER NOT NULL, line INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS qa_page ON qa (page);
CREATE VIRTUAL TABLE IF NOT EXISTS questions USING fts5(question, title, tokenize="{TOKENIZER}");
{_LINKS}
CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vec BLOB NOT NULL);
"""
TABLES = frozenset({"meta", "pages", "docs", "sections", "qa", "questions", "links", "vectors"})
PAGE_TABLES = ("docs", "sections", "qa", "questions", "pages", "links")  # what a page's rows are in


def index_path(root: Path) -> Path:
    return root / ".kbsleep" / NAME


def open_db(path: Path) -> tuple[sqlite3.Connection, bool]:
    """The index at `path`, and whether it had to be made anew (missing, corrupt, foreign, old)."""
    db = None
    try:
        db = connect(path)
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if not TABLES <= names:
            raise sqlite3.DatabaseError("not a kbsleep index, or tables missing")
        version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if version is not None and version[0] in ("3", "4", "5", "6"):
            _upgrade(db, version[0])
        elif version is not None and version[0] in ("7", "9"):
            _name_pages(db, version[0])
        elif version is None or version[0] != VERSION:
            raise sqlite3.DatabaseError("index of another version")
        return db, False
    except sqlite3.DatabaseError:
        if db is not None:
            db.close()
        return recreate(path), True


def _upgrade(db: sqlite3.Connection, version: str) -> None:
    """Version 3, 4, 5 or 6 to 7: new `pages` and `sections` tables, empty, so every page is
    indexed again (3 to 4: pages tracked by blob id; 4 to 5: the `expansion` column; 5 to 6:
    titles; 6 to 7: aliases apart); the vectors, kept by content hash, are reused (computing them
    is most of the time a first index takes)."""
    db.executescript(
        f"BEGIN IMMEDIATE; DROP TABLE pages; {_PAGES} DROP TABLE sections; {_SECTIONS} DROP TABLE links; {_LINKS}"
        f" UPDATE meta SET value = '{VERSION}' WHERE key = 'version'; DELETE FROM meta WHERE key IN ('fingerprint', 'head', 'dirty'); COMMIT;"
    )


def _name_pages(db: sqlite3.Connection, version: str) -> None:
    """Version 7 or 9 to 10, in place: every page's `name` written from its path (no page is
    indexed again; 7 has no such column, 9 folded ASCII letters only); a process that upgraded it
    meanwhile has left nothing to do."""
    with immediate(db):
        if db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() != (version,):
            return
        if version == "7":
            db.execute("ALTER TABLE pages ADD COLUMN name TEXT NOT NULL DEFAULT ''")
        paths = [row[0] for row in db.execute("SELECT path FROM pages")]
        db.executemany("UPDATE pages SET name = ? WHERE path = ?", [(name_key(path), path) for path in paths])
        db.execute("CREATE INDEX IF NOT EXISTS pages_name ON pages (name)")
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (VERSION,))


def name_key(path: str) -> str:
    """A page's `pages.name`: its file name as Obsidian compares a link's (`linkpath.fold`:
    every letter's case aside, `[[über]]` finds `Über.md`), so a look-up by it finds every page
    a link of that file name may open."""
    return fold(path.rpartition("/")[2])


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def recreate(path: Path) -> sqlite3.Connection:
    """An empty index at `path`, whatever was there before."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = connect(path)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO meta (key, value) VALUES ('version', ?)", (VERSION,))
    return db


def meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM meta").fetchall())


def delete_page(db: sqlite3.Connection, path: str) -> None:
    """Every row of the page at `path` but its `pages` row."""
    db.execute("DELETE FROM sections WHERE rowid IN (SELECT id FROM docs WHERE page = ?)", (path,))
    db.execute("DELETE FROM docs WHERE page = ?", (path,))
    db.execute("DELETE FROM questions WHERE rowid IN (SELECT id FROM qa WHERE page = ?)", (path,))
    db.execute("DELETE FROM qa WHERE page = ?", (path,))
    db.execute("DELETE FROM links WHERE page = ?", (path,))


def _section_of(found: list[tuple[str, int, int, str]], starts: list[int], first: int, line: int) -> int:
    """The id of the section of `found` (which start at `starts`, ids from `first` on) that
    holds `line`; 0 for none (a link in the page's anticipate section)."""
    at = bisect.bisect_right(starts, line) - 1
    return first + at if at >= 0 and line <= found[at][2] else 0


def insert_pages(db: sqlite3.Connection, pages: Iterable[Page], sidecars: Mapping[str, Page], in_page: bool, expander: Expander | None = None) -> None:
    """Insert the rows of `pages`, in bulk (ids assigned here, so both tables take executemany);
    their answers from the page itself (`in_page`), or from `sidecars` (by page path); each
    section's `expansion` by `expander` (none without one)."""
    from kbsleep import answers

    # a section's id is never given again once its page changed (ids only grow, even when the
    # last page's rows were deleted): the vectors' watermark (search/vector_store.py) relies on it
    issued = db.execute("SELECT value FROM meta WHERE key = 'doc-ids'").fetchone()
    next_doc = max(db.execute("SELECT max(id) FROM docs").fetchone()[0] or 0, int(issued[0]) if issued else 0) + 1
    next_qa = (db.execute("SELECT max(id) FROM qa").fetchone()[0] or 0) + 1
    docs, sections, qas, questions, links, topics = [], [], [], [], [], []
    for page in pages:
        title = searchable(f"{page.title} {page.stem}")
        aliases = searchable(" | ".join(page.aliases))
        held = page if in_page else sidecars.get(page.path)
        cached = answers.parse(page, held) if page.parsed and held is not None else None
        found = chunks(page)
        asked = questions_by_section(page, [heading for heading, *_ in found], cached.qas if cached and cached.fresh else ())
        folder = page.path.rsplit("/", 1)[0] if "/" in page.path else ""
        first = next_doc
        for (heading, start, end, text), trail, doc2query in zip(found, trails(page, found), asked):
            key = content_hash(embedding_text(page.title, trail, text))
            docs.append((next_doc, page.path, page.title, heading, start, end, text, trail, key))
            sections.append((next_doc, title, aliases, searchable(f"{trail} {folder.replace('/', ' ')}"), searchable(text), searchable(doc2query)))
            topics.append(topic(page.title, trail, text))
            next_doc += 1
        line = cached.fence.start if cached and in_page else 1  # a sidecar's line is not the page's
        for qa in cached.qas if cached else ():
            qas.append((next_qa, page.path, page.title, json.dumps(list(page.aliases)), qa.question, qa.answer,
                        json.dumps(list(qa.citations)), int(cached.fresh), line, content_hash(qa.question)))  # fmt: skip
            questions.append((next_qa, searchable(qa.question), f"{title} {aliases}"))
            next_qa += 1
        starts = [start for _, start, _, _ in found]
        links.extend(dict.fromkeys((page.path, name, _section_of(found, starts, first, line), heading) for name, heading, line in section_links(page)))
    db.executemany("INSERT INTO docs (id, page, title, heading, start, end, text, trail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('doc-ids', ?)", (str(next_doc - 1),))
    rows = [(*row, words) for row, words in zip(sections, expansions(expander, topics))]
    db.executemany("INSERT INTO sections (rowid, title, aliases, heading, body, questions, expansion) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany(
        "INSERT INTO qa (id, page, title, aliases, question, answer, citations, fresh, line, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        qas,
    )
    db.executemany("INSERT INTO questions (rowid, question, title) VALUES (?, ?, ?)", questions)
    db.executemany("INSERT INTO links (page, target, doc, heading) VALUES (?, ?, ?, ?)", links)
