"""The offline question generator: likely questions about a page, answered by its own sentences.

Deterministic extraction, no model. From the page (the first passage) and the pages it links
to (the other passages), in this order of priority:

1. questions readers asked before (queued by `ask`), answered by the best-matching sentences;
2. the definition sentence: "Cobalt is the data pipeline of ..." -> "What is Cobalt?";
3. facts (frontmatter, `**Key:** value`, `key:: value`) through a table of question templates:
   `population: 41,000` -> "How many people live in Port Evra?"; a fact naming another page is
   answered from both pages ("Who maintains Cobalt?" -> the fact, then who that person is);
4. links to other pages: "How is Cobalt connected to Data Provenance?", from the sentence that
   mentions the link and the linked page's own definition (the intermediate fact);
5. section headings through a second table: `## Licensing` -> "What licence does Cobalt use?",
   answered by the section's first sentences, its list or its table;
6. other definition sentences in the page: "The Old Quay is the original ..." -> "What is the Old Quay?"

Every answer is the supporting text followed by its citation, `[[Page#Section]]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from kbsleep.answers import QA
from kbsleep.config import AskConfig
from kbsleep.llm.model import Passage
from kbsleep.search.sentences import LIST_ITEM, split_sentences
from kbsleep.wiki.page import Page
from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.wikilink import sole_wikilink

# Fact key -> (question, answer); {t} is the page title, {v} the value. Keys are normalised
# (casefolded, spaces and dashes as underscores), as `Field.key` is.
FACT_TEMPLATES: dict[str, tuple[str, str]] = {
    "population": ("How many people live in {t}?", "{t} has a population of {v}."),
    "inhabitants": ("How many people live in {t}?", "{t} has {v} inhabitants."),
    "born": ("When was {t} born?", "{t} was born in {v}."),
    "died": ("When did {t} die?", "{t} died in {v}."),
    "role": ("What does {t} do?", "{t}: {v}."),
    "occupation": ("What does {t} do?", "{t}: {v}."),
    "job": ("What does {t} do?", "{t}: {v}."),
    "joined": ("When did {t} join?", "{t} joined in {v}."),
    "team": ("Which team is {t} in?", "{t} is in the {v} team."),
    "employer": ("Where does {t} work?", "{t} works at {v}."),
    "affiliation": ("Where does {t} work?", "{t} works at {v}."),
    "maintainer": ("Who maintains {t}?", "{t} is maintained by {v}."),
    "maintainers": ("Who maintains {t}?", "{t} is maintained by {v}."),
    "maintains": ("What does {t} maintain?", "{t} maintains {v}."),
    "author": ("Who wrote {t}?", "{t} was written by {v}."),
    "authors": ("Who wrote {t}?", "{t} was written by {v}."),
    "owner": ("Who owns {t}?", "{t} is owned by {v}."),
    "operator": ("Who operates {t}?", "{t} is operated by {v}."),
    "lead": ("Who leads {t}?", "{t} is led by {v}."),
    "leader": ("Who leads {t}?", "{t} is led by {v}."),
    "director": ("Who runs {t}?", "{t} is run by {v}."),
    "chair": ("Who chairs {t}?", "{t} is chaired by {v}."),
    "funder": ("Who funds {t}?", "{t} is funded by {v}."),
    "funded_by": ("Who funds {t}?", "{t} is funded by {v}."),
    "founded": ("When was {t} founded?", "{t} was founded in {v}."),
    "established": ("When was {t} established?", "{t} was established in {v}."),
    "started": ("When did {t} start?", "{t} started in {v}."),
    "start": ("When did {t} start?", "{t} started on {v}."),
    "end": ("When did {t} end?", "{t} ended on {v}."),
    "first_release": ("When was {t} first released?", "{t} was first released in {v}."),
    "current_version": ("What is the latest version of {t}?", "The current version of {t} is {v}."),
    "version": ("What is the latest version of {t}?", "The current version of {t} is {v}."),
    "language": ("What language is {t} written in?", "{t} is written in {v}."),
    "license": ("What licence does {t} use?", "{t} is released under {v}."),
    "licence": ("What licence does {t} use?", "{t} is released under {v}."),
    "region": ("Where is {t}?", "{t} is in {v}."),
    "location": ("Where is {t}?", "{t} is in {v}."),
    "country": ("Which country is {t} in?", "{t} is in {v}."),
    "coordinates": ("What are the coordinates of {t}?", "{t} lies at {v}."),
    "depth": ("How deep is {t}?", "{t} is {v} deep."),
    "length": ("How long is {t}?", "{t} is {v} long."),
    "area": ("How big is {t}?", "{t} covers {v}."),
    "budget": ("How much does {t} cost?", "The budget of {t} is {v}."),
    "status": ("What is the status of {t}?", "{t} is {v}."),
    "vessel": ("Which ship did {t} use?", "{t} used {v}."),
    "crew": ("How big is the crew of {t}?", "{t} has a crew of {v}."),
    "built": ("When was {t} built?", "{t} was built in {v}."),
    "published": ("When was {t} published?", "{t} was published on {v}."),
    "pages": ("How long is {t}?", "{t} runs to {v} pages."),
    "employees": ("How many people work at {t}?", "{t} has {v} employees."),
    "staff": ("How many people work at {t}?", "{t} has a staff of {v}."),
    "capacity": ("What is the capacity of {t}?", "The capacity of {t} is {v}."),
    "website": ("Where can I find {t} online?", "{t} is online at {v}."),
    "url": ("Where can I find {t} online?", "{t} is online at {v}."),
}
# Keys that describe the page rather than its subject: no reader asks about them.
META_KEYS = frozenset(
    "title aliases alias tags tag sources source summary updated created modified date id type "
    "source_type document_type cssclass cssclasses publish draft permalink layout kind category categories "
    "description".split()
)
# Heading (casefolded) -> question; headings that hold no answer map to "".
HEADING_TEMPLATES: dict[str, str] = {
    "licensing": "What licence does {t} use?",
    "license": "What licence does {t} use?",
    "licence": "What licence does {t} use?",
    "history": "What is the history of {t}?",
    "background": "What is {t}'s background?",
    "motivation": "Why was {t} created?",
    "purpose": "What is {t} for?",
    "how it works": "How does {t} work?",
    "design": "How is {t} designed?",
    "architecture": "How is {t} built?",
    "usage": "How is {t} used?",
    "users": "Who uses {t}?",
    "roadmap": "What is planned for {t}?",
    "future work": "What is planned for {t}?",
    "maintainers": "Who maintains {t}?",
    "team": "Who works on {t}?",
    "people": "Who works on {t}?",
    "members": "Who are the members of {t}?",
    "funding": "Who funds {t}?",
    "geography": "What is the geography of {t} like?",
    "location": "Where is {t}?",
    "economy": "What is {t}'s economy based on?",
    "results": "What did {t} find?",
    "findings": "What did {t} find?",
    "methods": "How was {t} carried out?",
    "method": "How was {t} carried out?",
    "timeline": "What happened during {t}?",
    "career": "What has {t} worked on?",
    "education": "Where did {t} study?",
    "publications": "What has {t} published?",
    "equipment": "What equipment does {t} use?",
    "instruments": "What instruments does {t} use?",
    "governance": "Who governs {t}?",
    "structure": "How is {t} organised?",
    "aims": "What are the aims of {t}?",
    "goals": "What are the aims of {t}?",
    "objectives": "What are the aims of {t}?",
    "scope": "What does {t} cover?",
    "key findings": "What did {t} find?",
    "narrative": "What happened during {t}?",
    "capabilities": "What can {t} do?",
    "open questions": "What is still unknown about {t}?",
    "notes": "",
    "to do": "",
    "todo": "",
    "see also": "",
    "references": "",
    "sources": "",
    "links": "",
    "related": "",
    "related pages": "",
    "further reading": "",
    "anticipated questions": "",
}
PERSON_TAGS = frozenset({"person", "people", "researcher", "staff"})
_COPULA = re.compile(r"^(?P<subject>.{2,80}?)\s+(?P<verb>is|are|was|were)\s+(?P<rest>(?:a|an|the|one)\s.+)$")
_WH = frozenset("how why where when what who which".split())
# Verbs a how-to heading starts with ("Recover a snapshot"): such a section answers "How do I ...?".
_IMPERATIVES = frozenset(
    "add apply archive back build change choose clear configure connect convert copy create customize customise "
    "delete disable download edit embed enable export find fix import insert install link manage merge move open "
    "pin publish recover remove rename reorder replace reset restore run search select set share show sort start "
    "switch sync turn undo uninstall update upgrade upload use view".split()
)
# A value that is a sentence of its own ("This feature is unavailable on ...") is prose, not a fact.
_SENTENCE_VALUE = re.compile(r"^\S+(\s+\S+){5,}[.!?]$")
# A callout's marker (`[!tip]`, `[!danger]-`) says how Obsidian draws the text, not what it says.
_CALLOUT_MARK = re.compile(r"\[![\w-]+\][+-]?\s*")
_PRONOUNS = frozenset("it he she they this that these those there here we i you".split())
_UNIT = re.compile(r"_(m|km|cm|mm|kg|t|ft|nm|s|h|min|m2|km2)$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ASKED = "Questions readers asked that this page should answer:"


@dataclass(frozen=True)
class Unit:
    """The text one citation covers: a section's own lines, up to the next heading."""

    cite: str  # "Cobalt#Licensing", or "Cobalt" for the top of the page
    heading: str  # "" for the top of the page
    sentences: tuple[str, ...]
    items: tuple[str, ...]  # list items, plain
    rows: tuple[tuple[str, ...], ...]  # table rows, the header first, plain


