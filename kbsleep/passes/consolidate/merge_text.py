"""The offline engine's merge of duplicate pages: the survivor's body kept as it is, with what
the other pages add to each of its sections after that section's text, then the sections it
lacks. A paragraph, or a line of one, the merged text already holds is not added again, nor is a
paragraph of prose the survivor says a word apart (`_Near`): the survivor's wording is kept; a
table, a quote or a callout, and code, are added whole or not at all. No judgement is made: the
evidence (`evidence.py`) decided the pages are one."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from kbsleep.llm import Request, Result, offline_result
from kbsleep.passes.consolidate.duplicates import MergeOutput
from kbsleep.passes.consolidate.safety import Inventory, inventory, parse, twins
from kbsleep.wiki.resolve import fold


def offline_merge(request: Request) -> Result:
    """Merge section by section: the survivor's body as it is, each of its sections followed by
    what the other pages add to it (no paragraph, and no line, the merged text already holds),
    then the sections it lacks."""
    survivor = request.context[0].text if request.context else ""
    lines = survivor.split("\n")
    ends = _section_ends(survivor)
    held = {_norm(p) for _, _, paragraphs, _, _ in _chunks(survivor) for p in paragraphs}
    held_lines = {_norm(line) for line in lines}
    near = _Near(survivor)
    headings = [(h.level, h.text) for h in parse("merge.md", survivor).headings]
    after: dict[int, list[str]] = {}
    extra: dict[str | None, tuple[str | None, list[str]]] = {}

    def unsaid(paragraph: str) -> str:
        """What of `paragraph` the merged text does not hold yet (none of it, a line of it, or all), then held."""
        kept = _new_lines(paragraph, held_lines) if _norm(paragraph) not in held and not near.says(paragraph) else ""
        if kept and not _whole(kept):  # a list item the survivor says a word apart
            kept = "\n".join(line for line in kept.splitlines() if not near.says(line))
        if kept:
            near.add(kept)
            held.add(_norm(paragraph))
            held_lines.update(_norm(line) for line in kept.splitlines())
        return kept

    for passage in request.context[1:]:
        for key, heading, paragraphs, level, text in _chunks(passage.text):
            if key not in ends and not any(lv == level and twins(text, mine) for lv, mine in headings):
                extra.setdefault(key, (heading, []))[1].extend(paragraphs)
                continue
            if key not in ends:
                # "Campaign Arc" beside the survivor's "Campaign Arc (Scenes 1-20)": only what it adds is added, under its
                # own heading (the aside may say what it covers); a section that adds nothing is said already (`safety.twins`)
                fresh = [kept for kept in map(unsaid, paragraphs) if kept]
                if fresh:
                    extra.setdefault(key, (heading, []))[1].extend(fresh)
                continue
            for paragraph in paragraphs:
                kept = unsaid(paragraph)
                if kept:
                    after.setdefault(ends[key], []).append(kept)
    out = [paragraph for paragraph in after.get(-1, ()) for paragraph in (paragraph, "")]  # (before the first heading)
    for index, line in enumerate(lines):
        out.append(line)
        for paragraph in after.get(index, ()):
            out += ["", paragraph]
    for heading, paragraphs in extra.values():
        out += ["", "\n\n".join(([heading] if heading else []) + paragraphs)]
    reason = "the offline engine does not judge: the pages share a name and nearly all their prose"
    return offline_result(request, output=MergeOutput(same=True, reason=reason, body="\n".join(out).strip("\n") + "\n"))


def _section_ends(text: str) -> dict[str | None, int]:
    """(folded heading, or None for the text above the first) -> the index in `text`'s lines of
    the last line of the section's text (its heading's when it has none; -1, the top, for an
    empty start): where what another page adds to the section goes. The first of two alike."""
    page = parse("merge.md", text)
    bounds = [(-1, None)] + [(h.line - 1, f"{h.level}:{fold(h.text)}") for h in page.headings]
    ends: dict[str | None, int] = {}
    for index, (at, key) in enumerate(bounds):
        stop = bounds[index + 1][0] if index + 1 < len(bounds) else len(page.lines)
        ends.setdefault(key, max((i for i in range(at + 1, stop) if page.lines[i].strip()), default=at))
    return ends


def _chunks(text: str) -> list[tuple[str | None, str | None, list[str], int, str]]:
    """(folded heading, heading line, paragraphs, level, heading text) for the text before (level 0)
    and under each heading."""
    page = parse("merge.md", text)
    lines = page.lines
    chunks: list[tuple[str | None, str | None, list[str], int, str]] = []
    bounds = [(1, None)] + [(h.line, h) for h in page.headings]
    for index, (start, heading) in enumerate(bounds):
        end = bounds[index + 1][0] - 1 if index + 1 < len(bounds) else len(lines)
        first = start + 1 if heading is not None else start
        paragraphs = _paragraphs(lines[first - 1 : end])
        if heading is None and not paragraphs:
            continue
        key = f"{heading.level}:{fold(heading.text)}" if heading is not None else None
        chunks.append((key, lines[start - 1] if heading is not None else None, paragraphs, heading.level if heading else 0, heading.text if heading else ""))
    return chunks


def _paragraphs(lines: list[str]) -> list[str]:
    found, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            found.append("\n".join(current))
            current = []
    if current:
        found.append("\n".join(current))
    return found


_WHOLE = re.compile(r"\A\s*[|>]|\A[^\n]*\n\s*\|?\s*:?-+:?\s*\|")  # a table, a quote or callout: its lines go together


def _new_lines(paragraph: str, seen: set[str]) -> str:
    """`paragraph` without the lines the merged text already holds word for word (the formula both
    copies of a page give under different images), unless its lines go together: code, a table
    (a new row without its header is no table), a quote or callout (nor without its `> [!note]`)."""
    if _whole(paragraph):
        return paragraph
    return "\n".join(line for line in paragraph.splitlines() if len(_norm(line)) < MIN_REPEAT or _norm(line) not in seen)


class _Near:
    """The paragraphs of prose the merged text holds, and their lines, to tell whether another
    page's paragraph (or line: a list item) is one of them said a word apart ("the RV Tern" and
    "the Tern", a dash written `--` or `—`): at least `NEAR_WORDS` words (a mark of punctuation
    counts as one), and at most one word in `NEAR_SHARE` replaced, added or dropped. Such a paragraph is said
    once, in the survivor's words, but only when every link, URL, number and date it holds is
    in the merged text too (the loss check's inventory, `safety.inventory`): a paragraph whose
    one different word is a link to another page, or a figure, brings something the merge must
    keep, and is added as before. Candidates share their first or last three words (one word
    replaced leaves one end as it was)."""

    def __init__(self, text: str) -> None:
        self.ends: dict[tuple[str, ...], list[list[str]]] = {}
        self.items: set[object] = set()
        self.sentences: set[str] = set()
        self.firsts: dict[str, list[set[str]]] = {}  # the words of each sentence, by its first word
        self.bare: set[str] = set()  # its lines without their bracketed asides
        self.add(text)

    def add(self, text: str) -> None:
        for paragraph in _paragraphs(text.split("\n")):
            if _whole(paragraph):
                continue
            lines = paragraph.splitlines()
            sentences = [s for line in lines for s in _SENTENCE_END.split(_MARKER.sub("", line.strip()))]
            self.sentences |= {_norm(s) for s in sentences}
            for sentence in sentences:
                words = _words(sentence)
                if words:
                    self.firsts.setdefault(words[0], []).append(set(words))
            self.bare |= {_norm(_ASIDE.sub("", line)) for line in lines if _ASIDE.search(line)}
            for words in [_words(paragraph)] + [_words(line) for line in lines if "\n" in paragraph] + [_words(s) for s in sentences if len(sentences) > 1]:
                if len(words) < NEAR_WORDS:
                    continue
                for end in (("<",) + tuple(words[:3]), (">",) + tuple(words[-3:])):
                    self.ends.setdefault(end, []).append(words)
        self.items |= _items(inventory(parse("merge.md", text)))

    def says(self, paragraph: str) -> bool:
        """Whether the merged text holds `paragraph` a word apart, or each of its sentences so (a summary
        the other page gives with a sentence fewer), or without a bracketed aside ("- Orchestrator
        coordinates sub-agents" beside "- Orchestrator coordinates sub-agents (localization, editing)"),
        and everything of it the loss check keeps."""
        if _whole(paragraph):
            return False
        if _norm(paragraph) in self.bare and "\n" not in paragraph:
            return _items(inventory(parse("merge.md", paragraph))) <= self.items
        sentences = _SENTENCE_END.split(_MARKER.sub("", paragraph.strip())) if "\n" not in paragraph else []
        if sentences and all(_norm(s) in self.sentences or self._near(_words(s)) or self._shortened(_words(s)) for s in sentences):
            return _items(inventory(parse("merge.md", paragraph))) <= self.items
        return self._near(_words(paragraph)) and _items(inventory(parse("merge.md", paragraph))) <= self.items

    def _shortened(self, words: list[str]) -> bool:
        """Whether a sentence of the merged text says these words and more, starting alike ("Benchmarks
        vulnerability of agent-generated code." beside "... code in real-world tasks."): the same
        sentence cut short, keeping at least half of it."""
        return len(words) >= SHORT_WORDS and any(set(words) <= held and len(words) * 2 >= len(held) for held in self.firsts.get(words[0], ()))

    def _near(self, words: list[str]) -> bool:
        """Whether the merged text holds these words (a paragraph, a line or a sentence) a word apart."""
        if len(words) < NEAR_WORDS:
            return False
        allowed = max(2, 2 * len(words) // NEAR_SHARE)  # one word replaced: two differ
        for held in [*self.ends.get(("<",) + tuple(words[:3]), ()), *self.ends.get((">",) + tuple(words[-3:]), ())]:
            if abs(len(held) - len(words)) <= allowed:
                same = sum(block.size for block in SequenceMatcher(None, held, words, autojunk=False).get_matching_blocks())
                if len(held) + len(words) - 2 * same <= allowed:
                    return True
        return False


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\u201c]?[A-Z0-9])")
_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])\s+")  # a list item's marker: its sentence is the same sentence
_ASIDE = re.compile(r"\s*\([^()]*\)")
SHORT_WORDS = 5  # a sentence cut shorter ("It is fast.") may well be another
NEAR_WORDS = 8  # a shorter paragraph ("See also the map.") may well differ by its one word
NEAR_SHARE = 20  # at most one word in twenty differs


def _words(text: str) -> list[str]:
    """Words and marks of punctuation, each one, as compared (`_norm`)."""
    return re.findall(r"\w+|[^\w\s]", _norm(text))


def _items(found: Inventory) -> set[object]:
    return {*found.links, *(("number", n) for n in found.numbers), *(("date", d) for d in found.dates)}


def _whole(paragraph: str) -> bool:
    """Code, a table, a quote or a callout: its words are not prose to say another way."""
    return "```" in paragraph or "~~~" in paragraph or bool(_WHOLE.match(paragraph))


MIN_REPEAT = 12  # a shorter line ("Example:", "- [ ]") may well be said twice


_DASHES = str.maketrans("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2018\u2019\u201c\u201d", "-------''\"\"")


def _norm(paragraph: str) -> str:
    """A paragraph as compared: spaces collapsed, case and dash or quote forms folded ("well‑known"
    with a non-breaking hyphen is "well-known")."""
    return " ".join(paragraph.translate(_DASHES).replace("--", "-").split()).casefold()  # ("--" is a typed dash)
