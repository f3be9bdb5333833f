"""The table of fact templates, and how a fact (`population: 41,000`) becomes a question: through
`FACT_TEMPLATES`, or phrased from its key when no template knows it. `{t}` is the page title, `{v}`
the value. Split from `question_templates` (headings)."""

from __future__ import annotations

import re
from collections.abc import Callable

from kbsleep.obsidian import FILE_FORMATS
from kbsleep.passes.heading_phrases import PREPOSITIONS
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
    "description note notes comment comments confidence related fetched retrieved accessed original_url reviewed last_reviewed links uid".split()
)
# Keys a site generator reads to name, place or serve the page, not facts about its subject; each
# with the values it takes there (a taxonomic `order: Lepidoptera` or `lang: Rust` stays a fact).
PUBLISHING_KEYS: dict[str, Callable[[str], bool]] = {
    "slug": lambda v: True,  # the page's URL name (Hugo's and Docusaurus's front matter)
    "nav_order": lambda v: True,  # Just the Docs' navigation order
    "sidebar_position": lambda v: True,  # Docusaurus
    "sidebar_label": lambda v: True,  # Docusaurus
    "order": lambda v: bool(re.fullmatch(r"-?\d+", v)),  # a sidebar position (VuePress's theme helper, vitepress-sidebar-builder)
    "lang": lambda v: bool(re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", v)),  # the page's language tag (`page.lang` in Jekyll's Minima)
}
PAGE_STATES = frozenset("stable draft stub seedling sprout budding evergreen wip placeholder canonical".split())  # a page's maturity
# The keys that say how finished a page is: `status`, and a digital garden's `growth` or `stage`
# ("seedling", "budding", "evergreen": the stages of growth digital gardens borrow from Maggie Appleton)
PAGE_STATE_KEYS = frozenset("status growth stage maturity".split())
FUNCTION_WORDS = frozenset("since until from to via with by for of in on at as and or but then".split())

# A value that is a sentence of its own ("This feature is unavailable on ...") is prose, not a fact.
_SENTENCE_VALUE = re.compile(r"^\S+(\s+\S+){5,}[.!?]$")
_UNIT = re.compile(r"_(m|km|cm|mm|kg|t|ft|nm|s|h|min|m2|km2)$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# -- facts ------------------------------------------------------------------------------------------


def asked_about(key: str, value: str) -> bool:
    """Whether readers ask about a fact: its key describes the subject, and its value is a value, not prose."""
    # "**Since:** 2019" continues a line above (no attribute); "status: stable" says how finished an LLM wiki's page is
    if key.replace("_", " ").strip() in FUNCTION_WORDS or key in PAGE_STATE_KEYS and value.strip().strip("\"'").casefold() in PAGE_STATES:
        return False
    # a value with no letter or digit ("species: -", "class: —") is a blank the template left
    if key in PUBLISHING_KEYS and PUBLISHING_KEYS[key](value.strip().strip("\"'")) or _attachment(value):
        return False
    return key not in META_KEYS and not _meta_pointer(key) and not timestamp_key(key) and any(ch.isalnum() for ch in value) and not _SENTENCE_VALUE.match(value.strip())


# The files Obsidian shows as attachments: every format it opens but notes, bases and canvases.
_ATTACHMENT = re.compile(r"(?i)\.(?:%s)$" % "|".join(f for f in FILE_FORMATS if f not in ("md", "base", "canvas")))


def _attachment(value: str) -> bool:
    """Whether a value is only a picture or another attachment, by path, URL or embed ("banner:
    99-Attachment/banner/true.jpg", "cover: ![[cover.png]]"): it decorates the page, and "What is
    the banner of 2022-04-02?" asks nothing a reader wants."""
    target = value.strip().strip("\"'").removeprefix("!").removeprefix("[[").removesuffix("]]")
    return _ATTACHMENT.search(target.split("|")[0].split("#")[0].split("?")[0].strip()) is not None


_POINTERS = frozenset("file path url uri link id hash ref page".split())


def _meta_pointer(key: str) -> bool:
    """A key naming where the page came from or lives ("source_file", "source_url", "raw_path"): the
    page's bookkeeping, like `source`; no reader asks "What is the source file of Scene 266?"."""
    *head, last = key.split("_")
    return bool(head) and last in _POINTERS and (head[0] in META_KEYS or head[0] in ("raw", "origin", "original", "import", "export"))


def titled_number(key: str, value: str, title: str) -> bool:
    """Whether the title gives a fact already: its value, with a figure, after its key's first word ("scene_number:
    266" on "Aurelius — Scene 266"); not "appearances: 4" on "Cell 4" (another number), nor "plugin id: obsidian-git"."""
    said, words = _figures(value), _figures(title)  # ("scene_number: 5" on "Scene 005")
    return (
        any(ch.isdigit() for ch in value) and key.split("_")[0] in words
        and any(words[i : i + len(said)] == said for i in range(len(words) - len(said) + 1))
    )


def _figures(text: str) -> list[str]:
    return [w.lstrip("0") or "0" if w.isdigit() else w for w in re.findall(r"\w+", text.casefold())]


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
    """(question, answer) templates for a fact; a fact no template knows that names a person asks who.
    A label's own article goes: the template says its own ("**The Theorem**:" -> "What is the theorem of {t}?")."""
    words = re.sub(r"^(?:the|a|an) (?=\S)", "", words, flags=re.IGNORECASE)
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
