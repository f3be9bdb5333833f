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

Every answer is the supporting text followed by its citation, `[[Page#Section]]`. How a page is
read into citable units is `citable_units`; the template tables and how a fact or a heading
becomes a question are `question_templates`; this module walks the page in that order and
writes the answers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from kbsleep.answers import QA
from kbsleep.config import AskConfig
from kbsleep.llm.model import Passage
from kbsleep.passes import boilerplate
from kbsleep.passes.citable_units import COPULA, NAMING_KEYS, Doc, Unit, cite_line, heads, lower_first, names, possessive, proper_names, restates_name, run_on, unfinished, verdict
from kbsleep.passes.heading_context import as_written
from kbsleep.passes.heading_phrases import gerund_base, subject_of, task_title, written_as_name
from kbsleep.passes.page_language import english, other_script
from kbsleep.passes.fact_questions import FACT_TEMPLATES, YES_NO, asked_about, fact_templates, titled_number, with_unit
from kbsleep.passes.question_templates import be, heading_question, who
from kbsleep.search.sentences import LIST_ITEM, split_sentences
from kbsleep.wiki.claims import normalize_value
from kbsleep.wiki.wikilink import sole_wikilink

# A callout's marker (`[!tip]`, `[!danger]-`) says how Obsidian draws the text, not what it says.
_CALLOUT_MARK = re.compile(r"\[![\w-]+(?:\|[^\]\n]*)?\][+-]?\s*")
_PRONOUNS = frozenset("it he she they this that these those there here we i you below above following".split())
_BACK = frozenset("former latter remaining rest same previous".split())  # "The former is ...": the sentence before says what
_ASKED = "Questions readers asked that this page should answer:"


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


def generate(passages: Sequence[Passage], asked: Sequence[str] = (), common: frozenset[tuple[str, ...]] = frozenset()) -> list[QA]:
    """Candidate Q&A for the first passage's page, best first, without duplicates; no answer
    quotes a sentence of `common`, the wiki's boilerplate (`boilerplate`), unless it names its page."""
    if not passages:
        return []
    docs = [boilerplate.read(p, common) for p in passages]
    target, linked = docs[0], docs[1:]
    found: list[QA] = [*_asked(docs, asked)]
    if not english(passages[0].text):
        return found  # English templates over a Spanish page ask what none of its readers would ("What is X's contexto?")
    definition = _definition_qa(target)
    rated = list(_facts(target, linked))
    facts = [qa for qa, _ in rated]
    bare = {qa for qa, weak in rated if weak}
    named = {d.name for d in linked if any(_linked_doc(f.value, [d]) for f in target.page.fields)}
    crossings = list(_crossings(target, [d for d in linked if d.name not in named]))
    made = [definition] if definition else []
    made += facts[:3] + crossings[:2] + list(_headings(target, linked)) + facts[3:] + list(_definitions(target)) + crossings[2:]
    # an English template cannot phrase a question about "要点" or "从关联章节中检测到的页面": none is written
    # (the page's title is a name, in any script: "Who developed Advanced Сanvas Filter?")
    return _distinct([*found, *(qa for qa in made if not other_script(qa.question.replace(target.title, "")))], bare)


def _definition_qa(doc: Doc) -> QA | None:
    found = doc.definition
    if found is not None:
        sentence, cite = found
        match = COPULA.match(sentence)
        # agree as the page does: "Bases is a core plugin" -> "What is Bases?", not "What are"
        verb = be(doc) if match is None or doc.person else "are" if match.group("verb") in ("are", "were") else "is"
        return _qa(f"{who(doc)} {verb} {subject_of(doc.title)}?", [(sentence, cite)])
    summary = str(doc.page.frontmatter.get("summary") or "").strip()
    if summary:
        return _qa(f"{who(doc)} {be(doc)} {doc.title}?", [(f"{doc.title}: {summary.rstrip('.')}.", doc.name)])
    return None


