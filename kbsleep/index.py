"""The search index: SQLite FTS5 (BM25) over page sections, at `<wiki>/.kbsleep/index.sqlite`.

One row per section (the lines from a heading to the next heading of any level; the text
before the first heading, frontmatter included, is a section of its own), with the page title
and aliases in their own boosted columns. The anticipated questions of every page are indexed
on their own table, so `ask` can look for a precomputed answer before it retrieves anything.

Text is tokenized once in Python (`kbsleep.llm.bm25.tokenize`: casefolded, NFKC, stop words
out, CJK characters one token each) and stored space-separated; FTS5's porter tokenizer then
stems it. Queries are built only from those word tokens, each quoted, so FTS5 syntax in a
question (`"`, `*`, `-`, NEAR, AND, parentheses) can never reach the query parser.

Updates are incremental: a page is re-read when its size or mtime changed and re-indexed
when its git blob id did. A corrupt, foreign or deleted index file is rebuilt silently.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kbsleep import answers
from kbsleep.config import Config
from kbsleep.llm.bm25 import tokenize
from kbsleep.state import ensure_state_dir
from kbsleep.wiki.discovery import discover, git_toplevel
from kbsleep.wiki.page import Page
from kbsleep.wiki.parse import blob_id, parse_page

NAME = "index.sqlite"
VERSION = "1"
TOKENIZER = "porter unicode61 remove_diacritics 2"
WEIGHTS = (10.0, 8.0, 3.0, 1.0)  # bm25() column weights: title, aliases, heading, body
BULK = 400  # at least this many changed pages: parse them through the wiki loader (parallel, cached)
MAX_QUERY_TOKENS = 64

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY, blob TEXT NOT NULL, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY, page TEXT NOT NULL, title TEXT NOT NULL, heading TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_page ON docs (page);
CREATE VIRTUAL TABLE IF NOT EXISTS sections USING fts5(
    title, aliases, heading, body, tokenize="{TOKENIZER}"
);
CREATE TABLE IF NOT EXISTS qa (
    id INTEGER PRIMARY KEY, page TEXT NOT NULL, title TEXT NOT NULL, aliases TEXT NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    fresh INTEGER NOT NULL, line INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS qa_page ON qa (page);
CREATE VIRTUAL TABLE IF NOT EXISTS questions USING fts5(question, title, tokenize="{TOKENIZER}");
"""


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

    @property
    def target(self) -> str:
        """The `[[Page#Section]]` target that names this section."""
        stem = self.page.rsplit("/", 1)[-1].removesuffix(".md")
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


@dataclass(frozen=True)
class Refresh:
    pages: int  # pages in the index afterwards
    updated: int  # pages (re)indexed
    removed: int
    rebuilt: bool  # the index file was missing, corrupt or of another version
    seconds: float


def index_path(root: Path) -> Path:
    return root / ".kbsleep" / NAME


def query_terms(text: str) -> list[str]:
    """The distinct word tokens of `text` a query may use (never FTS5 syntax)."""
    return list(dict.fromkeys(tokenize(text)))[:MAX_QUERY_TOKENS]


def fts_query(terms: Iterable[str]) -> str:
    """An OR of quoted terms; tokens are `\\w+` runs, so quoting makes each a plain string."""
    return " OR ".join(f'"{term}"' for term in terms if term and '"' not in term)