@dataclass(frozen=True)
class Doc:
    name: str  # the citation name: the file name, or the path when the name is ambiguous
    page: Page
    title: str
    person: bool
    units: tuple[Unit, ...]
    source: bool = False  # a page about a document (a report, an interview): asked what it says

    @property
    def plain(self) -> str:
        """All the page's running sentences (not its list items), as plain text."""
        return " ".join(s for u in self.units for s in u.sentences)

    @property
    def definition(self) -> tuple[str, str] | None:
        """(sentence, citation) that defines the page's subject, if its first sentence does."""
        for unit in self.units:
            if unit.sentences:
                first = unit.sentences[0]
                match = _COPULA.match(first)
                if match and _names(self, match.group("subject")):
                    return first, unit.cite
                return None
        return None


def asked_section(questions: Sequence[str]) -> str:
    """The part of a prompt that lists queued questions (the offline engine reads it back)."""
    if not questions:
        return ""
    return _ASKED + "\n" + "\n".join(f"- {q}" for q in questions) + "\n"


def asked_questions(prompt: str) -> list[str]:
    _, found, rest = prompt.partition(_ASKED)
    if not found:
        return []
    lines = []
    for line in rest.splitlines()[1:]:
        if not line.startswith("- "):
            break
        lines.append(line[2:].strip())
    return [q for q in lines if q]


