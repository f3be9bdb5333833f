"""Fact rules: one entity, one attribute, one value, wherever the wiki states it."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Iterable, Iterator, NamedTuple

from kbsleep.lint.records import EVERY_PAGE, Diagnostic, Focus, Location, Rule
from kbsleep.wiki import Wiki
from kbsleep.wiki.claims import ATTRIBUTE_WORDS, NUMBER, YEAR_KEYS, normalize_value
from kbsleep.wiki.fields import LABEL, trailing_subject
from kbsleep.wiki.page import Field, Page
from kbsleep.wiki.properties import timestamp_key
from kbsleep.wiki.resolve import fold
from kbsleep.wiki.wikilink import wikilinks
from kbsleep.obsidian import is_placeholder

# Frontmatter keys that describe the page, not the entity it is about.
META_KEYS = frozenset(
    "title aliases alias tags tag sources source updated created modified date summary description "
    "type status cssclasses cssclass kbsleep_ignore publish permalink".split()
)


# The only non-ASCII letters that `re.IGNORECASE` matches to ASCII ones (found by trying every
# code point), which `str.lower` does not turn into them.
_ASCII_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _folded(text: str) -> str:
    """`text` lowercased, twins made ASCII: it holds every word `claimed_number` finds in `text`."""
    if not text.isascii() and any(twin in text for twin in "\u0130\u0131\u017f\u212a"):
        text = text.translate(_ASCII_TWINS)
    return text.lower()


class Fact(NamedTuple):  # a NamedTuple like Page's records: one per structured field, built fast
    subject: str  # page path of the entity
    field: Field
    page: str  # where it is stated

    @property
    def normalized(self) -> str:
        return normalize_value(self.field.value)


def conflicting_facts(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """One entity, one attribute, two different values in structured places.

    What it does:
        Collects structured facts: frontmatter properties and Dataview inline fields
        (`key:: value` starting a line or list item, `[key:: value]`, `(key:: value)`), never
        `::` inside code, a link or a URL, nor a bold label (`**Born:** 1952`: prose, judged by
        `contradicting-claims`), nor a task's field (`- [ ] Email [[Ada]] [due:: 2024-05-01]`:
        the task's own, as Dataview reads it). A fact belongs to the page it is on, or to the
        page linked on the same line. A key a page gives itself in several inline fields with
        different values is a list, as Dataview reads it (`- [question:: Who?]` twice): its
        values are no contradiction, nor are other pages' values of that key for that page (a
        property and an inline field of its key on one page are still compared).
        Reports every value that differs from the entity page's own (or, without one, from the
        first stated) value.

    Why it matters:
        Structured facts are what models and Dataview queries trust most; two values for one
        fact means one of them is wrong, and answers will disagree depending on the page read.

    Example:
        `founded: 1987` on `Evra Coast Observatory.md` and
        `- [[Evra Coast Observatory]] founded:: 1989` on another page.

    Fix:
        Check the sources and correct the wrong value; `kbsleep consolidate --only
        contradictions` flags both places with a callout.
    """
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    unjudged = wiki.unjudged  # templates and Excluded files: neither state facts nor have them
    for fact in facts(wiki, _stating(wiki, focus)):
        if unjudged and (fact.page in unjudged or fact.subject in unjudged):
            continue
        groups[(fact.subject, fact.field.key)].append(fact)
    for (subject, key), stated in groups.items():
        if len(stated) < 2 or len({fact.field.value for fact in stated}) < 2:
            continue  # stated once, or always alike: nothing to compare, nothing to normalise
        if not focus.wants(*(fact.page for fact in stated)):
            continue  # every finding here would be on, and point at, pages out of focus
        values = [fact.normalized for fact in stated]
        if len(set(values)) < 2 or listed(stated, values):
            continue
        own = [i for i, f in enumerate(stated) if f.page == subject and f.field.kind == "frontmatter"]
        first = own[0] if own else 0
        reference, expected = stated[first], values[first]
        for fact, value in zip(stated, values):
            if agree(value, expected):
                continue
            page = wiki.pages[fact.page]
            where = f"{reference.page}:{reference.field.line}"
            message = f"`{key}` of {subject} is `{fact.field.value}` here but `{reference.field.value}` at {where}"
            related = (Location(reference.page, reference.field.line, 1, f"`{key}: {reference.field.value}`"),)
            yield rule.at(page, fact.field.line, 1, message, hint="correct the value that the sources do not support", related=related)


def contradicting_claims(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """Prose that gives an entity's attribute a number or year its structured fact contradicts.

    What it does:
        Finds sentences that name an entity (a link to it, its title or an alias), then an
        attribute word (born, founded, population, ...) tied to that name, then a number or
        year within a few words, and compares it with the entity page's frontmatter fact.
        A bold label (`**Born:** 1954`) is a claim about its page's entity, or about the
        entity a trailing `([[link]])` names, when its label names the attribute; a label the
        page repeats (`**Example:**` under each heading) is a list of cases and not judged.
        Precision over recall: a sentence naming two entities between name and number, or a
        number far from the attribute word, is not judged.

    Why it matters:
        Prose drifts when pages are rewritten from different sources; a model answering from
        the prose repeats the wrong number with confidence.

    Example:
        `born: 1952` on `people/Mara Ilves.md` and "[[Mara Ilves]], born in 1954, ..." on
        another page.

    Fix:
        Correct the prose (or the frontmatter, if the prose is the better-sourced claim).
    """
    known = numeric_facts(wiki)
    unjudged = wiki.unjudged  # templates and Excluded files: neither state facts nor make claims
    if unjudged:
        known = {path: stated for path, stated in known.items() if path not in unjudged}
    if not known:
        return
    names = Names(wiki, set(known))
    # Out of focus, a page matters only for its claims about an entity in focus (the finding
    # points at that entity's fact): if it links the entity, or its text holds the first word
    # of one of the entity's names (checked on ASCII text, where lowercasing is folding).
    near = [path for path in known if focus.wants(path)]
    near_words = {words[0] for path in near for name in names.of(path) if (words := Names.WORD.findall(fold(name)))}
    named = re.compile("|".join(map(re.escape, sorted(near_words))) or "(?!)", re.IGNORECASE)
    linking = wiki.backlinks.linking(near) if near else set()
    near_stated = {key for path in near for key in known[path]}
    # A finding needs `claimed_number` to find a word of an attribute the entity states: the
    # parser kept the few sentences with a number and an attribute word (`Page.claims`), and
    # each is tested for the words of the attributes that can still give a finding here. These
    # tests only skip text that cannot hold a finding; `claimed_number` decides.
    stated = {key for keys in known.values() for key in keys}
    words = tuple(word for key, key_words in ATTRIBUTE_WORDS.items() if key in stated for word in key_words)
    near_words_of_claims = tuple(word for key, key_words in ATTRIBUTE_WORDS.items() if key in near_stated for word in key_words)
    # With no entity in focus, only the pages in focus can hold a claim that gives a finding.
    for path, page in wiki.pages.items() if near else focus.pages(wiki):
        claims = page.claims
        if not claims or path in unjudged:
            continue  # most pages (tested first: this loop may see every page)
        in_focus = focus.wants(path)
        here = words if in_focus else near_words_of_claims
        if not here:
            continue
        unnamed = not in_focus and path not in linking
        for line, sentence in claims:
            if unnamed and sentence.isascii() and not named.search(sentence):
                continue  # names no entity in focus
            folded = _folded(sentence)
            if not any(word in folded for word in here):
                continue  # no word of an attribute this sentence could contradict
            yield from _judge_sentence(wiki, rule, page, line, sentence, known, names, EVERY_PAGE if in_focus else focus)


def _stating(wiki: Wiki, focus: Focus) -> list[str] | None:
    """The pages that may state a fact about an entity a page in focus states one about (None:
    all): a fact about a page is on that page or on one that links to it."""
    if focus.paths is None:
        return None
    subjects = {fact.subject for fact in facts(wiki, [path for path, _ in focus.pages(wiki)])}
    found = set(subjects) | {path for path, _ in focus.pages(wiki)}
    found.update(wiki.backlinks.linking(subjects))
    return [path for path in wiki.pages if path in found]  # the wiki's order: which value comes first


def facts(wiki: Wiki, paths: Iterable[str] | None = None) -> Iterator[Fact]:
    """Every structured fact in the wiki (or on `paths`) with the entity page it is about."""
    for path in wiki.pages if paths is None else paths:
        page = wiki.pages[path]
        opens = None  # link target as written -> (page it opens, is it an attachment), for fields naming one
        generated = page.generated_lines
        for field in page.fields:
            if field.kind == "label" or field.task or field.key in META_KEYS or timestamp_key(field.key) or not field.value.strip() or field.line in generated:
                continue
            subject = path
            if field.subjects:
                if opens is None:  # from the links' outcomes: no link records needed
                    outcomes = zip(page.links, wiki.outlinks.outcomes(path))
                    opens = {link.target: (target, attachment) for link, (status, target, _, attachment) in outcomes if status in ("resolved", "shadowed")}
                target, attachment = opens.get(field.subjects[0], (None, False))
                if target is None or attachment:
                    continue  # names something that is not a page: not a fact we can place
                subject = target
            yield Fact(subject, field, path)


def listed(stated: list[Fact], values: list[str]) -> bool:
    """Does the entity's own page give the key in inline fields with values that differ
    (`values`: the facts' normalised)? Then the key is a list, and is not judged.

    Dataview reads a key given twice or more on one page as a list of the values (its docs,
    "Field Types": "Duplicated metadata keys in the same file lead to lists"). A list-valued
    attribute may hold more values than any one page names, so other pages' values of it are
    members, not rivals. Two choices of ours: a scalar property is one value, though Dataview
    would add an inline field of its key to it (YAML has a list syntax, and Obsidian's
    Properties show that one value: `founded: 1312` above `founded:: 1309` still conflict);
    and facts about a linked entity (`- [[Ada]] born:: 1815`, our convention, which Dataview
    reads as the page's own field) are claims each, which conflict on one page too.
    """
    first = None
    for fact, value in zip(stated, values):
        if fact.page == fact.subject and fact.field.kind == "inline":
            if first is None:
                first = value
            elif not agree(value, first):
                return True
    return False


def agree(a: str, b: str) -> bool:
    """Do two normalised values state the same fact? Lenient on purpose: precision over recall.

    Numbers agree when their leading numbers are equal ("64 (2025)" and "64"); text agrees when
    the words of one are all in the other ("director" and "director, evra coast observatory").
    """
    if a == b:
        return True
    first_a, first_b = NUMBER.match(a), NUMBER.match(b)
    if first_a and first_b:
        return float(first_a.group(1).replace(",", "")) == float(first_b.group(1).replace(",", ""))
    words_a, words_b = set(re.findall(r"\w+", a)), set(re.findall(r"\w+", b))
    return words_a <= words_b or words_b <= words_a


def numeric_facts(wiki: Wiki) -> dict[str, dict[str, tuple[float, Field]]]:
    """Entity page -> attribute key -> (number, field), from that page's own frontmatter."""
    return {
        path: {key: (number, Field(key, value, line, "frontmatter")) for key, number, value, line in page.numbers}
        for path, page in wiki.pages.items()
        if page.numbers
    }  # fmt: skip


class Names:
    """Entity names (titles, file names, aliases) found in text by token n-grams, longest first.

    One dictionary lookup per word and length instead of one regex per name: a 10k-page wiki
    has tens of thousands of names. The table is kept with the resolver's (see `Resolver.kept`)
    while the names and the entities are the same: a pre-commit run reads it back.
    """

    WORD = re.compile(r"\w+")
    LAYOUT = "claim-names-2"  # the kept table's file: a new number whenever `_table` changes

    def __init__(self, wiki: Wiki, paths: set[str]) -> None:
        order = sorted(paths)
        entities = hashlib.sha1("\0".join(order).encode("utf-8", "surrogateescape")).hexdigest()
        self.table, self.longest, self.starts = wiki.resolver.kept(self.LAYOUT, lambda: self._table(wiki, order), also=entities)
        self.wiki = wiki

    @classmethod
    def _table(cls, wiki: Wiki, paths: list[str]) -> tuple[dict[str, str], int, frozenset[str]]:
        table: dict[str, str] = {}
        longest = 1
        for path in paths:
            page = wiki.pages[path]
            for name in (page.title, page.stem, *page.aliases):
                words = cls.WORD.findall(fold(name))
                if words and len(name) >= 3 and not is_placeholder(name):  # `{{title}}` names nothing
                    table.setdefault(" ".join(words), path)
                    longest = max(longest, len(words))
        return table, longest, frozenset(name.split(" ", 1)[0] for name in table)

    def of(self, path: str) -> tuple[str, ...]:
        """The names an entity is found by in text (longer than two characters)."""
        page = self.wiki.pages[path]
        return tuple(name for name in (page.title, page.stem, *page.aliases) if len(name) >= 3 and self.WORD.search(name) and not is_placeholder(name))

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        tokens = list(self.WORD.finditer(text))
        folded = [fold(t.group()) for t in tokens]
        index = 0
        while index < len(tokens):
            if folded[index] not in self.starts:  # one set lookup skips most words
                index += 1
                continue
            for size in range(min(self.longest, len(tokens) - index), 0, -1):
                path = self.table.get(" ".join(folded[index : index + size]))
                if path is not None:
                    yield tokens[index].start(), tokens[index + size - 1].end(), path
                    index += size
                    break
            else:
                index += 1


def _judge_sentence(wiki: Wiki, rule: Rule, page: Page, line: int, sentence: str, known: dict, names: Names, about: Focus) -> Iterator[Diagnostic]:
    """The claims of a sentence that contradict a fact of an entity in `about` (the finding's
    related location): only those findings are reported."""
    label = LABEL.fullmatch(sentence) if "\n" not in sentence and "**" in sentence else None
    if label is not None:
        yield from _judge_label(wiki, rule, page, line, label, known, about)
        return
    found = sorted(mentions(wiki, page, sentence, names))
    for index, (start, end, entity) in enumerate(found):
        if not about.wants(entity):
            continue
        following = found[index + 1][0] if index + 1 < len(found) else len(sentence)
        window = sentence[end:following]
        for key, (value, field) in known.get(entity, {}).items():
            claimed = claimed_number(window, key)
            if claimed is None or claimed == value:
                continue
            if key in YEAR_KEYS and not (1000 <= claimed <= 2999):
                continue
            shown = f"{claimed:g}"
            offset = line + sentence[:start].count("\n")
            column = _column(page, offset, sentence[start:end])
            message = f"says {entity.rsplit('/', 1)[-1][:-3]} {key.replace('_', ' ')} {shown}, but {entity} has `{field.key}: {field.value}`"
            related = (Location(entity, field.line, 1, f"`{field.key}: {field.value}`"),)
            yield rule.at(page, offset, column, message, hint="correct the number, or the fact if this claim is the better-sourced one", related=related)


def _judge_label(wiki: Wiki, rule: Rule, page: Page, line: int, label: re.Match[str], known: dict, about: Focus) -> Iterator[Diagnostic]:
    """A bold label's claim (see `claim_sentences` for which labels are kept): the number its
    value gives the attribute its label names, about its page or the trailing link's entity."""
    named = trailing_subject(label.group(2))
    entity = _resolve(wiki, page, named) if named is not None else page.path
    if entity is None or not about.wants(entity):
        return
    words = label.group(1).casefold()
    for key, (value, field) in known.get(entity, {}).items():
        if not any(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", words) for word in ATTRIBUTE_WORDS[key]):
            continue  # `**Director:** born 1950`: the label names another attribute
        claimed = claimed_number(f"{label.group(1)}: {label.group(2)}", key)
        if claimed is None or claimed == value or (key in YEAR_KEYS and not 1000 <= claimed <= 2999):
            continue
        message = f"says {entity.rsplit('/', 1)[-1][:-3]} {key.replace('_', ' ')} {claimed:g}, but {entity} has `{field.key}: {field.value}`"
        related = (Location(entity, field.line, 1, f"`{field.key}: {field.value}`"),)
        column = _column(page, line, f"**{label.group(1)}")
        yield rule.at(page, line, column, message, hint="correct the number, or the fact if this claim is the better-sourced one", related=related)


def mentions(wiki: Wiki, page: Page, sentence: str, names: Names) -> Iterator[tuple[int, int, str]]:
    taken: list[tuple[int, int]] = []
    for link in wikilinks(sentence):
        if not link.target:
            continue  # `[[#Heading]]`: this page
        start = link.start + link.embed  # (an embed's `!` is the text before its mention)
        item = _resolve(wiki, page, link.target)
        taken.append((start, link.end))
        if item is not None:
            yield start, link.end, item
    for start, end, path in names.find(sentence):
        if not any(a <= start < b for a, b in taken):
            yield start, end, path


def _resolve(wiki: Wiki, page: Page, target: str) -> str | None:
    for link, (_, found, _, attachment) in zip(page.links, wiki.outlinks.outcomes(page.path)):  # no records
        if found is not None and not attachment and fold(link.target) == fold(target):
            return found
    return None


def claimed_number(window: str, key: str) -> float | None:
    """The number stated for `key` right after one of its attribute words, if any."""
    for word in ATTRIBUTE_WORDS[key]:
        match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", window, re.IGNORECASE)
        if not match:
            continue
        after = window[match.end() : match.end() + 30]
        number = NUMBER.search(after)
        if number and len(after[: number.start()].split()) <= 3:
            return float(number.group(1).replace(",", ""))
        before = window[max(0, match.start() - 25) : match.start()]
        numbers = NUMBER.findall(before)
        if numbers and key in ("population", "length_m", "depth_m"):
            return float(numbers[-1].replace(",", ""))
    return None


def _column(page: Page, line: int, text: str) -> int:
    index = page.line_text(line).find(text)
    return index + 1 if index >= 0 else 1
