"""Which file a link path names, as Obsidian's `MetadataCache.getLinkpathDest` decides it.

`obsidian.d.ts` documents `getFirstLinkpathDest` only as "Get the best match for a linkpath".
The rule below is the one Obsidian's own code follows (its app.js `_getLinkpathDest`, which
plugins copy to extend it: Camaendir/extensionless, `main.ts`, written for Obsidian 1.7), and
the one observed on Obsidian 1.13.7 through `app.metadataCache.getFirstLinkpathDest` in a
scratch vault (pvliesdonk/markdown-vault-mcp, issues #1350 and #1358,
`docs/design/reference/obsidian-markdown.md`):

1. A path starting with `./` or `../` is read from the linking note's folder first.
2. A path that is a file's vault path, case aside, opens that file, from every folder (so
   `[[Note]]` opens the root's `Note.md` even beside another `Note.md`). A path starting with
   `/` opens that file or nothing.
3. Otherwise the candidates are the files of the link's file name whose path ends with the
   link path (a string suffix: `[[b/Note]]` opens `a/b/Note.md`). Those whose path starts with
   the linking note's folder (a string prefix: its subfolders count, an ancestor does not) come
   first; within each group the shortest path string wins (`a/b/Note.md`, 11 characters, over
   `zzzz/Note.md`: not the fewest folders).
4. Candidates that rule ranks equal (as near, paths as long) come in the order of Obsidian's
   index of the files, which the files do not tell: observed unstable (a third `Tie.md` changed
   which of the first two opened). `contenders` returns them all, and no caller claims one.
"""

from __future__ import annotations

import posixpath
import unicodedata
from functools import lru_cache
from typing import Iterable


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The comparison form of a name: NFC, casefolded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def relative(key: str, folder: str) -> tuple[str, str]:
    """A folded `./x` or `../x` read from the (folded) `folder`, as Obsidian reads it: the path
    it names, and the prefix that makes a candidate near (the folder reached, with its `/`).
    A `../` at the root stays at the root."""
    if key.startswith("./../"):
        key = key[2:]
    if key.startswith("./"):
        key = key[2:]
    else:
        while key.startswith("../"):
            key, folder = key[3:], folder.rsplit("/", 1)[0] if "/" in folder else ""
    near = folder + "/" if folder else ""
    return near + key, near


def _length(path: str) -> int:
    """A path's length as Obsidian measures it (a JavaScript string's, in UTF-16 units)."""
    return len(path.encode("utf-16-le")) // 2


def contenders(candidates: Iterable[str], near: str) -> tuple[str, ...]:
    """The candidates Obsidian may open (rule 3): the near ones (folded path starting with
    `near`) if any, else all; of those, every one with the shortest path. More than one is a
    tie Obsidian breaks by its index order (rule 4); they come sorted by path, for a stable
    choice of ours."""
    candidates = list(candidates)
    group = [path for path in candidates if fold(path).startswith(near)] or candidates
    shortest = min(map(_length, group))
    return tuple(sorted(path for path in group if _length(path) == shortest))


def pick(candidates: Iterable[str], folder: str) -> str:
    """The file Obsidian opens from `folder`, or, on a tie, the first by path of those it may."""
    return contenders(candidates, fold(folder))[0]


def opens(link: str, folder: str, pages: Iterable[str]) -> tuple[str, ...]:
    """The pages of `pages` (`.md` paths) the link path `link` (as written, no `.md`) may open
    from a page in `folder`, by rules 1-3: one, or those rule 4 leaves to Obsidian's index order
    (sorted by path); () when none is named."""
    key, near = fold(link), fold(folder)
    if key.startswith(("./", "../")):
        key, near = relative(key, near)
    by_path = {fold(page[:-3]): page for page in pages}
    if (found := by_path.get(key[1:] if key.startswith("/") else key)) is not None:
        return (found,)
    if key.startswith("/"):
        return ()
    candidates = [page for folded, page in by_path.items() if folded.endswith("/" + key)]
    return contenders(candidates, near) if candidates else ()


def tied(key: str, near: str, candidates: Iterable[str]) -> tuple[str, ...]:
    """The candidates Obsidian ranks first alike for the folded link path `key` from the folded
    folder `near`; () when its rule names one."""
    if key.startswith(("./", "../")):
        near = relative(key, near)[1]
    found = contenders(candidates, near)
    return found if len(found) > 1 else ()


def inner_dots_read(target: str) -> str:
    """A Markdown link's path with `a/../b` inside it read as `b` (our choice), its leading `./`
    and `../` kept for `relative`; "" when it names no file."""
    head, rest = "", target
    while rest.startswith(("./", "../")):
        cut = 2 if rest.startswith("./") else 3
        head, rest = head + rest[:cut], rest[cut:]
    rest = posixpath.normpath(rest) if rest else ""
    return head + rest if rest not in ("", ".", "..") else ""