def generate(passages: Sequence[Passage], asked: Sequence[str] = ()) -> list[QA]:
    """Candidate Q&A for the first passage's page, best first, without duplicates."""
    if not passages:
        return []
    docs = [read(p) for p in passages]
    target, linked = docs[0], docs[1:]
    found: list[QA] = [*_asked(docs, asked)]
    definition = _definition_qa(target)
    if definition:
        found.append(definition)
    rated = list(_facts(target, linked))
    facts = [qa for qa, _ in rated]
    bare = {qa for qa, weak in rated if weak}
    named = {d.name for d in linked if any(_linked_doc(f.value, [d]) for f in target.page.fields)}
    crossings = list(_crossings(target, [d for d in linked if d.name not in named]))
    found += facts[:3] + crossings[:2] + list(_headings(target, linked)) + facts[3:] + list(_definitions(target)) + crossings[2:]
    return _distinct(found, bare)


def read(passage: Passage) -> Doc:
    """A passage parsed as the page it is (with the project's parser) into citable units."""
    return _read(passage.source, passage.text)


@lru_cache(maxsize=4096)  # a page linked from many pages is parsed once per run, not once per link
def _read(source: str, text: str) -> Doc:
    passage = Passage(source, text)
    page = parse_page(passage.source + ".md", passage.text.encode("utf-8"))
    # Fact lines (`**Key:** value`, `key:: value`) are asked about as facts, not quoted as prose.
    skip = {f.line for f in page.fields if f.kind != "frontmatter" and any(m in page.line_text(f.line) for m in (":**", "::"))}
    starts = [h.line for h in page.headings] + [len(page.lines) + 1]
    units = []
    top = Unit(passage.source, "", (), (), ())
    spans = [(None, page.frontmatter_end + 1, starts[0])] + [(h, h.line + 1, starts[i + 1]) for i, h in enumerate(page.headings)]
    for heading, first, stop in spans:
        blocks = [b for b in page.blocks if first <= b.line < stop and b.line not in skip]
        sentences, items, rows = _unit_text(page, blocks)
        if heading is None or heading.level == 1 or not _citable(heading.text):
            top = Unit(top.cite, "", top.sentences + sentences, top.items + items, top.rows + rows)
            continue
        units.append(Unit(f"{passage.source}#{heading.text}", heading.text, sentences, items, rows))
    tags = {t.casefold() for t in page.tags}
    person = bool(tags & PERSON_TAGS) or page.folder.casefold() in PERSON_TAGS
    source = "source" in tags or page.folder.casefold() == "sources"
    return Doc(passage.source, page, page.title, person, (top, *units), source)