def _facts(doc: Doc, linked: Sequence[Doc]) -> Iterable[tuple[QA, bool]]:
    """Q&A from facts, each with whether it is bare (no sentence of the page states it)."""
    # A task's field is the task's own, and a key the page gives in inline fields with different
    # values is a list (Dataview's reading, as `conflicting-facts`'): neither is one fact to ask.
    given: dict[str, set[str]] = {}
    for field in doc.page.fields:
        if field.kind == "inline" and not field.task:
            given.setdefault(field.key, set()).add(normalize_value(field.value))
    seen = {key for key, values in given.items() if len(values) > 1}
    for field in (*doc.page.fields, *doc.facts):
        key = field.key
        if field.task or not asked_about(key, field.value) or key in seen or names(doc, key.replace("_", " ")):
            continue
        if field.kind == "label" and key not in FACT_TEMPLATES and (_in_list(doc, field.line) or task_title(doc.title, doc.plain)):
            # "- **Windows:** FileOptimizer" labels an item of a list, not a fact about the page; and
            # a label on a task's page ("Sync your notes": "**Requires**: ...") is a note on a step
            continue
        whole = run_on(doc.page, field)
        if whole.endswith(":"):
            continue  # "**Rule**: if ..., it must:" then a list: the value is the list, which no template quotes
        seen.add(key)
        other = _linked_doc(whole, linked)
        shown = " ".join(split_sentences(whole)) or whole
        if shown.casefold() in YES_NO or (other is not None and not _shows_a_name(whole, other)):
            # "Mobile compatible: [[Mobile-compatible plugins|Yes]]" says yes, "Modes: [[Dark-mode
            # themes|dark]]" says dark: the link's text is the value, the page it opens is where to read more
            other = None
        value = other.title if other else shown
        if key in NAMING_KEYS and restates_name(doc, value):
            continue  # "name: Toodle" on Toodle's page: "What is the name of Toodle?" asks nothing
        if titled_number(key, value, doc.title):
            continue  # "scene_number: 266" on "Aurelius — Scene 266": the title says it already
        key, value = with_unit(key, value)
        words = " ".join(key.replace("_", " ").split())
        if not words:
            continue  # a key with no words (`**:** x`, `_: x`) names nothing to ask about
        question, answer = fact_templates(key, words, value, other is not None and other.person)
        if not question:
            continue
        if " is in {v}" in FACT_TEMPLATES.get(key, ("", ""))[1] and " is in {v}" not in answer:
            value = lower_first(value)  # "Buried in the graveyard" after "Mr Mayfair is"
        question = question.format(t=doc.title, v=value)
        support = _supporting(doc, [value, *(other.page.aliases + (other.page.stem,) if other else ())])
        parts = [support] if support else [(answer.format(t=doc.title, v=value.rstrip(".")), cite_line(doc, field.line))]
        if other is not None and other.definition is not None:
            parts.append(other.definition)
        yield _qa(question, parts), support is None and other is None


def _in_list(doc: Doc, line: int) -> bool:
    """Whether a line is a list item or in a callout: its label names one of several items."""
    raw = doc.page.line_text(line).lstrip()
    return raw.startswith(">") or LIST_ITEM.match(raw) is not None


def _linked_doc(value: str, linked: Sequence[Doc]) -> Doc | None:
    link = sole_wikilink(value)
    if link is None or link.embed or not link.target:
        return None
    target = link.target.casefold().removesuffix(".md")
    for doc in linked:
        if target in (doc.name.casefold(), doc.page.stem.casefold()) or target.rsplit("/", 1)[-1] == doc.page.stem.casefold():
            return doc
    return None


def _shows_a_name(value: str, other: Doc) -> bool:
    """Whether a value's one link shows the linked page by a name of its own (no display text,
    or its title, an alias or its file name): then the value is that page, said by its title."""
    link = sole_wikilink(value)
    if link is None or link.display is None:
        return True
    shown = link.display.strip().casefold()
    return any(shown == name.casefold() for name in (other.title, *other.page.aliases, other.page.stem))


def _supporting(doc: Doc, values: Sequence[str]) -> tuple[str, str] | None:
    """The first sentence of the page that states one of `values` (the fact or the page it names).
    A value that is the page's own name ("Plugin ID: `calendar`" on *Calendar*) is stated by no
    sentence: every sentence about the page names it ("Calendar view of your daily notes")."""
    wanted = [w for w in (v.split(" (")[0].strip() for v in values) if len(w) > 2 and not names(doc, w)]
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


def _unpronoun(doc: Doc, sentence: str) -> str:
    """A sentence quoted alone names its subject: "It is maintained by ..." -> "Cobalt is maintained by ..."."""
    first, _, rest = sentence.partition(" ")
    if first in ("It", "He", "She") and rest:
        return f"{doc.title} {rest}"
    return sentence


