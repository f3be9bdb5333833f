"""The search index: SQLite FTS5 (BM25) over page sections, at `<wiki>/.kbsleep/index.sqlite`.

One row per section (the lines from a heading to the next heading of any level; the text
before the first heading, frontmatter included, is a section of its own), with the page title
and aliases in their own boosted columns. The anticipated questions of every page are indexed
on their own table, so `ask` can look for a precomputed answer before it retrieves anything.

Text is stored NFKC-normalised with CJK characters spaced apart (each is a word of its own,
as in `kbsleep.llm.bm25.tokenize`); FTS5's unicode61 tokenizer folds case and diacritics and
porter stems. Queries are built only from `tokenize`'s word tokens, each quoted, so FTS5 syntax
in a question (`"`, `*`, `-`, NEAR, AND, parentheses) can never reach the query parser.

Updates are incremental: a page is re-read when its size or mtime changed and re-indexed
when its git blob id did, or when the file that keeps its answers did (`held`: with
`anticipate.store = "sidecar"`, the sidecar's size and mtime; sidecars are never indexed as
pages). A corrupt, foreign or deleted index file is rebuilt silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from typing import TYPE_CHECKING

from kbsleep import changes, obsidian
from kbsleep.config import Config
from kbsleep.search import store
from kbsleep.search.bm25 import _UNSPACED, tokenize
from kbsleep.state import ensure_state_dir

if TYPE_CHECKING:
    from kbsleep.wiki.page import Page

# `kbsleep.wiki` (the Markdown parser) is imported only when pages changed: a warm `ask`
# must not pay for it.

NAME = "index.sqlite"
VERSION = "3"  # 2: pages.held, the state of the file that keeps a page's answers; 3: questions, links, vectors
TOKENIZER = "porter unicode61 remove_diacritics 2"
WEIGHTS = (10.0, 8.0, 3.0, 1.0, 2.0)  # bm25() column weights: title, aliases, heading, body, questions
BULK = 400  # at least this many changed pages: parse them through the wiki loader (parallel, cached)
MAX_QUERY_TOKENS = 64

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    path TEXT PRIMARY KEY, blob TEXT NOT NULL, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
    held TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY, page TEXT NOT NULL, title TEXT NOT NULL, heading TEXT NOT NULL,
    start INTEGER NOT NULL, end INTEGER NOT NULL, text TEXT NOT NULL,
    trail TEXT NOT NULL, hash TEXT NOT NULL  -- the headings above it; the hash of what its vector is of
);
CREATE INDEX IF NOT EXISTS docs_page ON docs (page);
CREATE VIRTUAL TABLE IF NOT EXISTS sections USING fts5(
    title, aliases, heading, body, questions, tokenize="{TOKENIZER}"
);
CREATE TABLE IF NOT EXISTS qa (
    id INTEGER PRIMARY KEY, page TEXT NOT NULL, title TEXT NOT NULL, aliases TEXT NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL,
    fresh INTEGER NOT NULL, line INTEGER NOT NULL, hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS qa_page ON qa (page);
CREATE VIRTUAL TABLE IF NOT EXISTS questions USING fts5(question, title, tokenize="{TOKENIZER}");
CREATE TABLE IF NOT EXISTS links (page TEXT NOT NULL, target TEXT NOT NULL);  -- target: the linked file name, casefolded
CREATE INDEX IF NOT EXISTS links_page ON links (page);
CREATE INDEX IF NOT EXISTS links_target ON links (target);
CREATE TABLE IF NOT EXISTS vectors (hash TEXT PRIMARY KEY, vec BLOB NOT NULL);
"""
TABLES = frozenset({"meta", "pages", "docs", "sections", "qa", "questions", "links", "vectors"})


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
    hash: str = ""  # of the question: the key of its vector


@dataclass(frozen=True)
class Refresh:
    pages: int  # pages in the index afterwards
    updated: int  # pages (re)indexed
    removed: int
    rebuilt: bool  # the index file was missing, corrupt or of another version
    seconds: float


