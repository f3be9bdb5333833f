"""Where a page's links are: the line and column in the file of an offset into an inline token's
source, and the column of a link's text on its line."""

from __future__ import annotations


class Columns:
    """The columns of links' text on the lines of one page, asked for in the order the links
    come (see `__call__`)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._found = (0, 0)  # the line and end column of the last link found

    def __call__(self, line: int, raw: str, at_least: int = 0) -> int:
        """The 1-based column in the file of `raw` on `line`, at or after `at_least`, its column
        in its inline source, which leaves out what the line starts with (a quote's `>`, a list
        item's indentation, the cells before a table cell)."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        # Links on a line are found in order, so each search starts where the last one ended,
        # if that is further on (a table row's cells, a front matter line): searching each from
        # the start of a long line would be quadratic.
        found_line, found_end = self._found
        start = found_end if found_line == line and found_end > at_least else at_least
        # In a table `[[T|x]]` is written `[[T\|x]]`; without a `|` that retry is the same search.
        for candidate in (raw, raw.replace("|", "\\|")) if "|" in raw else (raw,):
            index = text.find(candidate, start)
            if index < 0 and start > at_least:
                index = text.find(candidate, at_least)
            if index < 0:
                index = text.find(candidate)
            if index >= 0:
                self._found = (line, index + len(candidate))
                return index + 1
        return at_least + 1


class Where:
    """The (line, column) in the file and in its own source of offsets into one inline token's
    source, asked for in increasing order (as its children come): the text between two is
    scanned once, so finding every link's line is linear in the source, however many there are
    and however long its lines."""

    __slots__ = ("src", "line", "at", "start")

    def __init__(self, src: str, line: int) -> None:
        self.src, self.line = src, line  # `line`: the file line of offset `at`
        self.at = self.start = 0  # an offset counted up to, and where its line starts in `src`

    def __call__(self, pos: int) -> tuple[int, int]:
        """The file line of offset `pos`, and its column in its line of the source (0-based)."""
        if pos < self.at:  # (not met: children come in order; kept correct all the same)
            self.line -= self.src.count("\n", pos, self.at)
            self.at, self.start = pos, self.src.rfind("\n", 0, pos) + 1
        newlines = self.src.count("\n", self.at, pos)
        if newlines:
            self.line += newlines
            self.start = self.src.rfind("\n", self.at, pos) + 1
        self.at = pos
        return self.line, pos - self.start