def _crossings(doc: Doc, linked: Sequence[Doc]) -> Iterable[QA]:
    """For each linked page: the sentence here that mentions it, then what it is."""
    if task_title(doc.title, doc.plain):
        return  # "How is Create your first note connected to ...?" asks about no thing
    for other in linked:
        if other.definition is None:
            continue
        mention = _mention(doc, other)
        if mention is None or other.title.casefold() == doc.title.casefold():
            continue
        yield _qa(f"How {be(doc)} {doc.title} connected to {subject_of(other.title)}?", [mention, other.definition])


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
    proper = proper_names(doc)
    for unit in doc.units[1:]:
        other = next((d for d in linked if unit.heading.casefold() in {n.casefold() for n in (d.title, d.page.stem, *d.page.aliases)}), None)
        if other is not None and not task_title(doc.title, doc.plain) and _says_name(unit, other.title):
            title = subject_of(other.title)
            question = f"What is {possessive(doc.title)} role in {title}?" if doc.person else f"How does {doc.title} relate to {title}?"
        else:
            question = heading_question(doc, unit)
        if not question:
            continue
        answer = _section_answer(unit, doc.plain, proper)
        if _CALLOUT_MARK.sub("", answer).strip():  # (a callout's bare `[!Resources]` says nothing)
            yield _qa(question, [(answer, unit.cite)])


def _says_name(unit: Unit, name: str) -> bool:
    """Whether a section's own text writes `name`: a heading that only shares a linked page's name
    ("### Scope" over an outcome's scoping fields, the page linking [[Scope]] elsewhere) says
    nothing of how the two relate."""
    text = " ".join([*unit.sentences, *unit.items, *(" ".join(r) for r in unit.rows[1:])])
    for found in _name_pattern(name).finditer(text):
        before = text[: found.start()].split()[-1:]  # "the Stacker Base Edge Scope" names another thing
        if not before or not before[0][:1].isupper() or before[0].casefold() in ("the", "a", "an", "this", "its"):
            return True
    return False


def _section_answer(unit: Unit, context: str, proper: frozenset[str] = frozenset()) -> str:
    """The section's first sentences, its list or its table, as one short paragraph; a placeholder
    ("*(none identified yet)*", a template's row or item still to be filled) answers nothing."""
    sentences = tuple(s for s in unit.sentences if not _aside(s))
    lead = list(sentences[:2])
    listed = [i for i in unit.items if not _aside(i)]
    if listed:
        items = "; ".join(lower_first(i, context, proper) for i in listed[:6])
        colon = next((i for i, s in enumerate(sentences[:3]) if s.endswith(":")), None)
        if colon is not None:
            return " ".join([*sentences[:colon], _end(f"{sentences[colon]} {items}")])
        items = items[:1].upper() + items[1:]
        return " ".join(sentences[:1] + (_end(items),))
    rows = [r for r in unit.rows[1:] if not _aside(" ".join(c for c in r if c.strip()))]
    if rows:
        # The page's order: what it writes before its table leads it, what it writes after follows
        # it ("**Returns:** `void`" below a parameters table put first read "Returns: `void` scope
        # (type Scope)", as if one thing); two sentences in all, as without a table.
        lead = [s for s in unit.sentences[: unit.before_rows] if not _aside(s)][:2]
        after = [s for s in unit.sentences[unit.before_rows :] if not _aside(s)][: 2 - len(lead)]
        while after and after[-1].endswith(":"):
            after.pop()  # announces what is not quoted
        header, body = unit.rows[0], rows[:6]
        rendered = []
        for row in body:
            rest = ", ".join(f"{lower_first(h)} {c}" for h, c in zip(header[1:], row[1:]) if c)
            if len(header) == 2 and len(row) == 2:
                if row[1].strip(" -–—"):  # ("| Type | |", "| Value (gp) | - |" say nothing)
                    rendered.append(f"{row[0]}: {row[1]}")
            else:
                rendered.append(f"{row[0]} ({rest})" if rest else row[0])
        return " ".join(lead + (["; ".join(rendered).rstrip(".") + "."] if rendered else []) + after)
    # a sentence announcing a code block too long to quote ("Burns's Deployment for the server:") is never quoted
    # before what does not follow it: the answer stops before it (none when it comes first: "In `netlify.toml`,
    # configure redirects:" answers nothing without its code)
    cut = next((i for i, s in enumerate(sentences[:3]) if s in unit.unquoted), None)
    if cut is not None:
        lead = list(sentences[:cut])
    elif lead and lead[-1].endswith(":"):
        lead = list(sentences[:3])
    while lead and lead[-1].endswith(":"):
        lead.pop()  # "Or, use a keyboard shortcut:" announces what is not quoted (its code, its facts)
    return " ".join(lead)


