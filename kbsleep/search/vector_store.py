"""The vectors of the search index: kept in its `vectors` table by content hash, searched as a matrix.

A vector is computed once per distinct text (a section's place and words, a question) and kept
while that text is in the index, so re-indexing an edited page computes only its changed sections.
`ask` searches `.kbsleep/vectors-<token>.npy` (the rows of every section, in row-id order) mapped
from disk; the index's `meta` names the current token, and a matrix is replaced, never patched,
so a reader sees an old whole one or the new whole one.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbsleep.state import immediate

if TYPE_CHECKING:
    import numpy as np

    from kbsleep.search.vectors import Embedder

CHUNK = 1024  # texts embedded (and committed) at a time: an interrupted build keeps what it did
_MATRICES: dict[str, tuple[Any, Any]] = {}  # path -> (matrix, ids), mapped once per process


def matrix_paths(state: Path, token: str) -> tuple[Path, Path]:
    return state / f"vectors-{token}.npy", state / f"vectors-{token}-ids.npy"


def sync(db: sqlite3.Connection, state: Path, meta: Mapping[str, str], name: str, load: Callable[[], Embedder | None],
         text_of: Callable[[str, str, str], str]) -> None:  # fmt: skip
    """Embed what has no vector under the embedder `name` and write the matrix, unless current."""
    current = f"{name}|{meta.get('generation', '')}"
    token = meta.get("matrix", "")
    if meta.get("vectors") == current and token and all(p.exists() for p in matrix_paths(state, token)):
        return
    # Every section up to the watermark had its vector when the last matrix was written, and
    # keeps it (a vector is pruned only once no section has its hash); ids are never given twice
    # (index.py), so only sections above it can lack one: the scan of every section is skipped.
    # The matrix and its watermark are this embedder's only if it wrote them: a switch of
    # embedder that was interrupted has `embedder` set and the last embedder's matrix.
    mine = meta.get("vectors", "").rpartition("|")[0] == name
    upto = int(meta.get("vectors-upto") or 0) if mine else 0
    if not mine:
        token = ""  # the last matrix holds another embedder's vectors: never patched, built anew
    if meta.get("embedder") != name:
        db.execute("DELETE FROM vectors")
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('embedder', ?)", (name,))
    missing = [(h, text_of(title, trail, text)) for h, title, trail, text in db.execute(
        "SELECT d.hash, min(d.title), min(d.trail), min(d.text) FROM docs d LEFT JOIN vectors v ON v.hash = d.hash"
        " WHERE d.id > ? AND v.hash IS NULL GROUP BY d.hash", (upto,)
    )]  # fmt: skip
    missing += db.execute(
        "SELECT q.hash, min(q.question) FROM qa q LEFT JOIN vectors v ON v.hash = q.hash WHERE v.hash IS NULL GROUP BY q.hash"
    ).fetchall()
    if missing:
        embedder = load()
        if embedder is None:
            return
        from kbsleep.search.vectors import to_blob

        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            # an endpoint's cache is for what `ask` embeds; the index keeps its sections' vectors itself
            rows = getattr(embedder, "embed_fresh", embedder.embed)([text for _, text in chunk])
            with immediate(db):
                db.executemany("INSERT OR REPLACE INTO vectors (hash, vec) VALUES (?, ?)",
                               [(h, to_blob(row)) for (h, _), row in zip(chunk, rows)])  # fmt: skip
    _prune(db)
    _write_matrix(db, state, token, current)


def _prune(db: sqlite3.Connection) -> None:
    """Drop vectors no section or question has any more, once they are a third of the table."""
    kept = db.execute("SELECT count(*) FROM vectors").fetchone()[0]
    rows = db.execute("SELECT (SELECT count(*) FROM docs) + (SELECT count(*) FROM qa)").fetchone()[0]
    if kept > 1.5 * rows + 100:  # rows >= distinct hashes: this prunes no later than it must
        db.execute("DELETE FROM vectors WHERE hash NOT IN (SELECT hash FROM docs UNION SELECT hash FROM qa)")


def _write_matrix(db: sqlite3.Connection, state: Path, old: str, current: str) -> None:
    """The matrix of every section's vector, in row-id order: the old one with the rows of
    removed sections dropped and those of new sections added (ids only grow), else built anew."""
    import numpy as np

    from kbsleep.search.vectors import from_blobs

    # every section has its vector once `sync` embedded what lacked one: the row ids are the docs'
    ids = section_ids(db)
    matrix = None
    if old and all(p.exists() for p in matrix_paths(state, old)):
        try:
            old_matrix, old_ids = (np.load(p) for p in matrix_paths(state, old))
        except (OSError, ValueError):
            old_matrix = old_ids = None
        if old_ids is not None and len(old_ids) == len(old_matrix):
            kept = np.isin(old_ids, ids)
            fresh = ids[~np.isin(ids, old_ids)]
            if not len(old_ids) or not len(fresh) or fresh.min() > old_ids.max():
                fresh, rows = _rows(db, fresh)
                if old_matrix.shape[1] == (rows.shape[1] if len(rows) else old_matrix.shape[1]):
                    matrix = np.concatenate([old_matrix[kept], rows]) if len(rows) else old_matrix[kept]
                    ids = np.concatenate([old_ids[kept], fresh])
    if matrix is None:
        found = db.execute("SELECT d.id, v.vec FROM docs d JOIN vectors v ON v.hash = d.hash ORDER BY d.id").fetchall()
        ids = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
        matrix = from_blobs([r[1] for r in found], len(found[0][1]) // 4 if found else 0)
    token = str(time.time_ns())
    path, id_path = matrix_paths(state, token)
    for target, array in ((path, matrix), (id_path, ids)):
        partial = target.with_name(target.name + ".partial")
        with open(partial, "wb") as out:
            np.save(out, array)
        os.replace(partial, target)
    upto = str(int(ids.max())) if len(ids) else "0"
    db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [("matrix", token), ("vectors", current), ("vectors-upto", upto)])
    for stale in state.glob("vectors-*.npy"):
        if not stale.name.startswith(f"vectors-{token}"):
            stale.unlink(missing_ok=True)


def section_ids(db: sqlite3.Connection) -> Any:
    """Every section's row id, ascending: read from the page index (a few MB) as one string, not
    from the sections' table (hundreds of MB at 10k pages) a row at a time."""
    import numpy as np

    joined = db.execute("SELECT group_concat(id) FROM docs INDEXED BY docs_page").fetchone()[0]
    if not joined:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.array(joined.split(","), dtype=np.int64))