def _unit_text(page: Page, blocks: list) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    sentences: list[str] = []
    items: list[str] = []
    rows: dict[int, list[str]] = {}
    for block in blocks:
        raw = page.line_text(block.line).lstrip()
        plain = " ".join(split_sentences(block.text))
        if raw.startswith("!["):
            continue  # an embedded image or note: no sentence to quote
        if raw.startswith("|"):
            rows.setdefault(block.line, []).append(plain)
        elif LIST_ITEM.match(raw):
            items.append(plain.rstrip(".;"))
        else:
            sentences.extend(split_sentences(block.text))
    return tuple(sentences), tuple(items), tuple(tuple(r) for _, r in sorted(rows.items()))


def _citable(heading: str) -> bool:
    return bool(heading.strip()) and not any(c in heading for c in "[]|#^")


def _names(doc: Doc, subject: str) -> bool:
    """Whether `subject` names the page's subject ("Devendra "Dev" Arunachalam" for Devendra Arunachalam)."""
    words = {w for w in re.findall(r"\w+", subject.casefold())}
    for name in (doc.title, *doc.page.aliases, doc.page.stem):
        wanted = set(re.findall(r"\w+", name.casefold()))
        if wanted and wanted <= words | {"the"}:
            return True
    return False


def _who(doc: Doc) -> str:
    return "Who" if doc.person else "What"


def _be(doc: Doc) -> str:
    """"are" for a plural subject ("Internal Waves", "Sediment Plumes"), else "is"."""
    words = doc.title.split()
    plural = not doc.person and len(words) > 1 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is"))
    return "are" if plural else "is"


def _definition_qa(doc: Doc) -> QA | None:
    found = doc.definition
    if found is not None:
        sentence, cite = found
        return _qa(f"{_who(doc)} {_be(doc)} {doc.title}?", [(sentence, cite)])
    summary = str(doc.page.frontmatter.get("summary") or "").strip()
    if summary:
        return _qa(f"{_who(doc)} {_be(doc)} {doc.title}?", [(f"{doc.title}: {summary.rstrip('.')}.", doc.name)])
    return None


def _facts(doc: Doc, linked: Sequence[Doc]) -> Iterable[tuple[QA, bool]]:
    """Q&A from facts, each with whether it is bare (no sentence of the page states it)."""
    seen: set[str] = set()
    for field in doc.page.fields:
        key = field.key
        if key in META_KEYS or key in seen or _names(doc, key.replace("_", " ")) or not field.value.strip() or _SENTENCE_VALUE.match(field.value.strip()):
            continue
        seen.add(key)
        other = _linked_doc(field.value, linked)
        value = other.title if other else " ".join(split_sentences(field.value)) or field.value.strip()
        unit = _UNIT.search(key)
        if unit:
            key, value = key[: unit.start()], f"{value} {unit.group(1)}"
        words = " ".join(key.replace("_", " ").split())
        if not words:
            continue  # a key with no words (`**:** x`, `_: x`) names nothing to ask about
        question, answer = FACT_TEMPLATES.get(key) or _fact_template(words, value)
        if key not in FACT_TEMPLATES and other is not None and other.person:
            question = f"Who is the {words} of {{t}}?"
        question = question.format(t=doc.title, v=value)
        support = _supporting(doc, [value, *(other.page.aliases + (other.page.stem,) if other else ())])
        parts = [support] if support else [(answer.format(t=doc.title, v=value.rstrip(".")), _cite_line(doc, field.line))]
        if other is not None and other.definition is not None:
            parts.append(other.definition)
        yield _qa(question, parts), support is None and other is None