class Index:
    """An open index for one wiki; use as a context manager."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root, self.config = root, config
        self.path = ensure_state_dir(root) / NAME
        self.rebuilt = False
        self.db = self._open()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- opening, and rebuilding whatever cannot be read ----------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            db = self._connect()
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if version is None or version[0] != VERSION:
                db.close()
                raise sqlite3.DatabaseError("index of another version")
            return db
        except sqlite3.DatabaseError:
            return self._recreate()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        return db

    def _recreate(self) -> sqlite3.Connection:
        self.rebuilt = True
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        db = self._connect()
        db.execute("INSERT INTO meta (key, value) VALUES ('version', ?)", (VERSION,))
        return db

    def _guarded(self, work):  # type: ignore[no-untyped-def]
        """Run `work()`; on a corrupt database, rebuild from the pages and run it once more."""
        try:
            return work()
        except sqlite3.DatabaseError:
            self.db.close()
            self.db = self._recreate()
            self._refresh()
            return work()

    # -- updating ----------------------------------------------------------------------------

    def refresh(self) -> Refresh:
        """Bring the index up to date with the pages on disk; returns what changed."""
        return self._guarded(self._refresh)

    def _refresh(self) -> Refresh:
        started = time.perf_counter()
        top = git_toplevel(self.root)
        files = [
            p for p in discover(self.root, self.config.exclude, in_git=top is not None).pages
            if p != self.config.index_page
        ]  # fmt: skip
        stored = {row[0]: row[1:] for row in self.db.execute("SELECT path, blob, mtime_ns, size FROM pages")}
        changed: dict[str, tuple[bytes, os.stat_result]] = {}
        touched: list[tuple[str, os.stat_result]] = []
        for path in files:
            try:
                stat = os.stat(self.root / path)
            except OSError:
                continue
            known = stored.get(path)
            if known is not None and known[1] == stat.st_mtime_ns and known[2] == stat.st_size:
                continue
            try:
                data = (self.root / path).read_bytes()
            except OSError:
                continue
            if known is not None and known[0] == blob_id(data):
                touched.append((path, stat))
            else:
                changed[path] = (data, stat)
        removed = set(stored) - set(files)
        pages = self._parse(changed)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for path in removed | set(changed):
                self._delete(path)
            for path, page in pages.items():
                stat = changed[path][1]
                self._insert(page)
                self.db.execute(
                    "INSERT OR REPLACE INTO pages (path, blob, mtime_ns, size) VALUES (?, ?, ?, ?)",
                    (path, page.blob, stat.st_mtime_ns, stat.st_size),
                )
            for path, stat in touched:
                self.db.execute(
                    "UPDATE pages SET mtime_ns = ?, size = ? WHERE path = ?",
                    (stat.st_mtime_ns, stat.st_size, path),
                )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return Refresh(len(files), len(pages), len(removed), self.rebuilt, time.perf_counter() - started)

    def _parse(self, changed: dict[str, tuple[bytes, os.stat_result]]) -> dict[str, Page]:
        if len(changed) >= BULK:
            from kbsleep.wiki import load_wiki

            loaded = load_wiki(self.root, self.config).pages
            return {path: loaded[path] for path in changed if path in loaded}
        limit = self.config.max_page_bytes
        return {path: parse_page(path, data, max_bytes=limit) for path, (data, _) in changed.items()}

    def _delete(self, path: str) -> None:
        self.db.execute("DELETE FROM sections WHERE rowid IN (SELECT id FROM docs WHERE page = ?)", (path,))
        self.db.execute("DELETE FROM docs WHERE page = ?", (path,))
        self.db.execute("DELETE FROM questions WHERE rowid IN (SELECT id FROM qa WHERE page = ?)", (path,))
        self.db.execute("DELETE FROM qa WHERE page = ?", (path,))

    def _insert(self, page: Page) -> None:
        title = " ".join(tokenize(f"{page.title} {page.stem}"))
        aliases = " ".join(tokenize(" ".join(page.aliases)))
        for heading, start, end, text in chunks(page):
            cursor = self.db.execute(
                "INSERT INTO docs (page, title, heading, start, end, text) VALUES (?, ?, ?, ?, ?, ?)",
                (page.path, page.title, heading, start, end, text),
            )
            self.db.execute(
                "INSERT INTO sections (rowid, title, aliases, heading, body) VALUES (?, ?, ?, ?, ?)",
                (cursor.lastrowid, title, aliases, " ".join(tokenize(heading)), " ".join(tokenize(text))),
            )
        cached = answers.parse(page) if page.parsed else None
        for qa in cached.qas if cached else ():
            cursor = self.db.execute(
                "INSERT INTO qa (page, title, aliases, question, answer, citations, fresh, line)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (page.path, page.title, json.dumps(list(page.aliases)), qa.question, qa.answer,
                 json.dumps(list(qa.citations)), int(cached.fresh), cached.fence.start),
            )  # fmt: skip
            self.db.execute(
                "INSERT INTO questions (rowid, question, title) VALUES (?, ?, ?)",
                (cursor.lastrowid, " ".join(tokenize(qa.question)), f"{title} {aliases}"),
            )

    # -- reading -----------------------------------------------------------------------------

    def search(self, terms: Sequence[str], k: int = 20) -> list[Hit]:
        """The `k` best sections for any of `terms`, best first."""
        query = fts_query(terms)
        if not query:
            return []
        sql = (
            "SELECT d.page, d.title, d.heading, d.start, d.end, d.text, bm25(sections, ?, ?, ?, ?) AS rank"
            " FROM sections JOIN docs d ON d.id = sections.rowid"
            " WHERE sections MATCH ? ORDER BY rank LIMIT ?"
        )
        rows = self._guarded(lambda: self.db.execute(sql, (*WEIGHTS, query, k)).fetchall())
        return [Hit(p, t, h, s, e, text, -rank) for p, t, h, s, e, text, rank in rows]

    def anticipated(self, terms: Sequence[str], k: int = 20) -> list[Anticipated]:
        """Fresh precomputed questions sharing a term with `terms`, best first."""
        query = fts_query(terms)
        if not query:
            return []
        sql = (
            "SELECT q.page, q.title, q.aliases, q.question, q.answer, q.citations, q.line"
            " FROM questions JOIN qa q ON q.id = questions.rowid"
            " WHERE questions MATCH ? AND q.fresh = 1 ORDER BY bm25(questions, 1.0, 2.0) LIMIT ?"
        )
        rows = self._guarded(lambda: self.db.execute(sql, (query, k)).fetchall())
        return [
            Anticipated(p, t, tuple(json.loads(a)), q, ans, tuple(json.loads(c)), line)
            for p, t, a, q, ans, c, line in rows
        ]

    def coverage(self, groups: Sequence[Sequence[str]], hits: Sequence[Hit]) -> float:
        """The idf-weighted share of the query's term groups that occur in the sections of `hits`.

        A group is one asked word and its synonyms; it counts as present when any of them is.
        A word the wiki never uses weighs the most, so "What is Tokyo's population?" scores low
        on a wiki that mentions population but never Tokyo.
        """
        if not groups:
            return 0.0
        pages = sorted({hit.page for hit in hits})

        def work() -> float:
            total = self.db.execute("SELECT count(*) FROM docs").fetchone()[0] or 1
            marks = ",".join("?" * len(pages))
            weight = present = 0.0
            for group in groups:
                query = fts_query(group)
                if not query:
                    continue
                df = self.db.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM sections WHERE sections MATCH ? LIMIT 5000)", (query,)
                ).fetchone()[0]
                idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
                weight += idf
                if pages and df and self.db.execute(
                    "SELECT 1 FROM sections JOIN docs d ON d.id = sections.rowid"
                    f" WHERE sections MATCH ? AND d.page IN ({marks}) LIMIT 1",
                    (query, *pages),
                ).fetchone():
                    present += idf
            return present / weight if weight else 0.0

        return self._guarded(work)

    def locate(self, target: str) -> tuple[str, int] | None:
        """The (path, line) of a `Page#Section` target, when the index knows it."""
        name, _, heading = target.partition("#")
        name = name.strip().removesuffix(".md")
        heading = heading.split("#")[-1].strip()
        sql = (
            "SELECT page, title, heading, start FROM docs WHERE page = ? OR page LIKE ? OR title = ?"
            " ORDER BY page, start"
        )
        rows = self._guarded(lambda: self.db.execute(sql, (f"{name}.md", f"%/{name}.md", name)).fetchall())
        if not rows:
            return None
        for page, _title, head, start in rows:
            if heading and _same_heading(head, heading):
                return page, start
        return rows[0][0], rows[0][3]

    def stats(self) -> dict[str, int]:
        def work() -> dict[str, int]:
            count = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
            return {
                "pages": count("SELECT count(*) FROM pages"),
                "sections": count("SELECT count(*) FROM docs"),
                "questions": count("SELECT count(*) FROM qa"),
                "fresh_questions": count("SELECT count(*) FROM qa WHERE fresh = 1"),
            }

        return self._guarded(work)


def chunks(page: Page) -> list[tuple[str, int, int, str]]:
    """(heading, start, end, text) of each section of `page`, anticipate sections left out.

    Sections do not nest here: each runs to the next heading of any level, so a hit names the
    smallest part of the page that holds the words.
    """
    if not page.parsed or not page.text:
        return []
    lines = page.lines
    hidden = {n for f in page.fences if f.name == answers.FENCE for n in range(f.start, f.end + 1)}
    starts = [h for h in page.headings if h.line not in hidden]
    found: list[tuple[str, int, int, str]] = []
    bounds = [(None, 1)] + [(h, h.line) for h in starts] + [(None, len(lines) + 1)]
    for (heading, start), (_, following) in zip(bounds, bounds[1:]):
        end = following - 1
        if end < start:
            continue
        text = "\n".join(lines[n - 1] for n in range(start, end + 1) if n not in hidden).strip()
        if any(ch.isalnum() for ch in text):
            found.append((heading.text.strip() if heading else "", start, end, text))
    return found


def _same_heading(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())