def _aside(text: str) -> bool:
    """Text wholly in parentheses ("(none identified yet)", "(to be written)"): a remark on the page, no content."""
    text = text.strip().rstrip(".")
    return text.startswith("(") and text.endswith(")") and text.count("(") == 1


def _definitions(doc: Doc) -> Iterable[QA]:
    """"X is a Y" sentences about something other than the page's subject."""
    for unit in doc.units:
        for sentence in unit.sentences:
            match = COPULA.match(sentence)
            if match is None or unfinished(sentence) or verdict(match.group("rest")):
                continue
            subject = match.group("subject")
            words = subject.split()
            if match.group("verb") not in ("is", "are") or len(words) > 5 or not words[0][:1].isupper():
                continue
            if any(w.casefold().strip(",") in _PRONOUNS | {"its", "his", "her", "their"} for w in words) or words[1:2] in ([w] for w in _BACK) or names(doc, subject) or heads(doc, subject):
                continue
            if words[0].casefold() in _SUBORDINATORS or gerund_base(words[0]) or sentence.endswith("?") or "," in subject or "\u2014" in subject or any(w.casefold() in _CLAUSE_WORDS for w in words):
                # "Because the ambassador is ..., it ...", "And more importantly, what is a man of your caliber doing?" (a question),
                # "The Augur is right—he is a ..." (two clauses), "Renaming notes is a part of ..." (doing): no subject defined
                continue
            verb = match.group("verb")
            owner = words[0].endswith(("'s", "\u2019s"))  # "Burns's contribution": an owner is named
            said = sentence[:-1].rstrip() + "." if sentence.endswith(":") else sentence  # (what it announces is not quoted)
            named = subject if owner or (len(words) == 1 and written_as_name(subject, doc.plain)) else lower_first(subject)  # "a Git client": a name
            named = as_written(doc, named, verb) if verb == "is" and not owner else named  # "the total flow", as the page writes it
            yield _qa(f"What {verb} {named}?", [(said, unit.cite)])


_SUBORDINATORS = frozenset("because although though if when whenever while since unless whereas once after before until as and but or nor so yet".split())
_CLAUSE_WORDS = frozenset("what who which where when why how is are was were".split())
def _asked(docs: Sequence[Doc], asked: Sequence[str]) -> Iterable[QA]:
    """Queued questions that the page (or a page it links to) answers, as `ask` would answer them
    offline (`kbsleep.search`), from the same sections and quoted the same way (steps numbered,
    items apart): a question nothing here answers is left out, and stays queued."""
    from kbsleep.search import abstain, extract, rarity
    from kbsleep.search.question import analyse
    from kbsleep.search.render import render
    from kbsleep.search.sections import chunks

    passages = [Passage(f"{d.name}#{heading}" if heading else d.name, text) for d in docs for heading, _, _, text in chunks(d.page)]
    for question in asked:
        wanted = analyse(question)
        idf = rarity.idf_from(passages, wanted.terms)
        found = extract.pick(wanted, passages, idf)
        if found is None or not abstain.decide(wanted, found, {}, idf, len(passages), AskConfig().min_coverage, False).found:
            continue
        if not any(source.partition("#")[0] == docs[0].name for source in found.sources):
            continue  # answered by a linked page only: that page is where it belongs
        stems = set(wanted.stems)
        parts = [(render([u for u in found.units if u.source == source], {}, one_line=True, asked=stems), source) for source in found.sources]
        yield _qa(question.rstrip("?") + "?", parts)


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
    """The first Q&A of each question (its articles aside: "What is the Geometric Intuition in X?" beside "What is
    Geometric Intuition in X?" asks it again), unless it restates a bare fact a section answers better."""
    position: dict[str, int] = {}
    kept: list[QA] = []
    for qa in found:
        key = re.sub(r"\b(?:the|a|an) ", "", qa.question.casefold())
        if key not in position:
            position[key] = len(kept)
            kept.append(qa)
        elif kept[position[key]] in bare and qa not in bare:
            kept[position[key]] = qa
    return kept


def _end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."