def _fact_template(words: str, value: str) -> tuple[str, str]:
    """A question for a fact no template knows: "license decided: 2023-11-14" -> "When was {t}'s license decided?"."""
    *thing, last = words.split()
    if not thing and last.endswith("ed") and _DATE.match(value):
        on = "on" if len(value) == 10 else "in"
        return f"When was {{t}} {last}?", f"{{t}} was {last} {on} {{v}}."
    if thing and last.endswith("ed") and _DATE.match(value):
        return f"When was {{t}}'s {' '.join(thing)} {last}?", f"{{t}}'s {' '.join(thing)} was {last} on {{v}}."
    plural = words.endswith("s") and not words.endswith(("ss", "us", "is"))
    if plural and re.fullmatch(r"[\d,.]+", value):
        return f"How many {words} does {{t}} have?", f"{{t}} has {{v}} {words}."
    verb = "are" if plural else "is"
    return f"What {verb} the {words} of {{t}}?", f"The {words} of {{t}} {verb} {{v}}."


def _linked_doc(value: str, linked: Sequence[Doc]) -> Doc | None:
    link = sole_wikilink(value)
    if link is None or link.embed or not link.target:
        return None
    target = link.target.casefold().removesuffix(".md")
    for doc in linked:
        if target in (doc.name.casefold(), doc.page.stem.casefold()) or target.rsplit("/", 1)[-1] == doc.page.stem.casefold():
            return doc
    return None


def _supporting(doc: Doc, values: Sequence[str]) -> tuple[str, str] | None:
    """The first sentence of the page that states one of `values` (the fact or the page it names)."""
    wanted = [w for w in (v.split(" (")[0].strip() for v in values) if len(w) > 2]
    for unit in doc.units:
        for sentence in unit.sentences:
            if not sentence.endswith(":") and any(_mentions(sentence, w) for w in wanted):
                return _unpronoun(doc, sentence), unit.cite
    return None


def _mentions(sentence: str, name: str) -> bool:
    """`name` as whole words, not the start of a longer name ("Evra" is not in "Evra Coast")."""
    return name.casefold() in sentence.casefold() and _name_pattern(name).search(sentence) is not None


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)(?!\s+(?-i:[A-Z]))", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _capitalised_pattern(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<=[a-z,;] ){re.escape(word)}(?!\w)")


def _unpronoun(doc: Doc, sentence: str) -> str:
    """A sentence quoted alone names its subject: "It is maintained by ..." -> "Cobalt is maintained by ..."."""
    first, _, rest = sentence.partition(" ")
    if first in ("It", "He", "She") and rest:
        return f"{doc.title} {rest}"
    return sentence


def _cite_line(doc: Doc, line: int) -> str:
    """The unit holding `line`; frontmatter facts cite the page."""
    if line <= doc.page.frontmatter_end:
        return doc.name
    section = doc.page.section_at(line)
    heading = section.heading if section else None
    if heading is None or heading.level == 1 or not _citable(heading.text):
        return doc.name
    return f"{doc.name}#{heading.text}"


def _crossings(doc: Doc, linked: Sequence[Doc]) -> Iterable[QA]:
    """For each linked page: the sentence here that mentions it, then what it is."""
    for other in linked:
        if other.definition is None:
            continue
        mention = _mention(doc, other)
        if mention is None or other.title.casefold() == doc.title.casefold():
            continue
        yield _qa(f"How {_be(doc)} {doc.title} connected to {other.title}?", [mention, other.definition])


