"""The offline answer: the sentence, list item, table row or `Key: value` line that answers the
question, from the best-retrieved sections, the page the question names first.

Each unit scores how much of the question it holds (idf-weighted words, in the unit itself and in
where it sits: its page's title, its headings, the sentence that introduces its list), how close
its vector is to the question's, and whether it holds the kind of thing the question asks for
(`question.FORMS`); better-retrieved sections count more. A "how do I" question gets the steps
of the list its best unit belongs to. A question in two parts gets a second unit for the words
the first leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kbsleep.llm.passage import Passage
from kbsleep.obsidian import is_placeholder
from kbsleep.search import setting
from kbsleep.search.adjacent import after, announced, announces_nothing, introduced, lead_unit, nested, referred, with_lists, with_next
from kbsleep.search.alike import shared, stands_for
from kbsleep.search.blocks import visible
from kbsleep.search.code_lines import CODE, with_code
from kbsleep.search.compounds import closed_compounds
from kbsleep.search.conditions import in_case
from kbsleep.search.counts import counted, counted_list, prefer_count
from kbsleep.search.defining import definition, headed, names_page
from kbsleep.search.faq import ALIKE, answers_alike
from kbsleep.search.guides import guided, labelled_task, with_procedure
from kbsleep.search.keyed_headings import keyed_by_heading
from kbsleep.search.facts import AGENT, AGENT_KEY, DESCRIBES, RELATION, fact_key, filed_under, relates, same_facts, subject_note
from kbsleep.search.persons import quotes_someone
from kbsleep.search.places import names_place
from kbsleep.search.question import Question, answers_form, says_version, task_verb, verbs
from kbsleep.search.render import render
from kbsleep.search.rows import picked, picks
from kbsleep.search.section_heads import cites, heading_form, labels, opening_units, with_heading
from kbsleep.search.tasks import NAMED, asked_verb, headed_task, instructs, named_task, opens_with_task, purpose, purpose_holds, said_by, said_verbs, says_what_to_do, task_match, told, unsaid_list, untold
from kbsleep.search.titled import titled
from kbsleep.search.topics import echoes
from kbsleep.search.units import Unit, asks
from kbsleep.search.vectors import unit_cosines
from kbsleep.search.words import stem, tokenize

MAX_STEPS, MAX_UNITS = 8, 3  # a how-to quotes up to this many steps; another answer up to this many units
_CAUTION = re.compile(r"^(?:avoid|don't|do not|never)\b", re.I)
_REFERS = re.compile(r"^(?:(?:for|to learn)\b[^.]{0,60}?,?\s+|(?:if|when)\b[^.,]{0,60},\s+)?(?:see|refer to)\b", re.I)  # "For more information, see ...", "If it isn't running, see ..."
_ASKS_MANY = re.compile(r"^\W*(?:which|what) (?!(?:is|was|does|has|happens|causes|means)\b)[a-z]+s\b", re.I)  # "Which browsers ...?"
_JOINED = re.compile(r"\b(?:and|or|also)\b|;|\?.*\?")  # a question in two parts joins them
PATHED = 1.5  # a place question's unit writing a path named for the thing asked about (`search.places`) counts this much more
FORM_CLOSE = 0.8  # a unit holding the form asked for answers instead of a better one without it within this share
CLOSE = 0.9  # a how-to's unit within this share of the best one's score ...
WHOLE = 0.99  # a how-to's best unit holding this share of the question in its own words answers it, unless its list does too
DEFINES = 2.0  # a unit that defines what a definition question asks about counts this much more
TASK = 1.0  # a how-to's list (and the best unit) gains up to this share for a heading that names the task
LIST_NEAR, LIST_FAR = 0.6, 1.0  # a how-to's list on the best unit's page (on another page) must score this share of it
W_UNIT, W_PLACE, W_VECTOR = 0.5, 0.25, 0.5  # a unit's own words, its place's words, its vector
PURPOSED = 1.5  # a how-to's sentence whose purpose is the task asked ("You can create tables using ...") counts this much more
NO_FORM = 0.35  # a unit without the form the question asks for keeps this share of its score
FORM_PLACED = 0.5  # a unit's form counts when it and its place hold this share of the question,
FORM_COSINE = 0.5  # or when it is this close to the question in meaning
COMMON_NAME, NAME_GAIN = 1.0, 0.05  # a name the question uses (idf >= 1: in under a third of the sections) that nothing chosen holds ("on Linux") brings a unit holding this share of it
PAGE_PRIOR = 0.25  # a unit on the n-th page retrieved counts 1 / (1 + n * this)
KEYED = 1.2  # a fact whose key holds a word the question asks about (not a name) counts this much more
WHO_REACH = 12  # a who-question's answer naming someone is looked for among this many best units
ANNOUNCES = 0.7  # a sentence announcing a code block it cannot quote keeps this share of its score (not for a how-to)


@dataclass(frozen=True)
class Scored:
    unit: Unit
    score: float
    own: float  # share of the question's weight in the unit's own words
    placed: float  # share in the unit and its place (page title, headings, list lead)
    cosine: float
    form: bool
    faq: bool = False  # it answers an FAQ's question asking for the form asked (`faq.answers_alike`)


@dataclass(frozen=True)
class Pick:
    """The units an answer quotes, and how well they answer."""

    units: tuple[Unit, ...]
    text: str
    sources: tuple[str, ...]  # passage ids, in the order of the units
    coverage: float  # share of the question's weight the chosen units and their places hold
    own: float  # ... in the units' own words
    cosine: float  # the best unit's cosine with the question (0 without vectors)
    form: bool  # a chosen unit about the question (`FORM_PLACED`) holds the answer form it asks for
    best: float  # the best unit's score
    missing: tuple[str, ...] = ()  # names the question uses that neither the units nor their places hold
    attribute: float = 1.0  # share of the question's weight outside the names it uses held by the units' own words
    unwritten: str | None = None  # the title of the page a definition question names, when that page says nothing yet
    task: str | None = None  # a how-to's verb ("install") that no retrieved section of the answer's pages holds: another task's
    held: frozenset[str] = frozenset()  # stems of the question's words the chosen units and their places hold (or a word standing for them)
    titled: bool = False  # the answer is a page's opening sentence, led by the page's name (`titled`): the page is the thing asked for


def pick(question: Question, passages: Sequence[Passage], idf: Mapping[str, float], *, titles: Mapping[str, str] | None = None,
         vector: Any = None, embedder: Any = None, about: str | None = None, names: Mapping[str, str] | None = None, by_alias: bool = False,
         filed: Mapping[str, frozenset[str]] | None = None) -> Pick | None:  # fmt: skip
    """The answer to `question` from `passages` (best first), or None when no unit shares a word
    or a meaning with it. `titles`: passage id -> its page's title and headings, as the place
    words; `about`: the page name (the part of a passage id before `#`) the question names (by
    an alias, with `by_alias`);
    `names`: page name -> the title a fact of the page is quoted with ("Templater" for
    "templater-obsidian"); `filed`: page name -> the words its frontmatter files it under ("domain: keycloak")."""
    # 1 + idf: a rare word counts most, a common one still counts (a paraphrase's own rare word
    # would otherwise outweigh the page's name)
    weights = {stem(t): 1.0 + max(idf.get(t, 1.0), 0.0) for t in question.terms}
    total = sum(weights.values())
    if not total:
        return None
    found = [u for p in passages for u in with_code(p.source, visible(p.text), question.kind != "howto")]  # a how-to's code is quoted with the sentence announcing it
    if not found:
        return None
    rank = {p.source: i for i, p in enumerate(passages)}
    alike = {**said_by(question), **closed_compounds(question.text, found), **stands_for(question.terms, found, embedder)}  # "disable" for "exclude" ("How do I stop X from ...?")
    page_rank = {name: i for i, name in enumerate(dict.fromkeys(p.source.partition("#")[0] for p in passages))}
    linked_rank = {name.rsplit("/", 1)[-1].casefold(): i for name, i in reversed(page_rank.items())}
    defines = definition(question.subject)
    place_weight = 2 * W_PLACE if question.kind == "howto" else W_PLACE  # a how-to's heading names the task
    cosines = unit_cosines([u.text for u in found], vector, embedder)
    off_setting = setting.off_setting(question, weights, found, titles or {}, filed or {}) - {about}  # "... in Keycloak?": not the Active Directory page (the page named is about what is asked)
    named = {stem(n) for n in question.named} | {stem(t) for t in tokenize(about or "")}
    # the first sentence of the page a definition question names introduces it ("Use callouts to ...")
    title = (names or {}).get(about or "", about)
    opening_page = defines is not None and about is not None and (by_alias or names_page(question.subject, about, title))
    opening = next((u for u in found if u.source in (about, f"{about}#{title}") and u.kind == "sentence"), None) if opening_page else None
    openings = headed(found, question.subject) if defines is not None else set()  # "## Zipf's law" then what it is
    subject_words = {stem(t) for t in tokenize(about or "")} | ({stem(t) for t in tokenize(question.subject)} if opening_page else set())  # ("CPU" names it too)
    asked = set(weights) | {stem(v) for v in verbs(question.text)}
    attribute = {t for t in set(weights) - named if weights[t] >= 1.0 + COMMON_NAME}  # what is asked: the words that are no name, nor common ("use")
    only_named = about is not None and set(weights) <= {stem(t) for t in tokenize(about)}  # "Where is Cloudbreak Pass?": its first sentence says
    # (its opening section's first sentence when that section was retrieved: "Merge these notes into ..." under "To do" is none)
    described = min((u for u in found if u.source.partition("#")[0] == about and u.kind == "sentence"),
                    key=lambda u: u.source not in (about, f"{about}#{title}"), default=None) if only_named and not question.form else None  # fmt: skip
    many = _ASKS_MANY.match(question.text) is not None
    thing = counted(question.text) if question.form == "number" else None  # what a "how many" question counts
    at = {(u.source, u.order): u for u in found}
    leads = {lead for u in found if u.kind in ("step", "item") and (lead := at.get((u.source, u.order - 1))) is not None and lead.kind == "sentence" and lead.text == u.lead}
    # a sentence that leads a list of what is asked ("Obsidian supports the following file types:" over "- PDF: `.pdf`") holds it
    listing = {lead for lead in leads if question.form is not None and any(u.source == lead.source and u.kind in ("step", "item") and u.lead == lead.text and answers_form(question.form, u.text, weights.keys()) for u in found)}
    scored: list[Scored] = []
    defined_by: set[Unit] = set()
    wanted = picks(question.text)  # "at 5th level": the row whose Level is 5
    said = said_verbs(question)
    standing = frozenset(stem(v) for v in verbs(question.text)) if question.kind == "howto" else frozenset()  # what its phrasal verbs stand for
    openers = opening_units(found, {p.source: p.text for p in passages})  # a section's first sentence may answer its heading ("## Timeout", "Thirty seconds.")
    for index, unit in enumerate(found):
        own_words = shared(f"{unit.lead} {unit.text}" if unit.kind in ("sentence", "item", "step") and asks(unit.lead) else unit.text, alike)  # an FAQ's answer says what its question asks
        keyed = question.kind != "howto" and unit.source.partition("#")[0] == about and keyed_by_heading(unit, set(weights) - named - subject_words, alike, unit in openers)
        own_words |= shared(unit.source.partition("#")[2], alike) if keyed else set()  # "- GitDoc" under "Required Extensions" on the page named says "required extension: GitDoc"
        place = (titles or {}).get(unit.source, unit.source.replace("#", " "))
        place_words = own_words | shared(f"{place} {unit.lead}", alike) | (subject_words if opening_page and unit.source.partition("#")[0] == about else set())
        # a name is no evidence in a sentence of its own page (its place holds it for all of them),
        # and the name of the page the question names is none anywhere: it says where the answer
        # is, not what it is; the words of a task in a page's title ("Create a vault") are
        page_words = (shared(unit.source.partition("#")[0], alike) & named) | subject_words
        own = sum(w for t, w in weights.items() if t in own_words and t not in page_words) / total
        placed = sum(w for t, w in weights.items() if t in place_words) / total
        cosine = max(cosines[index], 0.0) if cosines is not None else 0.0
        headed_form = heading_form(question.form, unit, weights.keys(), thing)  # ("### Obliquity Cycle 40-thousand years" over what the cycle is)
        form = answers_form(question.form, unit.text, weights.keys(), thing) or headed_form or unit in listing
        alike_faq = answers_alike(question, unit)  # under an FAQ's "How long ...?" for a "how long" question
        # the page's rank counts more than the section's: a page retrieved first for the question
        # answers it better than a well-matched sentence on the fourth page
        prior = 1.0 / (1.0 + PAGE_PRIOR * page_rank[unit.source.partition("#")[0]]) / (1.0 + 0.04 * rank[unit.source])
        if about is not None and unit.source.partition("#")[0] == about:
            # the page the question names answers it, wherever it was retrieved: ranked as the first
            prior = 1.25 / (1.0 + 0.04 * rank[unit.source])
        # a page that opens with facts and no sentence ("Designed by: kepano", "Modes: dark, light") is what they say
        stated = opening_page and opening is None and unit.kind == "field" and unit.source in (about, f"{about}#{title}")
        defining = defines is not None and (defines.match(unit.text) is not None or unit is opening or unit in openings or stated)
        if defining or unit is described:
            # "LaTeX is a typesetting system ..." answers "What is LaTeX?", on whichever page it is
            prior = DEFINES * max(prior, 1.0 / (1.0 + 0.04 * rank[unit.source]))
        if question.kind == "howto" and (unit.kind in ("step", "item") or says_what_to_do(unit.text)):
            prior *= 1.15 * (PURPOSED if purpose(unit.text, asked, NAMED) else 1.0)  # a how-to's answer says what to do: a step, or "To insert a table, ...", "You can create tables using ..." (the task itself: more)
        if question.kind == "howto" and _CAUTION.match(unit.text):
            prior *= NO_FORM  # "Avoid tables for simple lists": what not to do is no way to do it
        if defines is not None and unit.kind == "field" and not defining and (opening is not None or (" of " not in f" {question.subject} " and "'s " not in question.subject and not DESCRIBES.match(unit.text))):
            prior *= NO_FORM  # "What does the Templater plugin do?" asks what it is, not its plugin ID
        if question.kind == "who" and unit.kind == "field" and AGENT_KEY.search(unit.text.partition(":")[0]):
            prior *= AGENT  # "Developed by: mgmeyers" answers "Who made the Kanban plugin?", not "Plugin ID: ..."
        prior *= setting.OFF_SETTING if unit.source.partition("#")[0] in off_setting else 1.0
        prior *= NO_FORM if (echoed := echoes(question)) is not None and echoed.search(unit.text) else 1.0  # "... which headers, which status code ..." names none
        if question.kind != "howto" and unit.kind == "sentence" and unit.text.endswith(":") and unit not in leads:
            prior *= ANNOUNCES  # "For simple paragraphs, place a caret at the end of the line:" says what its code block shows
        if any(linked_rank.get(page, page_rank[unit.source.partition("#")[0]]) != page_rank[unit.source.partition("#")[0]] for page in unit.links):
            prior *= NO_FORM  # "[[Line Continuations]]: Break long instructions up ..." on an index page describes a page retrieved too
        if ((unit.bare or labels(unit)) and not many and not keyed) or _REFERS.match(unit.text):
            prior *= NO_FORM  # "- [[Kerberos SSO Process]]" names a page, it answers "which ...?" only; "For details, see Cobalt licensing." none
        key = shared(fact_key(unit, question.kind == "howto") or "", alike)
        exact = bool(attribute) and key <= set(weights) and attribute <= key  # the key is what is asked ("license", not "class" for "armor class")
        if key & (set(weights) - named):
            prior *= RELATION if exact else KEYED  # "license: Apache-2.0" for "Which license ...?"; "AC: 16" for "... armor class?"
        prior *= {True: RELATION, False: NO_FORM, None: 1.0}[picked(unit, wanted)] * (CODE if unit.kind == "code" else 1.0)
        prior *= RELATION if keyed else 1.0  # (as a fact whose key is what is asked)
        prior *= PATHED if question.form == "place" and names_place(question, unit.text) else 1.0  # "stored in `/vault/.obsidian/snippets/`" over "In the snippets folder, ..."
        if unit.kind == "field" and relates(unit.text, weights, place):
            prior *= RELATION  # "Designed by: kepano" on Minimal's page answers "Which themes did kepano design?"
        if unit.kind == "field" and unit.block == 1 and unit.source.partition("#")[2] == "" and not exact:
            prior *= 0.6  # a frontmatter line: a fact about the page more often than an answer, unless its key is what is asked ("license")
        score = (W_UNIT * own + place_weight * placed + W_VECTOR * cosine) * prior * (1.0 if form else NO_FORM) * (ALIKE if alike_faq else 1.0)
        on_named = unit.source.partition("#")[0] == about and (only_named or (question.form is not None and form) or keyed)  # ("Mass in air: 310 kg")
        # a question (an FAQ's, a Q&A's, an exam prompt's in quotes) answers nothing, nor does a "## References" entry
        # under "Enabling the feature" for "How do I turn on ...?" (a verb the question writes itself is among its words)
        task_headed = bool(standing) and opens_with_task(unit, standing)
        if (own or cosine > 0.3 or defining or on_named or headed_form or task_headed) and not asks(unit.text) and not cites(unit, weights.keys()):
            scored.append(Scored(unit, score, own, placed, cosine, form, alike_faq))
            if defining:
                defined_by.add(unit)
    if not scored:
        return None
    if many:
        scored = with_lists(scored)
    scored.sort(key=lambda s: (-s.score, s.unit.order, rank[s.unit.source]))
    best = scored[0]
    if defined_by:  # of two close units, the one that says what the thing is ("The law only holds approximately:" does not)
        best = max((s for s in scored[:5] if s.score >= CLOSE * best.score), key=lambda s: (s.unit in defined_by, s.score))
    if question.form and not best.form:
        # of two close units, the one holding what is asked ("Endurance: 12 h at 0.3 m/s" for "How fast ...?")
        best = next((s for s in scored[:5] if s.form and s.score >= FORM_CLOSE * best.score), best)
    if question.kind == "who" and not quotes_someone(question, best.unit, names or {}):  # a who-question's form is someone: "... contact the Lead TA, Rifat" over the label "Lead TA"
        # (none close: "Founded: 1987" holds all of "Who founded X?"; a unit holding as much that names someone answers)
        best = next((s for s in scored[:5] if s.score >= FORM_CLOSE * best.score and quotes_someone(question, s.unit, names or {})), None) or next(
            (s for s in scored[:WHO_REACH] if s.placed >= best.placed and quotes_someone(question, s.unit, names or {})), best)  # fmt: skip
    best = prefer_count(question.text, scored[:5], best, FORM_CLOSE) if question.form == "number" else in_case(question.text, scored[:10], best)  # "six levels" for "How many levels ...?"; "when my dataset is small"
    if question.kind == "howto":
        # of two close units, the one whose purpose is the task ("To embed an image: ...") over
        # "You can also embed an externally hosted image ...", then one under a heading naming it
        best = max((s for s in scored[:5] if s.score >= CLOSE * best.score), key=lambda s: (purpose(s.unit.text, asked, NAMED) or NAMED * (purpose_holds(s.unit.text, asked) or labelled_task(s.unit, asked, task_verb(question))), named_task(s.unit.source.partition("#")[2], asked) >= NAMED, s.score))
    if question.kind == "howto":
        best = told(question, best, scored, found, titles or {}, alike)  # from a page that says the task
        told_best = best
        if not (best.unit.kind == "step" or says_what_to_do(best.unit.text) or best.unit in leads):
            best = headed_task(question, best, scored)  # a line saying what a thing is gives way to one under "Enabling the feature"
        best = in_case(question.text, scored[:10], best)  # ... unless it leaves out the case the question sets ("when my dataset is small")
        # (under a heading saying the task, the section's own lists: "Enabling the feature", not the
        # caveats' list; after an instruction ("Change the default with: ..."), only a list it leads)
        task_named = opens_with_task(best.unit, said)
        instruction = not task_named and opens_with_task(best.unit, said, task_verb(question) or asked_verb(question))  # "Change the default with: ..."
        among = [u for u in found if u.source == best.unit.source and (task_named or u.kind not in ("step", "item") or u.lead == best.unit.text)] if best is not told_best or instruction else found
        chosen = with_procedure(best.unit, found, MAX_STEPS) or _steps(best, scored, among, asked, task_verb(question))  # ("This recipe shows how to ...": its steps)
    elif opening_page and opening is None and best.unit.kind == "field" and best.unit in defined_by:
        chosen = [u for u in found if u.kind == "field" and u.source == best.unit.source][:MAX_UNITS]  # the facts a page opens with
    elif thing and best.unit.kind in ("step", "item") and heading_form(question.form, best.unit, weights.keys(), thing):
        chosen = [u for u in found if u.source == best.unit.source and u.block == best.unit.block][:MAX_UNITS]  # "Steps (15 total):" then its list from the start
    elif many and best.unit.kind == "field" and relates(best.unit.text, weights, (titles or {}).get(best.unit.source, best.unit.source)):
        chosen = same_facts(best.unit, found)
    else:
        asked_of = {t: w for t, w in weights.items() if t not in subject_words} if opening_page else weights  # the name says where, not what
        chosen = _parts(best, scored, asked_of, found, question, titles or {}, {k: v for k, v in alike.items() if " " in v})  # acronyms
    chosen = (counted_list(question.text, best.unit, found, MAX_STEPS) or announced(chosen, found, best.unit, MAX_STEPS)) if question.kind != "howto" else chosen
    chosen = guided(best.unit, found, chosen, asked, task_verb(question), MAX_STEPS) if question.kind == "howto" else chosen  # step sections, a labelled item
    chosen = referred(nested(chosen, found, MAX_STEPS), found)  # a nested item with the item it is nested under; "... in the same way." with the way
    text = with_heading(question.form, chosen, (question.kind == "who" and subject_note(chosen, names or {})) or render(chosen, names or {}, asked=set(weights)), weights.keys(), thing)
    named_by_title = titled(question, chosen, text, names or {}, about, found)  # "Love Canal: A reservoir of chemical waste ..." for "Where was ...?"
    chosen_words = {w for u in chosen for w in shared(u.text, alike)}
    chosen_text = " ".join(f"{u.text} {(titles or {}).get(u.source, u.source)} {u.lead}" for u in chosen)
    chosen_place = chosen_words | {w for u in chosen for w in shared(f"{(titles or {}).get(u.source, u.source)} {u.lead}", alike)}
    filed_words = filed_under(pages := {u.source.partition("#")[0] for u in chosen}, found) | {w for p in pages for w in (filed or {}).get(p, ())}  # ("domain: cisco-ios-xe" names Cisco for the whole page)
    by_unit = {s.unit: s for s in scored}
    form = any(s.form and (s.placed >= FORM_PLACED or s.cosine >= FORM_COSINE or s.faq) for s in (by_unit.get(u) for u in chosen) if s is not None)
    form = form or any(u.lead == best.unit.text and answers_form(question.form, u.text) for u in chosen if u.kind in ("step", "item"))  # the list the best unit announces
    defined = defines is not None and any(defines.match(u.text) or u is opening for u in chosen)
    if opening_page and any(u.source.partition("#")[0] == about for u in chosen):
        chosen_place |= subject_words  # a unit of the page the question names holds its name
    return Pick(
        units=tuple(chosen),
        text=named_by_title,
        sources=tuple(dict.fromkeys(u.source for u in chosen)),
        coverage=sum(w for t, w in weights.items() if t in chosen_place) / total,
        own=sum(w for t, w in weights.items() if t in chosen_words) / total,
        cosine=best.cosine,
        form=form or question.form is None,
        best=best.score,
        missing=tuple(n for n in question.named if stem(n) not in chosen_place and stem(n) not in filed_words) + tuple(v for v in question.versions if not says_version(v, chosen_text)),
        # a definition is what "What is X?" asks about X, whatever else the question says
        attribute=1.0 if defined else _attribute(question, weights, chosen_words, about),
        # "What is PARA?" where the page PARA holds only a placeholder: another page's "the PARA system" is no definition
        task=untold(question, chosen, found, titles or {}, alike),
        held=frozenset(chosen_place & set(weights)),
        titled=named_by_title != text,
        unwritten=title if opening_page and not defined and not is_placeholder(title or "") and not any(u.source.partition("#")[0] == about for u in found) else None,
    )


def _attribute(question: Question, weights: Mapping[str, float], words: set[str], about: str | None) -> float:
    """The share of the weight of the question's words other than the names it uses (and the name
    of the page it is about) that `words` hold: what it asks about the thing it names."""
    names = {stem(n) for n in question.named} | {stem(t) for t in tokenize(about or "")}
    rest = {t: w for t, w in weights.items() if t not in names}
    total = sum(rest.values())
    return sum(w for t, w in rest.items() if t in words) / total if total else 1.0


def _steps(best: Scored, scored: Sequence[Scored], found: Sequence[Unit], asked: set[str], verb: str | None = None) -> list[Unit]:
    """For a "how do I" question: the list that best answers it, introduced by the sentence
    before it; a list scores its best item and the sentence or heading that introduces it.
    Without a list near the best unit, the best unit and the sentence after it. A list (or the
    best unit) under a heading that names the task ("Pin a command" for "How do I pin a
    command?") counts up to `TASK` more, so the sibling task's list ("Unpin a command") loses.
    A list on another page must hold, in its words and its place's, as much of the question as
    the best unit's place holds; a list not naming the task yields to an instruction of it (`instructs`)."""
    score = {s.unit: s.score for s in scored}
    placed, own = {s.unit: s.placed for s in scored}, {s.unit: s.own for s in scored}
    blocks: dict[tuple[str, int, str], list[Unit]] = {}
    for unit in found:
        if unit.kind in ("step", "item"):  # (the items nested under an item asking a question are its answer, a list of their own)
            blocks.setdefault((unit.source, unit.block, unit.lead), []).append(unit)
    best_list: tuple[float, list[Unit]] | None = None
    page = best.unit.source.partition("#")[0]
    best_task = task_match(best.unit.source, asked, best.unit.text)
    for items in blocks.values():
        task = task_match(items[0].source, asked, items[0].lead)
        if (best_task >= NAMED and task < best_task) or (task < NAMED and items[0].lead != best.unit.text and instructs(best.unit, verb)):
            continue  # "To add an alias ..." under "Add an alias to a note", "Document each parameter ...": not another task's list
        lead = lead_unit(items[0], found)
        if unsaid_list(best.unit, items, lead, verb):
            continue  # "Pick k centroids at random" is the task; "Alternate until convergence: ..." comes after it
        if items[0].source.partition("#")[0] != page and max(placed.get(u, 0.0) for u in items) < best.placed:
            continue  # a list elsewhere that misses words of the question the best unit's place holds ("paragraph") is about another task
        if best.own >= WHOLE and lead is not best.unit and max(own.get(u, 0.0) for u in [*items, *([lead] if lead else [])]) < best.own:
            continue  # "... displays matching tasks in columns." says it all; a list missing some of it is about something else
        value = max(score.get(u, 0.0) for u in items) + 0.5 * (score.get(lead, 0.0) if lead is not None else 0.0)
        if items[0].kind == "step":
            value *= 1.2  # a numbered list is a procedure
        value *= 1.0 + TASK * task
        # a list on another page answers instead of the best unit only when it scores as well: its
        # page was retrieved lower, and its words matched the question through another topic
        # ("{{date|date:...}}" of the Web Clipper's filters for the Templates plugin's date format)
        value /= LIST_NEAR if items[0].source.partition("#")[0] == page else LIST_FAR
        if best_list is None or value > best_list[0]:
            best_list = (value, items)
    if best_list is not None and best_list[0] >= best.score * (1.0 + TASK * best_task):
        items = best_list[1][:MAX_STEPS]
        lead = lead_unit(items[0], found)
        return ([lead] if lead is not None else []) + items
    if not says_what_to_do(best.unit.text):
        # "A block is a unit of text ..." then, in the next paragraph, "You can link to a block by adding #^ ..."
        following = after(best.unit, found)
        if following is not None and following.block != best.unit.block and says_what_to_do(following.text):
            return [best.unit, following]
    chosen = with_next(best.unit, found)
    return [*chosen, *introduced(chosen[-1], found, MAX_STEPS)]  # "select New tab. Or, use a keyboard shortcut:" and the shortcuts


def _parts(best: Scored, scored: Sequence[Scored], weights: Mapping[str, float], found: Sequence[Unit], question: Question,
           titles: Mapping[str, str], alike: Mapping[str, str]) -> list[Unit]:  # fmt: skip
    """The best unit (and, for a yes-or-no or why question, the sentence after it), then units
    for the question's words it leaves out (a question in two parts). A word its place holds
    (the page's title, folder and heading: "plugin" for a page in `Plugins/`) is not left out."""
    chosen = with_next(best.unit, found) if question.kind in ("yesno", "why", "how") else [best.unit]
    covered = {t for u in chosen for t in shared(f"{u.text} {titles.get(u.source, u.source.replace('#', ' '))} {u.lead}", alike)}
    left = {t for t in weights if t not in covered}
    score = {s.unit: s.score for s in scored}
    following = after(best.unit, found, same_block=True)
    if following is not None and following not in chosen and score.get(following, 0.0) >= 0.6 * best.score and not announces_nothing(following, found):
        chosen.append(following)  # the next sentence goes on about the same thing ("Here's an example:" alone says nothing)
    names = {t for n in question.named if weights.get(t := stem(n), 0.0) >= 1.0 + COMMON_NAME}  # not "Obsidian" in Obsidian's help
    if question.subject:
        left &= {stem(t) for t in tokenize(question.subject)}  # "What is a base in Obsidian?" asks what a base is, in one part
    if question.kind == "yesno" and not _JOINED.search(question.text):
        left &= names  # "Does Obsidian support Vim mode?" asks one thing: "support" is no second part ("Obsidian support"), "on Linux" may be
    page = best.unit.source.partition("#")[0]
    # the rest of a question in two parts is looked for on the best unit's page first
    named_all = {stem(n) for n in question.named} & set(weights)
    for other in sorted(scored[1:40], key=lambda s: s.unit.source.partition("#")[0] != page):
        if len(chosen) >= MAX_UNITS or not left:
            break
        words = {stem(t) for t in tokenize(other.unit.text)}
        if named_all and other.unit.source.partition("#")[0] != page and not named_all & (words | {stem(t) for t in tokenize(titles.get(other.unit.source, other.unit.source))}):
            continue  # "What does the Orion Pump measure?": another page's sentence on measuring, not of the pump, is no part of it
        gain = sum(weights[t] for t in left & words) / sum(weights.values())
        bar = 0.35 if left & words & names else 0.5  # a name the question uses, and nothing chosen holds
        # the best unit holds the form asked ("... dropped in Obsidian 1.9"): a part on its page for
        # a name nothing chosen holds ("`tag`: Deprecated alias for `tags`") is not asked for it
        value = other.score / NO_FORM if best.form and not other.form and left & words & named_all and other.unit.source.partition("#")[0] == page else other.score
        if gain >= (NAME_GAIN if left & words & names else 0.15) and value >= bar * best.score and other.unit.text not in {u.text for u in chosen}:
            chosen.append(other.unit)
            left -= words
    return sorted(chosen, key=lambda u: (u.source != best.unit.source, u.source, u.order))
