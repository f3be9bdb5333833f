"""The embeddings endpoint backend: an OpenAI-compatible `POST {url}/embeddings` (Ollama, vLLM,
llama.cpp, LiteLLM), with the vectors it gave kept by text so that `ask` sends only new texts."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbsleep.errors import KbsleepError
from kbsleep.search.vectors import BATCH, MAX_CHARS, normalize, to_blob

if TYPE_CHECKING:
    import numpy as np


class EndpointEmbedder:
    """An OpenAI-compatible embeddings endpoint: `POST {url}/embeddings` with `model` and `input`.

    `ask` embeds the passages it picks an answer from and their words, hundreds of short texts
    a question, and mostly the same ones from one question to the next on a topic: through a
    model server that is an HTTP round trip and a transformer pass each time. So every text
    embedded is kept, by a hash of its text, in memory for the process and in `state`
    (`.kbsleep/endpoint-<key>.sqlite`, the key naming url and model) across processes, and
    only texts never seen are sent. Sections the index keeps vectors for go by `embed_fresh`,
    past the cache (the index stores them itself).
    """

    def __init__(self, url: str, model: str, key_env: str = "", timeout: float = 30.0, state: Path | None = None) -> None:
        if not url or not model:
            raise KbsleepError("embeddings.backend is \"endpoint\" but embeddings.url or embeddings.model is not set",
                               hint='e.g. url = "http://localhost:11434/v1", model = "nomic-embed-text"')  # fmt: skip
        self.url = url.rstrip("/") + "/embeddings"
        self.model = model
        self.key_env = key_env
        self.timeout = timeout
        self.name = self.name_for(url, model)
        self.cache = EmbeddingCache(state / f"endpoint-{_digest(self.name).hex()}.sqlite") if state else None
        self._memo: dict[bytes, Any] = {}

    @staticmethod
    def name_for(url: str, model: str) -> str:
        return f"endpoint-{model}@{url.rstrip('/')}/1"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length rows of `texts`, from the memory and disk caches where they are there."""
        import numpy as np

        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [_digest(t[:MAX_CHARS] or " ") for t in texts]
        wanted = [k for k in dict.fromkeys(keys) if k not in self._memo]
        if wanted and self.cache is not None:
            self._memo.update(self.cache.get(wanted))
        todo = {k: t for k, t in zip(keys, texts) if k not in self._memo}
        if todo:
            got = self.embed_fresh(list(todo.values()))
            fresh = dict(zip(todo, got))
            if self._memo and len(next(iter(self._memo.values()))) != got.shape[1]:
                # the model behind the same name changed: what was kept is another model's
                self._memo.clear()
                if self.cache is not None:
                    self.cache.clear()
                return self.embed(texts)
            self._memo.update(fresh)
            if self.cache is not None:
                self.cache.put(fresh)
        if len(self._memo) > MEMO_ROWS:
            self._memo = {k: self._memo[k] for k in keys}
        return np.stack([self._memo[k] for k in keys])

    def embed_fresh(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length rows of `texts`, all from the endpoint."""
        import urllib.error
        import urllib.request

        import numpy as np

        headers = {"Content-Type": "application/json"}
        if self.key_env:
            key = os.environ.get(self.key_env, "")
            if not key:
                raise KbsleepError(f"embeddings.api-key-env names {self.key_env}, which is not set")
            headers["Authorization"] = f"Bearer {key}"
        rows: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            chunk = [t[:MAX_CHARS] or " " for t in texts[start : start + BATCH]]
            body = json.dumps({"model": self.model, "input": chunk}).encode("utf-8")
            request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310 - the user's own endpoint
                    data = sorted(json.loads(reply.read())["data"], key=lambda item: item["index"])
                got = [list(map(float, item["embedding"])) for item in data]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                slow = isinstance(exc, TimeoutError) or "timed out" in str(exc)
                raise KbsleepError(f"the embeddings endpoint {self.url} failed: {exc}",
                                   hint=f"raise embeddings.timeout ({self.timeout:g} s for {len(chunk)} texts)" if slow else
                                   'check embeddings.url and embeddings.model, or set embeddings.backend = "off"') from None  # fmt: skip
            if len(got) != len(chunk):
                raise KbsleepError(f"the embeddings endpoint {self.url} returned {len(got)} vectors for {len(chunk)} texts")
            rows.extend(got)
            sizes = sorted({len(v) for v in rows})
            if len(sizes) > 1 or sizes == [0]:
                raise KbsleepError(f"the embeddings endpoint {self.url} returned vectors of {' and '.join(map(str, sizes))} dimensions in one run",
                                   hint=f"embeddings.model = {self.model!r} should name one embedding model")  # fmt: skip
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return normalize(np.asarray(rows, dtype=np.float32))


MEMO_ROWS = 200_000  # vectors an endpoint embedder keeps in memory, at most
CACHE_ROWS = 100_000  # ... and on disk: past that, the older half is dropped


class EmbeddingCache:
    """Vectors by a hash of their text, in a SQLite file of their own. A cache only: any error
    reading or writing it leaves it out, never fails the question."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _db(self) -> Any:
        import sqlite3

        db = sqlite3.connect(self.path, timeout=2.0)
        db.execute("CREATE TABLE IF NOT EXISTS vec (key BLOB PRIMARY KEY, vec BLOB NOT NULL)")
        return db

    def get(self, keys: Sequence[bytes]) -> dict[bytes, Any]:
        import sqlite3

        import numpy as np

        if not self.path.exists():
            return {}
        found: dict[bytes, Any] = {}
        try:
            with closing(self._db()) as db:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start : start + 500])
                    rows = db.execute(f"SELECT key, vec FROM vec WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                    found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        except sqlite3.Error:
            return {}
        return found

    def put(self, vectors: Mapping[bytes, Any]) -> None:
        import sqlite3

        if not self.path.exists():  # one endpoint's cache per wiki: another url or model's is dropped
            for other in self.path.parent.glob("endpoint-*.sqlite"):
                other.unlink(missing_ok=True)
        try:
            with closing(self._db()) as db, db:
                db.executemany("INSERT OR REPLACE INTO vec (key, vec) VALUES (?, ?)", [(k, to_blob(v)) for k, v in vectors.items()])
                count = db.execute("SELECT max(rowid) - min(rowid) FROM vec").fetchone()[0] or 0
                if count > CACHE_ROWS:
                    db.execute("DELETE FROM vec WHERE rowid < (SELECT max(rowid) FROM vec) - ?", (CACHE_ROWS // 2,))
        except sqlite3.Error:
            pass

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