def searchable(text: str) -> str:
    """`text` as the FTS5 columns hold it: NFKC, and CJK characters spaced apart."""
    text = unicodedata.normalize("NFKC", text)
    return _UNSPACED.sub(r" \g<0> ", text) if _UNSPACED.search(text) else text


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
        db = None
        try:
            db = self._connect()
            names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if not TABLES <= names:
                raise sqlite3.DatabaseError("not a kbsleep index, or tables missing")
            version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
            if version is None or version[0] != VERSION:
                raise sqlite3.DatabaseError("index of another version")
            return db
        except sqlite3.DatabaseError:
            if db is not None:
                db.close()
            return self._recreate()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _recreate(self) -> sqlite3.Connection:
        self.rebuilt = True
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        db = self._connect()
        db.executescript(_SCHEMA)
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
        status = changes.status(self.root, self._settings())
        only: set[str] | None = None
        if status is not None and not self.rebuilt:
            meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
            if meta.get("fingerprint") == status.mark:
                pages = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
                self._sync_vectors(meta)
                self._sync_summaries()
                return Refresh(pages, 0, 0, False, time.perf_counter() - started)
            if meta.get("head") == status.head and meta.get("settings") == self._settings() and "dirty" in meta:
                # Same commit as at the last refresh: only a file dirty then or now can differ.
                only = set(json.loads(meta["dirty"])) | set(status.dirty)
        done = self._update(started, only)
        if status is not None:
            self.db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [("fingerprint", status.mark), ("head", status.head), ("settings", self._settings()),
                 ("dirty", json.dumps(sorted(status.dirty)))],
            )  # fmt: skip
        self._sync_vectors()
        self._sync_summaries()
        return dataclasses.replace(done, seconds=time.perf_counter() - started)

    def _sync_vectors(self, meta: Mapping[str, str] | None = None) -> None:
        """Compute the vectors sections and questions lack, and the matrix ask searches."""
        from kbsleep.search import vectors

        if vectors.backend(self.config.embeddings) == "off":
            return
        meta = meta if meta is not None else dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        name = vectors.embedder_name(self.config.embeddings)
        store.sync(self.db, self.path.parent, meta, name, lambda: vectors.embedder(self.config.embeddings, self.path.parent), embedding_text)

    def _sync_summaries(self) -> None:
        """Summarise the sections that have no summary (`search.summaries`)."""
        if self.config.summaries.method != "off":
            from kbsleep.search import summaries

            summaries.sync(self.db, self.path.parent)

    def _settings(self) -> str:
        c, vault = self.config, self._vault
        answers = (c.anticipate.store, c.anticipate.sidecar_prefix)
        return repr((VERSION, c.exclude, c.include, c.index_page, c.log_page, c.max_page_bytes, vault.prefix, vault.excluded, answers))

    @cached_property
    def _vault(self) -> obsidian.VaultSettings:
        """Obsidian's settings: its Excluded files are "hidden in Search", and so from `ask`."""
        return obsidian.read_vault(self.root, changes.git_top(self.root))

    def _update(self, started: float, only: set[str] | None = None) -> Refresh:
        """Re-index the pages that changed: among all pages, or among `only` (wiki paths)."""
        from kbsleep.wiki.content import blob_id

        files, stats = self._listing(only)
        stored = {row[0]: row[1:] for row in self.db.execute("SELECT path, blob, mtime_ns, size, held FROM pages")}
        changed: dict[str, tuple[bytes, os.stat_result, str]] = {}
        touched: list[tuple[str, os.stat_result]] = []
        for path, stat in zip(files, stats):
            known = stored.get(path)
            held = self._held(path)
            if known is not None and known[1] == stat.st_mtime_ns and known[2] == stat.st_size and known[3] == held:
                continue
            try:
                data = (self.root / path).read_bytes()
            except OSError:
                continue
            if known is not None and known[0] == blob_id(data) and known[3] == held:
                touched.append((path, stat))
            else:
                changed[path] = (data, stat, held)
        removed = (set(stored) if only is None else set(stored) & only) - set(files)
        pages, sidecars = self._parse(changed)
        # Every stored page changed or went: clear the tables instead of deleting row by row.
        rebuild = only is None and not (set(stored) - set(changed) - removed)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            if rebuild:
                for table in ("docs", "sections", "qa", "questions", "pages", "links"):
                    self.db.execute(f"DELETE FROM {table}")
            else:
                for path in removed | set(changed):
                    self._delete(path)
            self.db.executemany("DELETE FROM pages WHERE path = ?", [(path,) for path in removed])
            self._insert_all(pages.values(), sidecars)
            self.db.executemany(
                "INSERT OR REPLACE INTO pages (path, blob, mtime_ns, size, held) VALUES (?, ?, ?, ?, ?)",
                [(path, page.blob, changed[path][1].st_mtime_ns, changed[path][1].st_size, changed[path][2]) for path, page in pages.items()],
            )
            for path, stat in touched:
                self.db.execute(
                    "UPDATE pages SET mtime_ns = ?, size = ? WHERE path = ?",
                    (stat.st_mtime_ns, stat.st_size, path),
                )
            if pages or removed:
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)", (str(time.time_ns()),))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        total = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
        return Refresh(total, len(pages), len(removed), self.rebuilt, time.perf_counter() - started)

    def _listing(self, only: set[str] | None = None) -> tuple[list[str], list[os.stat_result]]:
        """The pages to index (all, or those of `only`) and their stats.

        The catalogue and the log are left out: they describe the wiki and answer nothing.
        """
        from kbsleep.wiki.discovery import AGENT_FILES, _exclusion, _git_files, brought_back, discover, glob_match

        root = str(self.root)
        config = self.config
        included = _exclusion(config.include)
        # The agent's instruction files are set aside like Excluded files (see discovery.set_aside).
        skip = {config.index_page, config.log_page, *(p for p in AGENT_FILES if not (included is not None and included.match(p)))}
        excluder = self._vault.excluder()
        kept = config.anticipate.sidecar_prefix
        if only is not None:
            # A sidecar that changed stands for its page (whose answers it keeps).
            names = sorted({n.removeprefix(kept) for n in only if n.lower().endswith(".md")})
        elif changes.git_top(self.root) is None:
            names = discover(self.root, config.exclude, in_git=False, include=config.include).pages
        else:
            names = [n for n in _git_files(self.root) if n.lower().endswith(".md")]
        files, stats = [], []
        for name in names:
            if name in skip or name.startswith(kept) or (obsidian.is_hidden(name) and not brought_back(name, included)) or any(glob_match(p, name) for p in config.exclude):
                continue
            if excluder is not None and excluder(name) and not (included is not None and included.match(name)):
                continue  # one of Obsidian's Excluded files
            try:
                stat = os.lstat(os.path.join(root, name))
                if S_ISLNK(stat.st_mode):  # the rare symlink: the wiki loader's rules decide
                    if name not in discover(self.root, config.exclude, include=config.include).pages:
                        continue
                    stat = os.stat(os.path.join(root, name))
            except OSError:
                continue
            if S_ISREG(stat.st_mode):
                files.append(name)
                stats.append(stat)
        return files, stats

    def _held(self, path: str) -> str:
        """The state of the file that keeps `path`'s answers: "page", or the sidecar's size and mtime."""
        anticipate = self.config.anticipate
        if anticipate.store != "sidecar":
            return "page"
        try:
            stat = os.stat(os.path.join(self.root, anticipate.sidecar(path)))
        except OSError:
            return "sidecar"
        return f"sidecar {stat.st_mtime_ns} {stat.st_size}"

    def _parse(self, changed: dict[str, tuple[bytes, os.stat_result, str]]) -> tuple[dict[str, Page], dict[str, Page]]:
        """The changed pages, parsed, and the sidecars that keep their answers (by page path)."""
        anticipate = self.config.anticipate
        with_sidecar = [path for path, (_, _, held) in changed.items() if held.startswith("sidecar ")]
        if len(changed) >= BULK:
            # Many pages: the wiki loader parses them a process per core and shares its cache.
            from kbsleep.wiki import load_wiki

            loaded = load_wiki(self.root, self.config)
            pages = {path: loaded.pages[path] for path in changed if path in loaded.pages}
            held = {path: loaded.sidecars[anticipate.sidecar(path)] for path in with_sidecar if anticipate.sidecar(path) in loaded.sidecars}
            return pages, held
        from kbsleep.wiki.parse import parse_page

        limit = self.config.max_page_bytes
        pages = {path: parse_page(path, data, max_bytes=limit) for path, (data, _, _) in changed.items()}
        held = {}
        for path in with_sidecar:
            sidecar = anticipate.sidecar(path)
            try:
                held[path] = parse_page(sidecar, (self.root / sidecar).read_bytes(), max_bytes=limit)
            except OSError:
                continue
        return pages, held

    def _delete(self, path: str) -> None:
        self.db.execute("DELETE FROM sections WHERE rowid IN (SELECT id FROM docs WHERE page = ?)", (path,))
        self.db.execute("DELETE FROM docs WHERE page = ?", (path,))
        self.db.execute("DELETE FROM questions WHERE rowid IN (SELECT id FROM qa WHERE page = ?)", (path,))
        self.db.execute("DELETE FROM qa WHERE page = ?", (path,))
        self.db.execute("DELETE FROM links WHERE page = ?", (path,))

    def _insert_all(self, pages: Iterable[Page], sidecars: Mapping[str, Page]) -> None:
        """Insert the rows of `pages`, in bulk (ids assigned here, so both tables take executemany);
        their answers from the page itself, or (store = "sidecar") from `sidecars`."""
        from kbsleep import answers

        in_page = self.config.anticipate.store != "sidecar"
        # a section's id is never given again once its page changed (ids only grow, even when the
        # last page's rows were deleted): the vectors' watermark (search/store.py) relies on it
        issued = self.db.execute("SELECT value FROM meta WHERE key = 'doc-ids'").fetchone()
        next_doc = max(self.db.execute("SELECT max(id) FROM docs").fetchone()[0] or 0, int(issued[0]) if issued else 0) + 1
        next_qa = (self.db.execute("SELECT max(id) FROM qa").fetchone()[0] or 0) + 1
        docs, sections, qas, questions, links = [], [], [], [], []
        for page in pages:
            title = searchable(f"{page.title} {page.stem}")
            aliases = searchable(" ".join(page.aliases))
            held = page if in_page else sidecars.get(page.path)
            cached = answers.parse(page, held) if page.parsed and held is not None else None
            found = chunks(page)
            asked = _questions_by_section(page, [heading for heading, *_ in found], cached.qas if cached and cached.fresh else ())
            folder = page.path.rsplit("/", 1)[0] if "/" in page.path else ""
            for (heading, start, end, text), trail, doc2query in zip(found, trails(page, found), asked):
                key = content_hash(embedding_text(page.title, trail, text))
                docs.append((next_doc, page.path, page.title, heading, start, end, text, trail, key))
                sections.append((next_doc, title, aliases, searchable(f"{trail} {folder.replace('/', ' ')}"), searchable(text), searchable(doc2query)))
                next_doc += 1
            line = cached.fence.start if cached and in_page else 1  # a sidecar's line is not the page's
            for qa in cached.qas if cached else ():
                qas.append((next_qa, page.path, page.title, json.dumps(list(page.aliases)), qa.question, qa.answer,
                            json.dumps(list(qa.citations)), int(cached.fresh), line, content_hash(qa.question)))  # fmt: skip
                questions.append((next_qa, searchable(qa.question), f"{title} {aliases}"))
                next_qa += 1
            links.extend((page.path, name) for name in dict.fromkeys(link_names(page)))
        self.db.executemany("INSERT INTO docs (id, page, title, heading, start, end, text, trail, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('doc-ids', ?)", (str(next_doc - 1),))
        self.db.executemany("INSERT INTO sections (rowid, title, aliases, heading, body, questions) VALUES (?, ?, ?, ?, ?, ?)", sections)
        self.db.executemany(
            "INSERT INTO qa (id, page, title, aliases, question, answer, citations, fresh, line, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            qas,
        )
        self.db.executemany("INSERT INTO questions (rowid, question, title) VALUES (?, ?, ?)", questions)
        self.db.executemany("INSERT INTO links (page, target) VALUES (?, ?)", links)

    # -- reading -----------------------------------------------------------------------------

    def search(self, terms: Sequence[str], k: int = 20) -> list[Hit]:
        """The `k` best sections for any of `terms`, best first."""
        query = fts_query(terms)
        if not query:
            return []
        sql = (
            "SELECT d.page, d.title, d.heading, d.start, d.end, d.text, bm25(sections, ?, ?, ?, ?, ?) AS rank, d.id"
            " FROM sections JOIN docs d ON d.id = sections.rowid"
            " WHERE sections MATCH ? ORDER BY rank LIMIT ?"
        )
        rows = self._guarded(lambda: self.db.execute(sql, (*WEIGHTS, query, k)).fetchall())
        return [Hit(p, t, h, s, e, text, -rank, i) for p, t, h, s, e, text, rank, i in rows]

    def anticipated(self, terms: Sequence[str], k: int = 20) -> list[Anticipated]:
        """Fresh precomputed questions sharing a term with `terms`, best first."""
        query = fts_query(terms)
        if not query:
            return []
        sql = (
            "SELECT q.page, q.title, q.aliases, q.question, q.answer, q.citations, q.line, q.hash"
            " FROM questions JOIN qa q ON q.id = questions.rowid"
            " WHERE questions MATCH ? AND q.fresh = 1 ORDER BY bm25(questions, 1.0, 2.0) LIMIT ?"
        )
        rows = self._guarded(lambda: self.db.execute(sql, (query, k)).fetchall())
        return [
            Anticipated(p, t, tuple(json.loads(a)), q, ans, tuple(json.loads(c)), line, h)
            for p, t, a, q, ans, c, line, h in rows
        ]

    def anticipated_on(self, pages: Sequence[str]) -> list[Anticipated]:
        """The fresh precomputed questions kept for `pages`."""
        if not pages:
            return []
        marks = ",".join("?" * len(pages))
        sql = (
            "SELECT page, title, aliases, question, answer, citations, line, hash FROM qa"
            f" WHERE fresh = 1 AND page IN ({marks}) ORDER BY id"
        )
        rows = self._guarded(lambda: self.db.execute(sql, tuple(pages)).fetchall())
        return [Anticipated(p, t, tuple(json.loads(a)), q, ans, tuple(json.loads(c)), line, h) for p, t, a, q, ans, c, line, h in rows]

    def sections(self, ids: Sequence[int]) -> list[Hit]:
        """The sections with row ids `ids`, in that order (score 0)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        sql = f"SELECT id, page, title, heading, start, end, text FROM docs WHERE id IN ({marks})"
        rows = {r[0]: r for r in self._guarded(lambda: self.db.execute(sql, tuple(ids)).fetchall())}
        return [Hit(r[1], r[2], r[3], r[4], r[5], r[6], 0.0, r[0]) for r in (rows.get(i) for i in ids) if r]

    def page_sections(self, pages: Sequence[str]) -> list[Hit]:
        """Every section of `pages`, page by page, in page order."""
        if not pages:
            return []
        marks = ",".join("?" * len(pages))
        sql = f"SELECT id, page, title, heading, start, end, text FROM docs WHERE page IN ({marks}) ORDER BY page, start"
        rows = self._guarded(lambda: self.db.execute(sql, tuple(pages)).fetchall())
        return [Hit(r[1], r[2], r[3], r[4], r[5], r[6], 0.0, r[0]) for r in rows]

    def nearest(self, vector, k: int = 30) -> list[tuple[int, float]]:  # type: ignore[no-untyped-def]
        """(section row id, cosine) of the `k` sections whose vectors are nearest `vector`, best first."""
        return store.nearest(self.db, self.path.parent, vector, k)

    def vectors(self, hashes: Sequence[str]):  # type: ignore[no-untyped-def]
        """hash -> stored vector, for those of `hashes` that have one."""
        return store.vectors(self.db, hashes)

    @property
    def embedder(self):  # type: ignore[no-untyped-def]
        """The configured embedder, or None (vectors off, or not installed)."""
        from kbsleep.search import vectors

        return vectors.embedder(self.config.embeddings, self.path.parent)

    def document_frequency(self, terms: Sequence[str], cap: int = 2000) -> tuple[dict[str, int], int]:
        """For each of `terms` (words as asked; the index stems them), in how many pages it occurs,
        counted up to `cap`; and how many pages there are."""
        def work() -> tuple[dict[str, int], int]:
            total = self.db.execute("SELECT count(*) FROM pages").fetchone()[0]
            counts = {}
            for term in terms:
                query = fts_query([term])
                counts[term] = self.db.execute(
                    "SELECT count(DISTINCT d.page) FROM (SELECT rowid FROM sections WHERE sections MATCH ? LIMIT ?) m"
                    " JOIN docs d ON d.id = m.rowid",
                    (query, cap),
                ).fetchone()[0] if query else 0
            return counts, total

        return self._guarded(work)

    def linked(self, pages: Sequence[str]) -> dict[str, list[str]]:
        """page -> the pages of the index it links to (by file name), for each of `pages`."""
        if not pages:
            return {}
        marks = ",".join("?" * len(pages))

        def work() -> dict[str, list[str]]:
            rows = self.db.execute(f"SELECT page, target FROM links WHERE page IN ({marks})", tuple(pages)).fetchall()
            by_name: dict[str, str] = {}
            for name in sorted({target for _, target in rows})[:200]:
                found = self.db.execute(
                    "SELECT path FROM pages WHERE path = ? OR path LIKE ? ESCAPE '\\' ORDER BY length(path), path LIMIT 1",
                    (f"{name}.md", "%/" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ".md"),
                ).fetchone()
                if found:
                    by_name[name] = found[0]
            found: dict[str, list[str]] = {page: [] for page in pages}
            for page, target in rows:
                path = by_name.get(target)
                if path and path != page and path not in found[page]:
                    found[page].append(path)
            return found

        return self._guarded(work)

    def coverage(self, groups: Sequence[tuple[Sequence[str], float]], hits: Sequence[Hit]) -> float:
        """The idf-weighted share of the query's term groups that occur in the sections of `hits`.

        A group is one asked word and its synonyms, with a weight that scales its idf; it
        counts as present when any of them is. A word the wiki never uses weighs the most, so "What is Tokyo's population?" scores low
        on a wiki that mentions population but never Tokyo.
        """
        if not groups:
            return 0.0
        pages = sorted({hit.page for hit in hits})

        def work() -> float:
            # Document frequency over pages, not sections: a page's title is in all its sections.
            total = self.db.execute("SELECT count(*) FROM pages").fetchone()[0] or 1
            marks = ",".join("?" * len(pages))
            weight = present = 0.0
            for group, scale in groups:
                query = fts_query(group)
                if not query:
                    continue
                df = self.db.execute(
                    "SELECT count(DISTINCT d.page) FROM (SELECT rowid FROM sections WHERE sections MATCH ? LIMIT 5000) m"
                    " JOIN docs d ON d.id = m.rowid",
                    (query,),
                ).fetchone()[0]
                idf = scale * math.log(1 + (total - df + 0.5) / (df + 0.5))
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
    from kbsleep import answers

    if not page.parsed or not page.text:
        return []
    lines = page.lines
    hidden = {n for f in page.fences if f.name == answers.FENCE for n in range(f.start, f.end + 1)}
    starts = [h for h in page.headings if h.line not in hidden]
    found: list[tuple[str, int, int, str]] = []
    bounds = [(None, 1)] + [(h, h.line) for h in starts] + [(None, len(lines) + 1)]
    for (heading, start), (_, following) in zip(bounds, bounds[1:]):
        numbers = [n for n in range(start, following) if n not in hidden] if hidden else range(start, following)
        shown = [n for n in numbers if lines[n - 1].strip()]
        text = "\n".join(lines[n - 1] for n in numbers).strip()
        if shown and any(ch.isalnum() for ch in text):
            found.append((heading.text.strip() if heading else "", start, shown[-1], text))
    return found


def _same_heading(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def content_hash(*parts: str) -> str:
    """The key of a text's vector: the same text has the same vector, whichever page or row holds it."""
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def embedding_text(title: str, trail: str, text: str) -> str:
    """What a section's vector is computed from: where it is, then what it says."""
    where = f"{title} > {trail}" if trail else title
    return f"{where}\n{text}"


