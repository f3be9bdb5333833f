"""Model text is data: what of it may be written into a page, and how it is made inert elsewhere.

Two policies, chosen per field by what the text is for:
- `problem` rejects: an anticipated question or answer (one item among several; a rewrite of it
  could change what it claims, and dropping it loses one Q&A, never the page) and markup a
  rewrite adds (`added_markup`: a merge or fix may move the inputs' code, comments and tags,
  never bring new ones).
- `inert` neutralises: reasons and replaced snippets quoted in log entries and commit messages
  are explanations, not content: dropping them would hide why a change was made, while
  flattening them to one plain line loses nothing.
"""

from __future__ import annotations

import re

from kbsleep.wiki.wikilink import code_spans

# C0 controls but tab, newline and carriage return (a CRLF page's own line ends), DEL, C1
# controls: ESC/BEL sequences reach terminals and git.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FENCE = re.compile(r"```|~~~")
HTML_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
# What a rewrite may not add: each opens or closes something that changes how the rest of the
# page parses (a fence, a comment, an Obsidian `%%` comment) or renders (a tag).
MARKUP: dict[str, re.Pattern[str]] = {
    "a code fence": FENCE,
    "an HTML comment marker": re.compile(r"<!--|-->"),
    "a `%%` comment marker": re.compile(r"%%"),
    "an HTML tag": HTML_TAG,
    "a control character": CONTROL,
}


def problem(text: str, limit: int) -> str | None:
    """Why model text may not be written into a page as is, or None. An HTML tag inside a code
    span is text ("`limit to <number> tasks`" renders as written), as a quoted page's own code is."""
    if len(text) > limit:
        return f"longer than {limit} characters"
    for what, pattern in MARKUP.items():
        if pattern.search(_without_code(text) if pattern is HTML_TAG else text):
            return f"holds {what}"
    return None


def _without_code(text: str) -> str:
    """`text` with each single-line code span blanked."""
    for start, end in reversed(code_spans(text)):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def added_markup(before: list[str], after: str) -> list[str]:
    """The kinds of markup `after` holds more of than all of `before` together."""
    return [f"adds {what}" for what, pattern in MARKUP.items() if len(pattern.findall(after)) > sum(len(pattern.findall(t)) for t in before)]


def inert(text: str, limit: int = 200) -> str:
    """Model words as one plain line: no links, tags, code, comments or control characters."""
    text = " ".join(CONTROL.sub(" ", text).split())
    text = text.replace("[", "(").replace("]", ")").replace("<", "‹").replace(">", "›").replace("`", "'").replace("%%", "%")
    return text if len(text) <= limit else text[: limit - 1] + "…"
