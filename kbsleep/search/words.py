"""Words: the one tokenizer every part of search uses, the stop words, and the stemmers.

`tokenize` gives casefolded NFKC word tokens (`\\w+` runs) without stop words, each CJK character
a token of its own. BM25, the index's queries (`query_terms`), question analysis, answer
extraction and the fast path's matcher all tokenize with it; the FTS5 index stores text as
`searchable` gives it, so its own tokenizer (unicode61, porter) sees the same words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WORD = re.compile(r"\w+")
# Scripts written without spaces between words: each character is a token of its own.
UNSPACED = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
MAX_QUERY_TOKENS = 64


@lru_cache(maxsize=1)
def _unspaced() -> re.Pattern[str]:
    """`UNSPACED`, compiled when a text first has a character beyond ASCII: compiling its 28,000
    characters' ranges costs a tenth of all the patterns a warm `ask` compiles, and an ASCII
    word cannot hold one of them."""
    return re.compile(UNSPACED)


STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves s t d ll m re ve
    """.split()
)


def tokenize(text: str, stop_words: frozenset[str] = STOP_WORDS) -> list[str]:
    """Casefolded NFKC word tokens, without stop words; CJK characters count one token each."""
    text = unicodedata.normalize("NFKC", text).casefold()
    tokens: list[str] = []
    for word in _WORD.findall(text):
        if not word.isascii() and _unspaced().search(word):
            tokens.extend(_split_unspaced(word))
        elif word not in stop_words and word != "_" * len(word):
            tokens.append(word)
    return tokens


def _split_unspaced(word: str) -> list[str]:
    """'東京tower' -> ['東', '京', 'tower']: unspaced characters alone, other runs together."""
    parts: list[str] = []
    run = ""
    for char in word:
        if _unspaced().match(char):
            if run:
                parts.append(run)
                run = ""
            parts.append(char)
        else:
            run += char
    if run:
        parts.append(run)
    return parts


def query_terms(text: str) -> list[str]:
    """The distinct word tokens of `text` a query may use (never FTS5 syntax)."""
    return list(dict.fromkeys(tokenize(text)))[:MAX_QUERY_TOKENS]


def searchable(text: str) -> str:
    """`text` as the FTS5 columns hold it: NFKC, and CJK characters spaced apart (as `tokenize` splits them)."""
    text = unicodedata.normalize("NFKC", text)
    return _unspaced().sub(r" \g<0> ", text) if not text.isascii() and _unspaced().search(text) else text


_SUFFIXES = ("ational", "ations", "ation", "ements", "ement", "ments", "ment", "ings", "ing", "ness",
             "ities", "ity", "ies", "ied", "ers", "er", "ed", "es", "ly", "s", "e")  # fmt: skip


def singular(word: str) -> str:
    """A word without its plural ending: "plugins" -> "plugin", "properties" -> "property"; for
    names said as written (`stem` folds more: "templater" and "template" alike)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# English plurals no suffix rule undoes: "dice" is one "die" more, not a word of its own
# (not "analyses": the suffix rule already meets "analyse"; nor "data", a word of its own in a wiki)
IRREGULAR = {"dice": "die", "mice": "mouse", "geese": "goose", "teeth": "tooth", "feet": "foot", "men": "man",
             "women": "woman", "children": "child", "indices": "index", "vertices": "vertex", "matrices": "matrix",
             "criteria": "criterion", "phenomena": "phenomenon"}  # fmt: skip


@lru_cache(maxsize=1 << 16)  # an ask stems the words of its sections again and again (4,000 calls, 300 words)
def stem(word: str) -> str:
    """A light suffix stripper: enough that "snapshots", "snapshot" and "snapshotting" meet."""
    word = IRREGULAR.get(word, word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied", "ities") else "")
            if suffix in _VERB_ENDINGS and word.endswith("er") and len(word) >= 5:
                word = word[:-2]  # "entering", "entered" and "enters" meet "enter": all "ent"
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]  # "snapshott" -> "snapshot"
    return word


def stems(text: str) -> set[str]:
    """The stems of `text`'s words (`tokenize`, then `stem`), each word stemmed once."""
    return set(map(stem, set(tokenize(text))))


_VERB_ENDINGS = frozenset(("ings", "ing", "ed", "es", "s"))
_CONCEPT_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ed", "er", "es", "s", "e")


def concept_stem(word: str) -> str:
    """The synonym table's stemmer (`kbsleep.search.match`): the key a word is looked up under.

    Not `stem`: it strips fewer suffixes ("ment", "ness", "ity", "ly" stay) and never drops a
    doubled letter, so fewer words meet. The table, the entity names and the words answer
    extraction counts as synonyms are keyed by it; stemmed with `stem` instead, 378 of the 5,760
    words of Obsidian's help vault would take another key and words of different concepts would
    meet, changing what retrieval searches for and which answers are picked.
    """
    for suffix in _CONCEPT_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    return word