def trails(page: Page, found: list[tuple[str, int, int, str]]) -> list[str]:
    """For each chunk of `page`, its heading with the headings it sits under: "Sync > Conflicts"."""
    levels = {h.line: h.level for h in page.headings}
    stack: list[tuple[int, str]] = []
    result = []
    for heading, start, _end, _text in found:
        level = levels.get(start)
        if level is None or not heading:
            result.append(heading)
            continue
        stack = [(lv, text) for lv, text in stack if lv < level] + [(level, heading)]
        result.append(" > ".join(text for lv, text in stack if lv > 1 or len(stack) == 1))
    return result


def _questions_by_section(page: Page, headings: list[str], qas: Iterable) -> list[str]:  # type: ignore[type-arg]
    """For each section of `page`, the precomputed questions whose answers cite it (those that
    cite no section of the page go with its first section): the questions are the section's
    doc2query field, words a reader may use that the section does not."""
    slots = ["" for _ in headings]
    if not slots:
        return slots
    where = {_fold(h): i for i, h in reversed(list(enumerate(headings)))}
    for qa in qas:
        spots = {where.get(_fold(c.partition("#")[2].split("#")[-1]), 0) for c in qa.citations if _cites(page, c)} or {0}
        for spot in spots:
            slots[spot] += " " + qa.question
    return slots


def _cites(page: Page, citation: str) -> bool:
    name = citation.partition("#")[0].strip().removesuffix(".md").casefold()
    return name in (page.stem.casefold(), page.path[:-3].casefold())


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


_LINK_NAME = re.compile(r"[^/\\]+$")


def link_names(page: Page) -> list[str]:
    """The file names (casefolded, no `.md`) of the pages `page` links to, as written."""
    from urllib.parse import unquote

    found = []
    for link in page.links:
        target = unquote(link.target) if link.kind != "wikilink" else link.target
        match = _LINK_NAME.search(target.strip())
        if match and not target.startswith(("http:", "https:", "mailto:")):
            name = match.group(0).casefold().removesuffix(".md")
            if name:
                found.append(name)
    return found
