"""The static model's tokenizer in plain Python, for the few short texts a warm `ask` embeds."""

from __future__ import annotations

import json
import os
import sys
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path
from typing import Any

LONGEST_WORD = 200  # characters between two spaces that `Pieces` merges; a longer run goes to `tokenizers`
MERGE_BUDGET = 2_000_000  # about 0.1 s of merging; a batch that needs more goes to `tokenizers`
KEPT_TABLES = 3  # token tables of this many installs kept in a wiki's .kbsleep/
NO_MERGE = 1 << 62  # above every rank << 16 | id


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
    loading `tokenizers`, is left to it.

    The merges are three flat arrays, not a dict: unmarshalling 61,000 pairs into a dict cost a
    warm `ask` 5% of its instructions, and a question needs the merges of a few thousand tokens.
    The merges of a left token `t` are `seconds[starts[t]:starts[t + 1]]` (the right tokens,
    ascending) and `merged[...]` beside them (rank << 16 | the merged token's id); a pair is
    looked up there once, then in a dict (`pairs`)."""

    FORMAT = 3  # 2: (vocab, {left << 16 | right: rank << 16 | merged}); 3: the arrays, little-endian

    def __init__(self, vocab: dict[str, int], starts: array[int], seconds: array[int], merged: array[int]) -> None:
        self.vocab = vocab  # the tokens of one character, and the bytes' "<0xAB>" tokens
        self.starts = starts  # 'Q': one more than the highest id, then the end
        self.seconds = seconds  # 'H': ids are below 1 << 16
        self.merged = merged  # 'Q'
        self.pairs: dict[int, int] = {}  # left id << 16 | right id -> merged or NO_MERGE, as looked up
        self.memo: dict[str, list[int]] = {}
        self.spent = 0  # merging work since encode_all began

    @classmethod
    def load(cls, source: Path, state: Path | None) -> Pieces | None:
        """The tables of the tokenizer file `source`, from the cache in `state` when it is current,
        else built from its JSON (and cached). None when the tokenizer is not of the kind this
        class reproduces."""
        import hashlib
        import marshal

        try:
            stat = source.stat()
        except OSError:
            return None
        key = hashlib.sha256(f"{cls.FORMAT}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
        cached = state / f"tokens-{key}.marshal" if state is not None else None
        if cached is not None:
            try:
                return cls.unpack(marshal.loads(cached.read_bytes()))
            except (OSError, EOFError, ValueError, TypeError):
                pass  # missing, damaged or of another format: built again below
        tables = cls.build(json.loads(source.read_bytes()))
        if tables is None:
            return None
        if cached is not None and cached.parent.is_dir():
            try:
                partial = cached.with_name(cached.name + ".partial")
                partial.write_bytes(marshal.dumps(cls.pack(tables)))
                os.replace(partial, cached)
                # keep the tables of the last few installs (a venv and a pipx install may share a
                # wiki; an older kbsleep's format counts as one): only older ones go
                kept = sorted(cached.parent.glob("tokens-*.marshal"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
                for stale in kept[KEPT_TABLES:]:
                    stale.unlink(missing_ok=True)
            except OSError:
                pass
        return cls(*tables)

    @staticmethod
    def build(config: dict[str, Any]) -> tuple[dict[str, int], array[int], array[int], array[int]] | None:
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
        merges: dict[tuple[int, int], int] = {}
        for rank, merge in enumerate(model["merges"]):
            left, right = merge.split(" ", 1) if isinstance(merge, str) else merge
            if left in vocab and right in vocab and left + right in vocab:
                merges[vocab[left], vocab[right]] = rank << 16 | vocab[left + right]
        starts = array("Q", bytes(8 * (max(vocab.values(), default=0) + 2)))
        for left, _ in merges:
            starts[left + 1] += 1
        for i in range(1, len(starts)):
            starts[i] += starts[i - 1]
        pairs = sorted(merges)
        singles = {token: i for token, i in vocab.items() if len(token) == 1 or (len(token) == 6 and token.startswith("<0x"))}
        return singles, starts, array("H", [right for _, right in pairs]), array("Q", [merges[pair] for pair in pairs])

    @classmethod
    def pack(cls, tables: tuple[dict[str, int], array[int], array[int], array[int]]) -> tuple[object, ...]:
        """What the cache file holds: the format, the vocabulary, and each array's little-endian bytes."""
        vocab, *arrays = tables
        return (cls.FORMAT, vocab, *(_little(array(table.typecode, table)).tobytes() for table in arrays))

    @classmethod
    def unpack(cls, stored: object) -> Pieces:
        """The tokenizer `pack` stored; ValueError for anything else (an older format, a damaged file)."""
        if not (isinstance(stored, tuple) and len(stored) == 5 and stored[0] == cls.FORMAT and isinstance(stored[1], dict)):
            raise ValueError("not a token table of this format")
        starts, seconds, merged = (_little(array(code, blob)) for code, blob in zip("QHQ", stored[2:]))
        if not starts or starts[0] != 0 or starts[-1] != len(seconds) or len(seconds) != len(merged):
            raise ValueError("the token table's arrays do not agree")
        return cls(stored[1], starts, seconds, merged)

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
        # the merge of each pair of neighbours (NO_MERGE if none); a merge changes only the two
        # pairs beside it, so only they are looked up again
        ranks = [self._merge(left, right) for left, right in zip(symbols, symbols[1:])]
        while ranks:
            best = min(ranks)
            if best == NO_MERGE:
                break
            at = ranks.index(best)  # the lowest rank, leftmost
            merged = best & 0xFFFF
            symbols[at : at + 2] = [merged]
            del ranks[at]
            if at > 0:
                ranks[at - 1] = self._merge(symbols[at - 1], merged)
            if at < len(ranks):
                ranks[at] = self._merge(merged, symbols[at + 1])
        if len(self.memo) < 100_000:
            self.memo[word] = symbols
        return symbols

    def _merge(self, left: int, right: int) -> int:
        """What the pair merges into (rank << 16 | id), or NO_MERGE; looked up in the arrays once."""
        pair = left << 16 | right
        found = self.pairs.get(pair)
        if found is None:
            found = NO_MERGE
            if left < len(self.starts) - 1:
                lo, hi = self.starts[left], self.starts[left + 1]
                at = bisect_left(self.seconds, right, lo, hi)
                if at < hi and self.seconds[at] == right:
                    found = self.merged[at]
            self.pairs[pair] = found
        return found


def _little(table: array[int]) -> array[int]:
    """`table`, its items swapped in place on a big-endian machine: the cache file's are little-endian."""
    if sys.byteorder == "big":
        table.byteswap()
    return table
