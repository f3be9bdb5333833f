"""What every lint format shares: the settings and context a renderer gets, locations as
text, and the summary lines ('Found 3 problems ...')."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kbsleep.lint.records import Diagnostic, Location, Rule

NOISY = 100  # findings of one rule past which the full format says how to stop checking it


@dataclass(frozen=True)
class Settings:
    """Where the rule selection is configured, for the full format's advice on a noisy rule."""

    file: str = "kbsleep.toml"  # the config file's name (kbsleep reads the first it finds)
    table: str = "[lint]"  # its lint table: `[tool.kbsleep.lint]` in pyproject.toml
    ignored: tuple[str, ...] = ()  # its `ignore` list now


@dataclass(frozen=True)
class Context:
    """What a renderer needs besides the diagnostics."""

    rules: tuple[Rule, ...]
    tool_version: str
    color: bool
    pages: int | None = None  # pages in the wiki (0: nothing was checked), when known
    settings: Settings = Settings()
    empty: str | None = None  # why nothing was checked ("no Markdown page found under PATH"), if so
    width: int | None = None  # the terminal's columns, when the full format is shown on one


Renderer = Callable[[Sequence[Diagnostic], Context], str]


# -- shared helpers ---------------------------------------------------------------------------


def ordered(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    # The message breaks ties so that equal keys cannot fall back on discovery order.
    return sorted(diagnostics, key=lambda d: (d.sort_key(), d.message))


def posix(path: str, sep: str = os.sep) -> str:
    """A path with '/' between folders. Only where the platform's separator is `\\` is a
    backslash one; elsewhere it is a character of the name (`a\\b.md` is a legal file on Linux
    and macOS) and is kept, so that the path printed is the file's."""
    return path.replace(sep, "/") if sep != "/" else path


# A path that holds one of these is quoted: C0 and C1 controls (a newline would split a finding's
# line in two, an ESC recolour the terminal), DEL, and what reorders or breaks the text shown
# (bidi controls, the line and paragraph separators); or that starts with a quote, which would
# read as a quoted path.
_NEEDS_QUOTES = re.compile('^"|[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]')
_C_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def quote_path(path: str) -> str:
    """A path as git quotes one (`core.quotePath`): as it is, unless it holds a character that
    would break the line or act on the terminal (`_NEEDS_QUOTES`); then in double quotes with C
    escapes (`"new\\nline.md"`), the others as the octal of their UTF-8 bytes (`\\033`), as
    `git status` and `git diff` print such a name. A printed finding stays one line, and names its file."""
    if _NEEDS_QUOTES.search(path) is None:
        return path
    out = []
    for char in path:
        if char in _C_ESCAPES:
            out.append(_C_ESCAPES[char])
        elif _NEEDS_QUOTES.match(char):
            out.append("".join(f"\\{byte:03o}" for byte in char.encode("utf-8")))
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def where(location: Location) -> str:
    return f"{quote_path(posix(location.path))}:{location.line}:{location.column}"


def named(text: str, d: Diagnostic) -> str:
    """A finding's text (its message, hint, a related note) with the paths of the finding that
    must be quoted (`quote_path`) quoted where it names them, as its location shows them."""
    for path in {d.location.path, *(other.path for other in d.related)}:
        if _NEEDS_QUOTES.search(path) is not None and path in text:
            text = text.replace(path, quote_path(posix(path)))
    return text


def end_column(diagnostic: Diagnostic) -> int:
    """The column just past the underlined span (exclusive, as SARIF and ruff's JSON use)."""
    return diagnostic.location.column + max(diagnostic.span, 1)


def one_line(text: str) -> str:
    return " ".join(text.splitlines())


def with_hint(diagnostic: Diagnostic) -> str:
    return diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def tally(diagnostics: Sequence[Diagnostic]) -> str:
    """The one-line summary: 'Found 3 problems (2 errors, 1 warning)'."""
    if not diagnostics:
        return "All checks passed."
    counts = Counter(d.severity for d in diagnostics)
    parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning")]
    if counts["judgement"]:
        parts.append(plural(counts["judgement"], "judgement"))
    return f"Found {plural(len(diagnostics), 'problem')} ({', '.join(parts)})."


def summary(diagnostics: Sequence[Diagnostic], pages: int | None = None, empty: str | None = None) -> str:
    """The full format's last line: findings by tier, and by rule in each, most first.

    'Found 2 errors (broken-link 1, broken-anchor 1) and 1 warning (orphan-page 1); ...'
    """
    if not diagnostics:
        if empty is not None:
            return f"{empty[0].upper()}{empty[1:]}: nothing was checked."
        return "No pages found: nothing was checked." if pages == 0 else "All checks passed."
    parts = []
    for tier in ("error", "warning", "judgement"):
        counts = Counter(d.name for d in diagnostics if d.severity == tier)
        if counts:
            rules = ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])))
            parts.append(f"{plural(sum(counts.values()), tier)} ({rules})")
    found = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Found {found}; `--statistics` prints the counts alone."


def noisy(diagnostics: Sequence[Diagnostic], settings: Settings = Settings()) -> str:
    """Advice, once, when a rule found more than `NOISY`: the config line that stops it."""
    counts = Counter(d.name for d in diagnostics)
    loud = sorted((name for name, count in counts.items() if count > NOISY), key=lambda name: (-counts[name], name))
    if not loud:
        return ""
    which = ", ".join(f"{name} ({counts[name]})" for name in loud)
    listed = ", ".join(json.dumps(name) for name in (*settings.ignored, *loud))
    one = len(loud) == 1
    return (
        f"Over {NOISY} findings from {'one rule' if one else f'{len(loud)} rules'}: {which}. If this wiki does not "
        f"need {'it' if one else 'them'} checked, set `ignore = [{listed}]` under {settings.table} in {settings.file}."
    )


def statistics(diagnostics: Sequence[Diagnostic]) -> list[tuple[str, str, int]]:
    """(code, name, count) per rule, most frequent first, then by code."""
    counts = Counter((d.code, d.name) for d in diagnostics)
    rows = [(code, name, count) for (code, name), count in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], row[0], row[1]))


def render_statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """`statistics` as an aligned text table: count, code, name."""
    rows = statistics(diagnostics)
    if not rows:
        return ""
    count_width = max(len(str(count)) for _, _, count in rows)
    code_width = max(len(code) for code, _, _ in rows)
    return "".join(
        f"{count:>{count_width}}  {code:<{code_width}}  {name}\n" for code, name, count in rows
    )