def _mention(doc: Doc, other: Doc) -> tuple[str, str] | None:
    names = [n for n in (other.title, *other.page.aliases, other.page.stem) if len(n) > 2]
    for unit in doc.units:
        for sentence in unit.sentences:
            folded = sentence.casefold()
            if sentence.endswith(":") or folded.startswith(tuple(n.casefold() for n in names)):
                continue
            if any(_mentions(sentence, n) for n in names):
                return _unpronoun(doc, sentence), unit.cite
    return None


def _headings(doc: Doc, linked: Sequence[Doc] = ()) -> Iterable[QA]:
    for unit in doc.units[1:]:
        other = next((d for d in linked if unit.heading.casefold() in {n.casefold() for n in (d.title, d.page.stem, *d.page.aliases)}), None)
        if other is not None:
            question = f"What is {_possessive(doc.title)} role in {other.title}?" if doc.person else f"How does {doc.title} relate to {other.title}?"
        else:
            question = _heading_question(doc, unit)
        if not question:
            continue
        answer = _section_answer(unit, doc.plain)
        if answer:
            yield _qa(question, [(answer, unit.cite)])


def _heading_question(doc: Doc, unit: Unit) -> str:
    heading = " ".join(unit.heading.split())
    template = HEADING_TEMPLATES.get(heading.casefold().rstrip("?:"))
    if template is not None:
        return template.format(t=doc.title) if template else ""
    if heading.endswith("?"):
        return heading
    clause = _clause_question(doc, heading)
    if clause:
        return clause
    first, *rest = heading.split()
    if first.casefold() in _IMPERATIVES and rest:  # "Recover a snapshot"
        return f"How do I {first.casefold()} {_lower_first(' '.join(rest), doc.plain)} in {doc.title}?"
    if heading.split()[0].casefold() in _WH:  # "Why the Observatory cares"
        about = "" if _names(doc, heading) else f" about {doc.title}"
        return f"{heading}{about}?"
    if unit.sentences:
        match = _COPULA.match(unit.sentences[0])
        if match and set(re.findall(r"\w+", heading.casefold())) <= set(re.findall(r"\w+", match.group("subject").casefold())):
            return f"What {'are' if match.group('verb') in ('are', 'were') else 'is'} {_lower_first(match.group('subject'))}?"
    topic = re.sub(r"^(the|a|an)\s+", "", heading, flags=re.IGNORECASE)
    if doc.source:
        return f"What does {doc.title} say about {_lower_first(heading, doc.plain)}?"
    if "'s " in topic:  # "Reinholt's model" names its owner already
        return f"What is {topic}?"
    like = " like" if topic != heading else ""
    topic = _lower_first(topic, doc.plain)
    plural = " and " in topic or any(w.endswith("s") and not w.endswith(("ss", "is", "us")) for w in topic.split()[:2])
    return f"What {'are' if plural else 'is'} {_possessive(doc.title)} {topic}{like}?"


def _clause_question(doc: Doc, heading: str) -> str:
    """"Where they occur here" -> "Where do Internal Waves occur here?"; "" for other headings."""
    words = heading.split()
    if len(words) < 3 or words[0].casefold() not in _WH or words[1].casefold() not in ("they", "it"):
        return ""
    wh, pronoun, verb, rest = words[0].capitalize(), words[1].casefold(), words[2], " ".join(words[3:])
    if verb in ("is", "are", "was", "were"):
        text = f"{wh} {verb} {doc.title} {rest}"
    elif pronoun == "it" and verb.endswith("s"):
        text = f"{wh} does {doc.title} {verb[:-1]} {rest}"
    else:
        text = f"{wh} do {doc.title} {verb} {rest}"
    return " ".join(text.split()) + "?"


def _section_answer(unit: Unit, context: str) -> str:
    """The section's first sentences, its list or its table, as one short paragraph."""
    lead = list(unit.sentences[:2])
    if unit.items:
        items = "; ".join(_lower_first(i, context) for i in unit.items[:6])
        colon = next((i for i, s in enumerate(unit.sentences[:3]) if s.endswith(":")), None)
        if colon is not None:
            return " ".join([*unit.sentences[:colon], _end(f"{unit.sentences[colon]} {items}")])
        items = items[:1].upper() + items[1:]
        return " ".join(unit.sentences[:1] + (_end(items),))
    if unit.rows and len(unit.rows) > 1:
        header, body = unit.rows[0], unit.rows[1:7]
        rendered = []
        for row in body:
            rest = ", ".join(f"{_lower_first(h)} {c}" for h, c in zip(header[1:], row[1:]) if c)
            if len(header) == 2 and len(row) == 2:
                rendered.append(f"{row[0]}: {row[1]}")
            else:
                rendered.append(f"{row[0]} ({rest})" if rest else row[0])
        return " ".join(lead + ["; ".join(rendered) + "."])
    if lead and lead[-1].endswith(":"):
        return " ".join(unit.sentences[:3])
    return " ".join(lead)


