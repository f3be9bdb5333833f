"""When is a broken link plainly a typo of a file name, safe to rewrite without asking?

Our choices, from real vaults (docs/obsidian.md, "Near-miss repairs"): see `typo` and
`under_named_folder`. An acronym is never read as a word, nor a word as an acronym: `[[MOV]]` is
not `move.md`, and `[[man]]` is not the page whose alias is `MAN`. `spellings`: the file names
spelt like a link (case, spaces, punctuation and a plural aside), which alias-link offers too.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from kbsleep.wiki import Wiki
from kbsleep.wiki.page import Page
from kbsleep.wiki.resolve import fold


def typo(target: str, name: str) -> bool:
    """Is a link's target a typo of this file name, safe to rewrite without asking?

    Our choice, from real vaults: a near miss by difflib's ratio is as often another word as a
    typo (`[[Liver]]` and `Sliver.md`, `[[Flash]]` and `Flask.md`, `[[South America]]` and
    `North America.md`), and a zettelkasten links notes it has not written yet. So a fix is
    applied only when the two differ in case, spacing, punctuation or accents alone
    (`[[Land Slide]]`, `[[FreyaHurst]]`), or when one word of the link lacks one vowel or one
    of a doubled letter of the name's word, not its first, or has two neighbours swapped
    (`[[Kestrel Rovr]]`, `[[Seasonal Entrpy]]`, `[[compresion]]`), with every digit kept (`[[Week 6]]` never becomes `[[Week 5]]`) and
    no acronym's letters changed (`[[MOV]]` is not `move.md`, `[[CPE]]` not `COPE.md`). Other near misses are hints.
    """
    written, wanted = _words(target.rsplit("/", 1)[-1]), _words(name)
    if "".join(written).casefold() == "".join(wanted).casefold():
        return True
    if _DIGITS.sub("", target.rsplit("/", 1)[-1]) != _DIGITS.sub("", name) or len(written) != len(wanted):
        return False
    changed = [(a, b) for a, b in zip(written, wanted) if a.casefold() != b.casefold()]
    if len(changed) != 1:
        return False
    a, b = changed[0]
    if acronym(a) or acronym(b):
        return False  # a letter more or fewer in an acronym is another one: CPE, COPE; TCP, TPC
    a, b = a.casefold(), b.casefold()
    return len(b) >= 4 and a[0] == b[0] and _slip(a, b)


def under_named_folder(target: str, path: str) -> bool:
    """May a link written as a path be repaired to the page at `path`? Only when the page is in
    a folder the link names (`[[Web/WordPress]]` -> `Web/Ports/Wordpress.md`, the note moved): a
    "folder" the vault does not share with the page is part of a name holding a slash
    (`[[SQL Injection File Read/Write]]` is not `concepts/Write.md`, `[[MATLAB/Python]]` not
    `Python.md`)."""
    named = {fold(part) for part in target.split("/")[:-1]}
    return not named or not named.isdisjoint(fold(part) for part in path.split("/")[:-1])


def acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def acronym_for(written: str, page: Page) -> str | None:
    """The page's title or alias that `written` matches but for case, when that name is an
    acronym and `written` is not: an acronym is never read as a word (`[[man]]` is not `MAN`)."""
    if acronym(written):
        return None
    return next((name for name in (page.title, *page.aliases) if fold(name) == fold(written) and acronym(name)), None)


def _words(name: str) -> list[str]:
    bare = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return _WORD.findall(bare)


def _slip(written: str, meant: str) -> bool:
    """One vowel or one of a doubled letter of `meant` dropped, or two neighbours swapped: the
    typos that keep a word recognisable. (A changed or an added letter makes another word as
    often: Flash, Flask; so does a dropped consonant, on a 13,000-note zettelkasten: Money and
    Monkey, Ford and Fjord, FastAI and FastAPI, csh and Csch, force and Forces.)"""
    if len(meant) == len(written) + 1:
        i = next((i for i in range(len(written)) if written[i] != meant[i]), len(written))
        doubled = (i > 0 and meant[i] == meant[i - 1]) or meant[i + 1 : i + 2] == meant[i]
        return written[i:] == meant[i + 1 :] and (meant[i] in _VOWELS or doubled)
    if len(meant) == len(written):
        at = [i for i in range(len(written)) if written[i] != meant[i]]
        return len(at) == 2 and at[1] == at[0] + 1 and written[at[0]] == meant[at[1]] and written[at[1]] == meant[at[0]]
    return False


_DIGITS = re.compile(r"\D+")
_VOWELS = frozenset("aeiouy")  # (`_words` has taken the accents off)
_WORD = re.compile(r"[^\W_]+")


def spelling(name: str) -> str:
    """A name as spelt, case, spaces and punctuation aside: `Visenya V4` and `visenya-v4` alike."""
    return "".join(c for c in fold(name) if c.isalnum())


def number_forms(spelling: str) -> tuple[str, ...]:
    """A spelling and its last word's other number: `shell` and `shells` (`![[shell]]`, the alias
    of `terminal-tty-shell.md`, beside a note `shells.md`), `box` and `boxes`."""
    if spelling.endswith("es"):
        return spelling, spelling[:-1], spelling[:-2]
    if spelling.endswith("s"):
        return spelling, spelling[:-1]
    return spelling, spelling + "s", spelling + "es"


def spellings(wiki: Wiki) -> dict[str, list[str]]:
    """Spelling of a file name -> the pages of that file name (not templates or Excluded files)."""
    found: dict[str, list[str]] = defaultdict(list)
    unjudged = wiki.unjudged
    for path, page in wiki.pages.items():
        if path not in unjudged:
            found[spelling(page.stem)].append(path)
    return found
