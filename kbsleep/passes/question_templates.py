"""The tables of question templates, and how a fact or a section heading becomes a question.

A fact (`population: 41,000`) is asked through `FACT_TEMPLATES`, or phrased from its key when no
template knows it; a heading (`## Licensing`) through `HEADING_TEMPLATES`, or phrased from its
words ("Recover a snapshot" -> "How do I recover a snapshot in Cobalt?"). `{t}` is the page title.
"""

from __future__ import annotations

import re

from kbsleep.passes.citable_units import COPULA, Doc, Unit, lower_first, names, only_tags, possessive, proper_names
from kbsleep.passes.heading_phrases import (
    PREPOSITIONS,
    clause_question,
    clean,
    comparison,
    compound_title,
    covers,
    part_of,
    statement,
    subject_of,
    task,
    task_title,
    unknown_verb_phrase,
    wh_question,
)
from kbsleep.search.words import stem, stems
from kbsleep.wiki.properties import timestamp_key

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
    "link": ("Where can I find {t} online?", "{t} is online at {v}."),
    "homepage": ("Where can I find {t} online?", "{t} is online at {v}."),
}
# Keys that describe the page rather than its subject: no reader asks about them.
META_KEYS = frozenset(
    "title aliases alias tags tag sources source summary updated created modified date id type "
    "source_type document_type cssclass cssclasses publish draft permalink layout kind category categories "
    "description note notes comment comments confidence related fetched retrieved accessed original_url reviewed last_reviewed links".split()
)
PLATFORMS = {name.casefold(): name for name in "desktop mobile Windows macOS Linux iOS Android".split()}
PAGE_STATES = frozenset("stable draft stub seedling sprout budding evergreen wip placeholder canonical".split())  # a page's maturity
FUNCTION_WORDS = frozenset("since until from to via with by for of in on at as and or but then".split())
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
    "get started": "How do I get started with {t}?",
    "getting started": "How do I get started with {t}?",
    "quick start": "How do I get started with {t}?",
    "install": "How do I install {t}?",
    "installation": "How do I install {t}?",
    "setup": "How do I set up {t}?",
    "configuration": "How do I configure {t}?",
    "troubleshooting": "How do I troubleshoot {t}?",
    "limitations": "What are the limitations of {t}?",
    "known issues": "What are the known issues with {t}?",
    "requirements": "What does {t} need?",
    "features": "What can {t} do?",
    "example": "What is an example of {t}?",
    "examples": "What are some examples of {t}?",
    "overview": "What is {t}?",
    "introduction": "What is {t}?",
    "tips": "What are some tips for {t}?",
    "important": "",  # a callout's words as a heading: a warning, no topic
    "note": "",
    "warning": "",
    "caution": "",
    "notes": "",
    "other": "",
    "others": "",
    "general": "",  # a group of a details view or of settings named by an adjective: no thing to ask about
    "advanced": "",
    "misc": "",
    "miscellaneous": "",
    "learn more": "",
    "next steps": "",
    "read more": "",
    "more information": "",
    "further information": "",
    "resources": "",
    "additional resources": "",
    "external links": "",
    "contents": "",
    "table of contents": "",
    "faq": "",
    "faqs": "",
    "frequently asked questions": "",
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
_WH = frozenset("how why where when what who which".split())
_ABOUT_VERBS = frozenset("care know think worry talk".split())  # "... care about X", "... know about X"
# A value that is a sentence of its own ("This feature is unavailable on ...") is prose, not a fact.
_SENTENCE_VALUE = re.compile(r"^\S+(\s+\S+){5,}[.!?]$")
_UNIT = re.compile(r"_(m|km|cm|mm|kg|t|ft|nm|s|h|min|m2|km2)$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# -- facts ------------------------------------------------------------------------------------------


def asked_about(key: str, value: str) -> bool:
    """Whether readers ask about a fact: its key describes the subject, and its value is a value, not prose."""
    # "**Since:** 2019" continues a line above (no attribute); "status: stable" says how finished an LLM wiki's page is
    if key.replace("_", " ").strip() in FUNCTION_WORDS or key == "status" and value.strip().strip("\"'").casefold() in PAGE_STATES:
        return False
    # a value with no letter or digit ("species: -", "class: —") is a blank the template left
    return key not in META_KEYS and not _meta_pointer(key) and not timestamp_key(key) and any(ch.isalnum() for ch in value) and not _SENTENCE_VALUE.match(value.strip())


_POINTERS = frozenset("file path url uri link id hash ref page".split())


def _meta_pointer(key: str) -> bool:
    """A key naming where the page came from or lives ("source_file", "source_url", "raw_path"): the
    page's bookkeeping, like `source`; no reader asks "What is the source file of Scene 266?"."""
    *head, last = key.split("_")
    return bool(head) and last in _POINTERS and (head[0] in META_KEYS or head[0] in ("raw", "origin", "original", "import", "export"))


def with_unit(key: str, value: str) -> tuple[str, str]:
    """A unit written into the key moves to the value: `depth_m: 40` -> (`depth`, `40 m`)."""
    unit = _UNIT.search(key)
    if unit:
        return key[: unit.start()], f"{value} {unit.group(1)}"
    return key, value


# A place said with its own preposition or participle ("with Jinx", "Buried in the graveyard"):
# "Toodle is with Jinx.", never "Toodle is in with Jinx."
_PLACED = re.compile(r"^(?:in|at|on|near|with|under|inside|outside|beside|by|beyond|behind|above|below|between|among|along|across|[a-z]+ed)\b", re.I)


def fact_templates(key: str, words: str, value: str, names_person: bool) -> tuple[str, str]:
    """(question, answer) templates for a fact; a fact no template knows that names a person asks who."""
    question, answer = FACT_TEMPLATES.get(key) or _fact_template(words, value)
    if key not in FACT_TEMPLATES and names_person and question.startswith("What is the "):
        question = f"Who is the {words} of {{t}}?"  # (not "Who is the developed by of ...?": it asks who already)
    if " is in {v}" in answer and _PLACED.match(value):
        answer = answer.replace(" is in {v}", " is {v}")
    return question, answer


YES_NO = {"yes": "Yes", "true": "Yes", "no": "No", "false": "No"}
_QUALITY = re.compile(r"(?:ible|able|ed|ive|al)$|^(?:free|stable|official|open|public|private|ready)$")  # a word saying what a thing is


def _fact_template(words: str, value: str) -> tuple[str, str]:
    """A question for a fact no template knows: "license decided: 2023-11-14" -> "When was {t}'s
    license decided?"; ("", "") for a key no template can phrase."""
    *thing, last = words.split()
    if not thing and last.endswith("ed") and _DATE.match(value):
        on = "on" if len(value) == 10 else "in"
        return f"When was {{t}} {last}?", f"{{t}} was {last} {on} {{v}}."
    if thing and last.endswith("ed") and _DATE.match(value):
        return f"When was {{t}}'s {' '.join(thing)} {last}?", f"{{t}}'s {' '.join(thing)} was {last} on {{v}}."
    if len(thing) == 1 and last == "by":  # "Developed by: denolehov" -> "Who developed Obsidian Git?"
        return f"Who {thing[0]} {{t}}?", f"{{t}} was {thing[0]} by {{v}}."
    if last in PREPOSITIONS or last == "of":  # "the available for of X" is no English
        if len(thing) == 1 and (_QUALITY.search(thing[0]) or last == "of"):  # "Available for: Windows", "Part of: [[Series]]"
            return f"What is {{t}} {words}?", f"{{t}} is {words} {{v}}."
        return "", ""  # "Runs on", "Works with": a verb whose forms no template knows
    answer = YES_NO.get(value.strip().casefold())
    if answer is not None and _QUALITY.search(last):  # "Mobile compatible: Yes" -> "Is Obsidian Git mobile compatible?"
        return f"Is {{t}} {words}?", f"{answer}, {{t}} is {'' if answer == 'Yes' else 'not '}{words}."
    plural = words.endswith("s") and not words.endswith(("ss", "us", "is", "species", "series"))
    if plural and re.fullmatch(r"[\d,.]+", value):
        return f"How many {words} does {{t}} have?", f"{{t}} has {{v}} {words}."
    verb = "are" if plural else "is"
    return f"What {verb} the {words} of {{t}}?", f"The {words} of {{t}} {verb} {{v}}."


# -- headings ----------------------------------------------------------------------------------------


def heading_question(doc: Doc, unit: Unit) -> str:
    """The question a section answers, from its heading; "" for a heading that holds no answer
    ("See also") or whose words make no question a person would write (see `heading_phrases`)."""
    heading = without_aside(clean(unit.heading))
    if not heading or only_tags(unit):
        return ""  # ("## Tags" over "^Tags: #item #rarity_rare": the page's labels, nothing a reader asks)
    title, titled = subject_of(doc.title), not task_title(doc.title, doc.plain)
    if heading.casefold().startswith(("related ", "see also ")):
        return ""  # "Related concepts", "Related categories": pointers to other pages
    template = HEADING_TEMPLATES.get(heading.casefold().rstrip("?:"))
    platform = PLATFORMS.get(heading.split()[0].casefold())
    if platform:  # a platform's variant, not a thing of the page's ("Settings' mobile", "Sidebar's desktop and larger tablets")
        return f"How does {title} work on {platform}{heading[len(platform):].rstrip('?:')}?" if titled else ""
    if template is not None:
        return template.format(t=title) if template and titled else ""
    if heading.endswith("?"):  # "Who is this for?" -> "Who is Obsidian Hub for?"; "what is it?" starts as a sentence does
        asked = re.sub(r"\bthis(?= (?:for|about|in|on|used|good)\b)", title, heading) if titled else heading
        return asked[:1].upper() + asked[1:]
    compared = comparison(heading, title if titled else "", "do" if be(doc) == "are" else "does", lambda one: lower_first(one, _context(doc, heading), proper_names(doc)))
    clause = compared if compared is not None else clause_question(heading, doc.title)
    if clause or compared is not None:
        return clause
    if heading.split()[0].casefold() in _WH:  # "How Obsidian stores data", "What formulas can do"
        return _about(wh_question(heading) or "", title if titled else "")
    todo = task(heading, doc.plain, said=doc.plain)
    if todo is not None and len(todo.split()) <= 9:  # "Recover a snapshot", "Formatting text"
        todo = lower_first(todo, _context(doc, heading))
        # "in <title>" names where a task is done ("recover a snapshot in File recovery"), unless the title
        # joins words: a topic ("Security and privacy", "Plans and storage limits"), no place
        place = f" in {title}" if titled and not covers(todo, title) and not compound_title(title) and " in " not in todo else ""
        if place and todo.split()[-1] in ("in", "up", "out", "on", "off", "back"):
            place = f" to {title}" if todo.split()[-1] == "in" else ""  # "log in to X", not "log in in X"
        return f"How do I {todo}{place}?"
    if todo is not None or statement(heading) or unknown_verb_phrase(heading) or len(heading.split()) > 6:
        return ""  # a task too long to ask, a sentence
    if unit.sentences:
        match = COPULA.match(unit.sentences[0])
        if match and set(re.findall(r"\w+", heading.casefold())) <= set(re.findall(r"\w+", match.group("subject").casefold())):
            return f"What {'are' if match.group('verb') in ('are', 'were') else 'is'} {lower_first(match.group('subject'))}?"
    return _topic_question(doc, heading, title, titled)


_NO_ARTICLE = frozenset("new latest recent upcoming other more top best popular featured notable".split())


def without_aside(heading: str) -> str:
    """A heading without an aside after a dash ("Naive lock — simple and broken" -> "Naive lock"); a
    dash inside brackets belongs to the bracket's aside, which goes whole ("LOW Severity (Exempt —
    Contract Validation)" -> "LOW Severity", never "LOW Severity (Exempt")."""
    kept = re.split(r"\s[\u2014\u2013]\s", heading)[0]
    opened = max(kept.rfind("("), kept.rfind("["))
    if opened >= 0 and kept.rfind(")" if kept[opened] == "(" else "]") < opened:
        kept = kept[:opened].rstrip(" ,;:")
    return kept


def _topic_question(doc: Doc, heading: str, title: str, titled: bool) -> str:
    """A noun-phrase heading: "Filters" -> "What are Graph view's filters?"; standing alone when it
    names the page already ("Foldable callouts") or the title is a task; "in <title>" after a title
    whose possessive reads badly ("Help and support")."""
    topic = re.sub(r"^(the|a|an|all)\s+", "", heading, flags=re.IGNORECASE)
    lowered = lower_first(topic, _context(doc, heading), proper_names(doc))
    verb = "are" if _plural(lowered) or heading.casefold().startswith("all ") else "is"
    if doc.source and titled:
        # "... say about the proposal", "... about the problem statement": one thing in a word or two takes "the";
        # a plural ("key facts"), a name ("Mooring Counts") or a phrase ("childhood on the quay") none
        about = lower_first(heading, doc.plain)
        words = about.split()
        one = about[:1].islower() and len(words) <= 2 and not _plural(about) and not set(words) & (PREPOSITIONS | _NO_ARTICLE | {"the", "a", "an", "of"})
        the = "the " if one else ""
        return f"What does {doc.title} say about {the}{about}?"
    if ":" in heading:
        return ""  # a label and its text ("Scenario: Test passes")
    alone = f"What {verb} {_article(doc, lowered, verb)}{lowered}?"
    left, _, right = topic.partition(" and ")  # "Daily notes and properties"; "Sidecars and coupling" on Sidecar Pattern
    if right and (covers(left, title) or (said_of(left, title) and not compound_title(title))):
        return f"How {'do' if be(doc) == 'are' else 'does'} {title} work with {lower_first(right, doc.plain)}?"
    if names(doc, heading) or covers(topic, title):  # "Foldable callouts" on Callouts, "Inner shelf" on the Shelf
        return alone
    if not titled:
        return alone if len(topic.split()) > 1 else ""
    if "'s " in topic:  # "Reinholt's model" names its owner already
        return f"What is {topic}?"
    past = _past_title(topic, title)
    if past != topic:  # "Scene 227 Summary" on "Aurelius — Scene 227": "... Scene 227's summary", not "'s Scene 227 Summary"
        heading = topic = past
        lowered = lower_first(topic, _context(doc, past), proper_names(doc))
        verb = "are" if _plural(lowered) else "is"
    if compound_title(title):
        the = "the " if lowered[:1].islower() and lowered.split()[0] not in _NO_ARTICLE else ""
        return f"What {verb} {the}{lowered} in {title}?"  # "the description in Boots of Haste"; "new in Community Plugins" is no noun
    like = " like" if topic != heading else ""
    return f"What {verb} {possessive(title)} {lowered}{like}?"


def said_of(words: str, title: str) -> bool:
    """Whether `words` name the title's thing in fewer words or in another form of them: `part_of`,
    or each word sharing its stem with one of the title's ("Session tracking" of Session Tracked
    Services, "Scene 227" of "Aurelius — Scene 227")."""
    if part_of(words, title):
        return True
    have, want = [stem(w) for w in re.findall(r"\w+", words.casefold())], stems(title)
    return bool(have) and all(w in want for w in have)


def _past_title(heading: str, title: str) -> str:
    """A heading less its first words when they only say the page's thing again: "Scene 227
    Summary" on "Aurelius Caesar — Scene 227" is its summary, "Session tracking and the base
    pattern" on Session Tracked Services is left whole (what follows "and" is another thing)."""
    words = heading.split()
    cut = next((cut for cut in range(len(words) - 1, 0, -1) if said_of(" ".join(words[:cut]), title)), 0)
    rest = words[cut:]
    if cut < 2 or not rest[0][:1].isalpha() or rest[0].casefold() in _JOINING:
        # "Callouts in Live Preview", "Sidecars and coupling": the page's thing in a phrase; "Mesh Size Calculation" on
        # Mesh Settings, "Wrapper Controls" on Wrapping: one word shared is a kind of the thing, not the thing again
        return heading
    return " ".join(rest)


_JOINING = PREPOSITIONS | FUNCTION_WORDS | frozenset("and or vs versus".split())


def _article(doc: Doc, topic: str, verb: str) -> str:
    """"the " for one thing: one of the page's subject ("Inner shelf" on *Greywater Shelf*, alias "the
    Shelf"), or one the page writes so ("the metadata cache"); "" for "gifting" or a plural."""
    if verb != "is" or topic[:1].isupper():
        return ""  # a plural, or a name ("Receiving Obsidian Credit" is no "the ...")
    return "the " if names(doc, topic) or f"the {topic.casefold()}" in doc.plain.casefold() else ""


def _plural(topic: str) -> bool:
    """"Open source projects", "Terms of service", "UI and interactions": the head (before a preposition, a clause or an aside:
    "hit rate as a ...", "Goals (s. 19)") or a list is plural; a name before its last word ("Kubernetes implementation") is none."""
    head = re.split(r"\s+(?:of|for|in|on|with|to|from|by|between|per|as|that|which)\s+|\s+[(\u2014\u2013]", topic, maxsplit=1)[0].split()
    nouns = [w for w in head[:-1] if not w[:1].isupper()] + head[-1:]  # (`topic` as `lower_first` leaves it: names keep capitals)
    return " and " in topic or any(w.endswith("s") and not w.endswith(("ss", "is", "us", "'s", "news")) for w in nouns)


def _about(question: str, title: str) -> str:
    """What a clause leaves unsaid is the page: "How does Cobalt enforce it?" -> "... enforce Data
    Provenance?"; "Why does the Observatory care?" -> "... care about Data Provenance?"."""
    *words, last = question.rstrip("?").split() or [""]
    if not title or not words:
        return question
    if last in ("it", "them"):
        return " ".join([*words, title]) + "?"
    if last in _ABOUT_VERBS and words[1] in ("does", "do"):
        return " ".join([*words, last, "about", title]) + "?"
    return question


def _context(doc: Doc, heading: str) -> str:
    """The page's sentences, less the heading's own words where a link repeats them
    ("refer to [[#Supported types]]"): a link to a heading is no evidence that a word is a name."""
    plain = doc.plain
    return plain.replace(heading, "") if heading in plain else plain


# -- phrasing ----------------------------------------------------------------------------------------


def who(doc: Doc) -> str:
    """How a question asks what the page's subject is: "Who" for a person, else "What"."""
    return "Who" if doc.person else "What"


def be(doc: Doc) -> str:
    """"are" for a plural subject ("Internal Waves", "Sediment Plumes"), else "is"."""
    words = doc.title.split()
    plural = not doc.person and len(words) > 1 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is"))
    return "are" if plural else "is"