def _definitions(doc: Doc) -> Iterable[QA]:
    """"X is a Y" sentences about something other than the page's subject."""
    for unit in doc.units:
        for sentence in unit.sentences:
            match = _COPULA.match(sentence)
            if match is None:
                continue
            subject = match.group("subject")
            words = subject.split()
            if match.group("verb") not in ("is", "are") or len(words) > 5 or not words[0][:1].isupper():
                continue
            if any(w.casefold().strip(",") in _PRONOUNS | {"its", "his", "her", "their"} for w in words) or _names(doc, subject):
                continue
            verb = match.group("verb")
            yield _qa(f"What {verb} {_lower_first(subject)}?", [(sentence, unit.cite)])


def _asked(docs: Sequence[Doc], asked: Sequence[str]) -> Iterable[QA]:
    """Queued questions that the page (or a page it links to) answers, as `ask` would answer them
    offline (`kbsleep.search`): a question nothing here answers is left out, and stays queued."""
    from kbsleep.search import abstain, extract
    from kbsleep.search.question import analyse

    passages = [Passage(u.cite, "\n".join([*u.sentences, *(f"- {i}" for i in u.items)])) for d in docs for u in d.units if u.sentences or u.items]
    for question in asked:
        wanted = analyse(question)
        idf = extract.idf_from(passages, wanted.terms)
        found = extract.pick(wanted, passages, idf)
        if found is None or not abstain.decide(wanted, found, {}, idf, len(passages), AskConfig().min_coverage, False).found:
            continue
        if not any(source.partition("#")[0] == docs[0].name for source in found.sources):
            continue  # answered by a linked page only: that page is where it belongs
        yield _qa(question.rstrip("?") + "?", [(" ".join(u.text for u in found.units if u.source == source), source) for source in found.sources])


def _qa(question: str, parts: Sequence[tuple[str, str]]) -> QA:
    """A Q&A whose answer is each part's text followed by its citation (merged when repeated)."""
    chunks: list[str] = []
    cites: list[str] = []
    for index, (text, cite) in enumerate(parts):
        following = parts[index + 1][1] if index + 1 < len(parts) else None
        text = _CALLOUT_MARK.sub("", text).strip()
        chunks.append(text if following == cite else f"{text} [[{cite}]]")
        if cite not in cites:
            cites.append(cite)
    return QA(" ".join(question.split()), " ".join(chunks), tuple(cites))


def _distinct(found: Iterable[QA], bare: set[QA]) -> list[QA]:
    """The first Q&A of each question, unless it restates a bare fact a section answers better."""
    position: dict[str, int] = {}
    kept: list[QA] = []
    for qa in found:
        key = qa.question.casefold()
        if key not in position:
            position[key] = len(kept)
            kept.append(qa)
        elif kept[position[key]] in bare and qa not in bare:
            kept[position[key]] = qa
    return kept


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _lower_first(text: str, context: str = "") -> str:
    """"The Old Quay" -> "the Old Quay"; "Instrument support" -> "instrument support".

    A capitalised first word stays when `context` writes it so mid-sentence (a name:
    "Reinholt's model"); acronyms and Title Case Names stay too.
    """
    first, _, rest = text.partition(" ")
    if first in ("The", "A", "An") and rest:
        return f"{first.lower()} {rest}"
    lowered = first[:1].lower() + first[1:]
    if context and first in context and _capitalised_pattern(first).search(context):
        return text  # written capitalised mid-sentence: a name
    if first[:1].isupper() and first[1:2].islower() and (not rest or rest[:1].islower()):
        return lowered + (" " + rest if rest else "")
    return text


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"
