"""Doc2query at index time: for each section, words a reader may ask it with that it does not say.

A paraphrased question ("get back what the note looked like", "a secret phrase") shares few
words with the section that answers it ("File recovery", "password"). When a section's row is
written, its topic (the page title, its headings and the labels of its `Key: value` lines) is
expanded into the index's `expansion` field: with the
static vectors, the vocabulary words nearest to each topic word that are not a form of it
("recovery" -> restore, retrieve, rescue; "cursor" -> mouse, pointer). BM25 searches the field
with the body's weight; what counts as the wiki holding a word (abstention, idf) never reads it.

Not used: the section's first sentence (its definition), which cost one hit@5 on Obsidian's help
vault by the noise its many words bring; the synonym table of `search.match` (made for who/when questions about people and
projects: "work" -> job, employer); on Obsidian's help vault it cost one hit@1 (benchmarks/README.md).
Without static vectors (backend "off" or "endpoint") the field stays empty.

The field is part of the section's row: written with it and deleted with it, so it is as fresh
as the section (a page's rows are rewritten when its blob changes). Nothing is written into pages.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbsleep.search.match import STOP
from kbsleep.search.words import stem

if TYPE_CHECKING:
    from kbsleep.search.vectors import Embedder

NEIGHBOURS = 3  # vocabulary words added per topic word
NEIGHBOUR_COSINE = 0.45  # at least this close to the topic word (WordLlama token vectors)
VOCABULARY_FORMAT = 1  # of the cached list of whole words
MIN_LETTERS = 4  # shorter words and vocabulary entries are fragments more often than words
_WORD = re.compile(r"[A-Za-z]+")
_KEY = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*)?([A-Za-z][\w ]{1,40}?)(?:\*\*)?\s*::?\s+\S", re.MULTILINE)
_FRONTMATTER = re.compile(r"\A---\n.*?^---[ \t]*$", re.MULTILINE | re.DOTALL)


def topic(title: str, trail: str, text: str) -> str:
    """What a section is about: its page title, its headings and the labels of its `Key: value`
    lines (frontmatter keys left out: title, permalink, tags are no topic)."""
    labels = " ".join(m.group(1) for m in _KEY.finditer(_FRONTMATTER.sub(" ", text)))
    return f"{title} {trail} {labels}".strip()


def topic_words(text: str) -> list[str]:
    """The content words of `text`, casefolded, in order, once each."""
    words = (w.casefold() for w in _WORD.findall(text))
    return list(dict.fromkeys(w for w in words if len(w) >= MIN_LETTERS and w not in STOP))


class Expander:
    """Expands topics into words; `load` gives the embedder when vectors are on (called once,
    only when a section is expanded: a refresh that writes no row loads nothing)."""

    def __init__(self, load: Callable[[], Embedder | None] | None = None, state: Path | None = None) -> None:
        self._load, self._state = load, state
        self._near: Neighbours | None | bool = None if load else False
        self._memo: dict[str, tuple[str, ...]] = {}

    def expand_all(self, topics: Sequence[str]) -> list[str]:
        """For each topic, the words it is expanded with (a space-separated string)."""
        words = [topic_words(t) for t in topics]
        new = list(dict.fromkeys(w for ws in words for w in ws if w not in self._memo))
        if new:
            near = self._neighbours()
            found = near.nearest(new) if near else {}
            for word in new:
                self._memo[word] = found.get(word, ())
        out = []
        for ws in words:
            own = {stem(w) for w in ws}
            extra = dict.fromkeys(x for w in ws for x in self._memo[w] if stem(x) not in own)
            out.append(" ".join(extra))
        return out

    def _neighbours(self) -> Neighbours | None:
        if self._near is None:
            embedder = self._load() if self._load else None
            self._near = Neighbours.of(embedder, self._state) or False
        return self._near or None


class Neighbours:
    """The whole words of a static model's vocabulary, and the nearest of them to a word."""

    def __init__(self, embedder: Any, names: list[str], matrix: Any) -> None:
        self.embedder, self.names, self.matrix = embedder, names, matrix

    @classmethod
    def of(cls, embedder: Embedder | None, state: Path | None = None) -> Neighbours | None:
        """The vocabulary of `embedder` when it is a static model with a token table, else None;
        the list of its whole words is cached in `state` (a wiki's `.kbsleep/`)."""
        table = getattr(embedder, "table", None)
        folder = getattr(embedder, "folder", None)
        if table is None or folder is None:
            return None
        import numpy as np

        from kbsleep.search.vectors import TOKENIZER

        pairs = _vocabulary(folder / TOKENIZER, state)
        if not pairs:
            return None
        ids = np.fromiter((i for _, i in pairs), dtype=np.int64, count=len(pairs))
        matrix = table[ids].astype(np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        return cls(embedder, [name for name, _ in pairs], matrix)

    def nearest(self, words: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """For each word, up to NEIGHBOURS vocabulary words at least NEIGHBOUR_COSINE close to
        it that are not forms of it (no shared stem, neither a prefix of the other)."""
        import numpy as np

        found: dict[str, tuple[str, ...]] = {}
        for start in range(0, len(words), 1024):
            batch = list(words[start : start + 1024])
            scores = self.embedder.embed(batch) @ self.matrix.T
            depth = min(4 * NEIGHBOURS, len(self.names) - 1)
            top = np.argpartition(-scores, depth, axis=1)[:, : depth + 1]
            for row, word in enumerate(batch):
                order = sorted(top[row], key=lambda j: -scores[row, j])
                picked = [self.names[j] for j in order if scores[row, j] >= NEIGHBOUR_COSINE and not _same_word(word, self.names[j])]
                found[word] = tuple(picked[:NEIGHBOURS])
        return found


def _vocabulary(source: Path, state: Path | None) -> list[tuple[str, int]]:
    """(word, token id) of the whole words of the tokenizer file `source`, from the cache in
    `state` when it is current (reading the 1.8 MB JSON costs about 0.1 s, a tenth of the budget
    of `index` after one edit)."""
    import hashlib
    import marshal

    try:
        stat = source.stat()
    except OSError:
        return []
    key = hashlib.sha256(f"{VOCABULARY_FORMAT}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    cached = state / f"words-{key}.marshal" if state is not None else None
    if cached is not None:
        try:
            return [tuple(pair) for pair in marshal.loads(cached.read_bytes())]  # type: ignore[misc]
        except (OSError, EOFError, ValueError, TypeError):
            pass
    try:
        vocab = json.loads(source.read_bytes())["model"]["vocab"]
        pairs = sorted((token[1:], int(i)) for token, i in vocab.items() if _vocabulary_word(token))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []
    if cached is not None:
        try:
            partial = cached.with_name(cached.name + ".partial")
            partial.write_bytes(marshal.dumps(pairs))
            os.replace(partial, cached)
            for stale in cached.parent.glob("words-*.marshal"):
                if stale != cached:
                    stale.unlink(missing_ok=True)
        except OSError:
            pass
    return pairs


def _vocabulary_word(token: str) -> bool:
    """A vocabulary entry that is a whole lower-case English-looking word: "▁restore"."""
    word = token[1:]
    return token.startswith("\u2581") and len(word) >= MIN_LETTERS and word.isascii() and word.isalpha() and word.islower() and word not in STOP


def _same_word(a: str, b: str) -> bool:
    """Whether `b` is a form of `a` (or a fragment of it): such words add nothing to BM25."""
    return stem(a) == stem(b) or a.startswith(b) or b.startswith(a) or a[:5] == b[:5]


def expansions(expander: Expander | None, topics: Iterable[str]) -> list[str]:
    """`expander.expand_all(topics)`, or no words at all without an expander."""
    listed = list(topics)
    return expander.expand_all(listed) if expander else ["" for _ in listed]