def _rows(db: sqlite3.Connection, ids: Any) -> tuple[Any, Any]:
    """The row ids of `ids` that have a vector, and their vectors."""
    import numpy as np

    from kbsleep.search.vectors import from_blobs

    blobs, have = [], []
    for start in range(0, len(ids), 500):
        chunk = [int(i) for i in ids[start : start + 500]]
        marks = ",".join("?" * len(chunk))
        found = dict(db.execute(f"SELECT d.id, v.vec FROM docs d JOIN vectors v ON v.hash = d.hash WHERE d.id IN ({marks})", chunk).fetchall())
        have.extend(i for i in chunk if i in found)
        blobs.extend(found[i] for i in chunk if i in found)
    return np.asarray(have, dtype=np.int64), from_blobs(blobs, len(blobs[0]) // 4 if blobs else 0)


def nearest(db: sqlite3.Connection, state: Path, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
    """(row id, cosine) of the `k` sections nearest `vector` in the current matrix, best first."""
    import numpy as np

    found = db.execute("SELECT value FROM meta WHERE key = 'matrix'").fetchone()
    if found is None:
        return []
    path, id_path = matrix_paths(state, found[0])
    key = str(path)
    if key not in _MATRICES:
        try:
            _MATRICES[key] = (np.load(path, mmap_mode="r"), np.load(id_path))
        except (OSError, ValueError):
            return []
    matrix, ids = _MATRICES[key]
    if not len(ids):
        return []
    if matrix.shape[1] != len(vector):
        from kbsleep.errors import KbsleepError

        raise KbsleepError(f"the search index's vectors have {matrix.shape[1]} dimensions and the question's {len(vector)}: "
                           "the embedding model changed but its name in the config did not",
                           hint="run `kbsleep index --rebuild` to embed the wiki again with it")  # fmt: skip
    sims = matrix @ np.asarray(vector, dtype=np.float32)
    k = min(k, len(sims))
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top], kind="stable")]
    return [(int(ids[i]), float(sims[i])) for i in top]


def vectors(db: sqlite3.Connection, hashes: Sequence[str]) -> dict[str, np.ndarray]:
    import numpy as np

    wanted = [h for h in dict.fromkeys(hashes) if h]
    if not wanted:
        return {}
    marks = ",".join("?" * len(wanted))
    rows = db.execute(f"SELECT hash, vec FROM vectors WHERE hash IN ({marks})", wanted).fetchall()
    return {h: np.frombuffer(vec, dtype=np.float32) for h, vec in rows}
