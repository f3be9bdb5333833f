"""The table of heading templates, and how a section heading becomes a question.

A heading (`## Licensing`) is asked through `HEADING_TEMPLATES`, or phrased from its words
("Recover a snapshot" -> "How do I recover a snapshot in Cobalt?"). `{t}` is the page title. A
fact's questions are `fact_questions`'.
"""

from __future__ import annotations

import re

from kbsleep.passes.citable_units import COPULA, Doc, Unit, lower_first, names, only_tags, possessive, proper_names
from kbsleep.passes.heading_context import as_written, context, counted, other_than, place, shares, sibling_task, thing
from kbsleep.passes.heading_phrases import (
    PREPOSITIONS,
    AMBIGUOUS_VERBS,
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
    written_as_name,
)
from kbsleep.passes.fact_questions import FUNCTION_WORDS
from kbsleep.search.words import singular, stem, stems

PLATFORMS = {name.casefold(): name for name in "desktop mobile Windows macOS Linux iOS Android".split()}
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
    "troubleshoot": "How do I troubleshoot {t}?",
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
# Headings an LLM wiki's template writes over every page ("## Definition", "## Connections"): labels of the
# page's own parts, asked of the page ("What is PrimeMesh?", not "What is PrimeMesh's definition?"), unless the
# section's text names the word: then it is a thing of the subject's (a web page's `description`). ("## Description"
# stays a topic: "What is the description in Boots of Haste?" asks for the item's text, which no other wording does.)
LABEL_TEMPLATES: dict[str, str] = {
    "definition": "What {be} {t}?",
    "connections": "What {be} {t} connected to?",
}
_WH = frozenset("how why where when what who which".split())
_PARTICLES = ("in", "up", "out", "on", "off", "back")
_POINTERS = frozenset("resources links references sources reading".split())
_CODE = re.compile(r"`[^`]+`")
_ABOUT_VERBS = frozenset("care know think worry talk".split())  # "... care about X", "... know about X"
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
    label = LABEL_TEMPLATES.get(heading.casefold().rstrip("?:"))
    if label is not None and not re.search(rf"\b{heading.casefold().rstrip('?:s')}", " ".join([*unit.sentences, *unit.items]).casefold()):
        template = label.replace("{be}", be(doc))
    words = heading.split()
    # the platform alone or with another ("Desktop and larger tablets"); "Mobile toolbar" is a thing of the page's
    platform = PLATFORMS.get(words[0].casefold()) if len(words) == 1 or words[1].casefold() in ("and", "or", "devices", "only") else None
    if platform:  # a platform's variant, not a thing of the page's ("Settings' mobile", "Sidebar's desktop and larger tablets")
        return f"How does {title} work on {platform}{heading[len(platform):].rstrip('?:')}?" if titled else ""
    if template is not None:
        return template.format(t=title) if template and titled else ""
    if 1 < len(words) <= 3 and words[-1].casefold() in _POINTERS:
        return ""  # "Important resources", "Useful links": pointers elsewhere, as "Resources" is
    if _CODE.fullmatch(heading):  # "`date()`" on Functions, "`ob sync`" on Headless Sync: a name in code does something
        kind = singular(title).casefold() if titled and len(title.split()) == 1 and title.endswith("s") else ""
        return f"What does the {heading} {kind} do?" if kind else f"What does {heading} do?" if heading.endswith(")`") or " " in heading else f"What is {heading}?"
    if len(words) == 1 and heading.casefold() in AMBIGUOUS_VERBS and not re.search(rf"\w[,;]? {re.escape(heading)}\b", doc.plain):
        return ""  # "Access", "Help": a verb or a noun alone, no thing of the page's that a reader would name so
    if heading.endswith("?"):  # "Who is this for?" -> "Who is Obsidian Hub for?"; "what is it?" starts as a sentence does
        asked = re.sub(r"\bthis(?= (?:for|about|in|on|used|good)\b)", title, heading) if titled else heading
        return asked[:1].upper() + asked[1:]
    compared = comparison(heading, title if titled else "", "do" if be(doc) == "are" else "does", lambda one: lower_first(one, context(doc, heading), proper_names(doc)))
    clause = compared if compared is not None else clause_question(heading, doc.title)
    if clause or compared is not None:
        return clause
    if heading.split()[0].casefold() in _WH:  # "How Obsidian stores data", "What formulas can do"
        return _about(wh_question(heading) or "", title if titled else "")
    # "Open via ribbon": open what? "View hotkeys" beside "Set a hotkey": a task as they are
    todo = _by_means(doc, unit.heading, heading) or task(heading, doc.plain, said=doc.plain) or sibling_task(doc, unit.heading, heading)
    if todo and len(words) > 2 and all(w[:1].isupper() for w in words) and re.search(rf"(?<=[a-z,;:] ){re.escape(' '.join(words[:2]))}\b", doc.plain):
        todo = None  # "Apply Scoping Wizard", the page writing "wizards: Apply Scoping and ...": a thing's name
    if todo is not None and len(todo.split()) <= 9:  # "Recover a snapshot", "Formatting text"
        todo = counted(lower_first(todo, context(doc, heading)), doc.plain)
        # "in <title>" names where a task is done ("recover a snapshot in File recovery", "close tabs in the sidebar"),
        # unless the task names the page's topic already (`place`) or the title joins words: a topic ("Security and
        # privacy", "Plans and storage limits"), no place
        where = place(doc, todo, title) if titled and not covers(todo, title) and not compound_title(title) else ""
        said = todo.split()
        if len(said) > 2 and said[1] in _PARTICLES and said[2] in ("using", "via", "with") and titled:
            # "Set up using CloudFlare" on Custom domains: set up what? the page's thing, as the page says it
            return f"How do I {' '.join(said[:2])} {thing(doc, title)} {' '.join(said[2:])}?"
        if where and todo.split()[-1] in _PARTICLES:
            where = " to" + where.removeprefix(" in") if todo.split()[-1] == "in" else ""  # "log in to X", not "log in in X"
        return f"How do I {todo}{where}?"
    if todo is not None or statement(heading) or unknown_verb_phrase(heading) or len(heading.split()) > 6:
        return ""  # a task too long to ask, a sentence
    if unit.sentences:
        match = COPULA.match(unit.sentences[0])
        if match and set(re.findall(r"\w+", heading.casefold())) <= set(re.findall(r"\w+", match.group("subject").casefold())):
            verb, subject = "are" if match.group("verb") in ("are", "were") else "is", match.group("subject")
            return f"What {verb} {as_written(doc, (lower_first(subject, context(doc, heading), proper_names(doc)) if ' ' not in subject else lower_first(subject)), verb)}?"  # "the mobile toolbar", as the page writes it
    return _topic_question(doc, heading, title, titled)


_MEANS = frozenset(("via", "using"))  # a task's means, where its object would stand ("Import from X", "Work with X" are whole)


def _by_means(doc: Doc, written: str, heading: str) -> str | None:
    """The task of a heading that names a means and no object ("Open via ribbon", "Enable via
    Command palette"): the task the heading above it names, by that means ("open Publish via
    ribbon" under "Open Publish"); None for any other heading, or when the heading above names
    no task ("Pay using a card" under "Payments" pays, and is asked as it stands)."""
    words = heading.split()
    if len(words) < 3 or words[1].casefold() not in _MEANS:
        return None
    headings = doc.page.headings
    at = next((i for i, h in enumerate(headings) if clean(h.text) == clean(written)), None)
    parent = next((h for h in reversed(headings[:at]) if h.level < headings[at].level), None) if at is not None else None
    if parent is None:
        return None
    words, (verb, means) = without_aside(clean(parent.text)).split(), (words[0].casefold(), " ".join(words[1:]))
    # the same verb above makes its heading a task ("Open Publish" over "Open via ribbon")
    done = " ".join([verb, *words[1:]]) if len(words) > 1 and words[0].casefold() == verb else task(" ".join(words), doc.plain, said=doc.plain)
    if done is None or done.split()[1] in _MEANS:
        return None
    return f"{done} {means}"


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
    topic, the_written = re.sub(r"^(the|a|an|all)\s+", "", heading, flags=re.IGNORECASE), heading.casefold().startswith("the ")
    lowered = lower_first(topic, context(doc, heading), proper_names(doc))
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
    if heading.casefold().startswith("all ") and not _plural(lowered.split()[-1]):
        return f"What is the {heading}?"  # "All properties view": a name, not all of something
    if verb == "are" and len(lowered.split()) > 1 and all(w[:1].isupper() and w[1:].islower() for w in lowered.split()) and written_as_name(lowered, doc.plain):
        verb = "is"  # "Google Analytics", written so mid-sentence: one thing's name
    more, _, rest = lowered.partition(" ")
    # "More formats", "Other plugins" on Core plugins, "Other offenses" in a code of conduct; "Waves' other duties" reads well
    if more.casefold() in ("other", "more") and rest and _plural(rest) and (more.casefold() == "more" or not titled or compound_title(title) or shares(rest, title)):
        return f"What other {rest} are there{other_than(doc, rest, title, titled)}?"
    alone = f"What {verb} {as_written(doc, lowered, verb)}?"
    left, _, right = topic.partition(" and ")  # "Daily notes and properties"; "Sidecars and coupling" on Sidecar Pattern
    if right and (covers(left, title) or (said_of(left, title) and not compound_title(title))):
        return f"How {'do' if be(doc) == 'are' else 'does'} {title} work with {lower_first(right, doc.plain)}?"
    if names(doc, heading) or covers(topic, title):  # "Foldable callouts" on Callouts, "Inner shelf" on the Shelf
        return alone
    if not titled:
        if len(topic.split()) < 2:
            return ""
        todo = task(doc.title, doc.plain) or ""
        said = lowered.split()
        verb = todo.split()[0] if todo.split()[:1] == doc.title.casefold().split()[:1] else ""
        generic = said[0].endswith("ed") or stem(said[0]) == stem(verb)  # "Supported content", "Import settings" on Import X
        if verb and generic and len(said) <= 3 and lowered.islower() and not set(said) & (PREPOSITIONS | {"and", "or"}):
            if not re.search(rf"\b{re.escape(lowered)}\b", doc.plain.casefold()):
                # a label the page's sentences never say, as every importer's page has it, on a page named by what
                # it tells to do: what it labels is the task's
                return f"{alone[:-1]} when I {todo}?"
        return alone
    if "'s " in topic:  # "Reinholt's model" names its owner already
        return f"What is {topic}?"
    past = _past_title(topic, title)
    if past != topic:  # "Scene 227 Summary" on "Aurelius — Scene 227": "... Scene 227's summary", not "'s Scene 227 Summary"
        # what is left keeps its article as the heading's own ("Default Cascades and the Domino Effect": "the Domino Effect")
        heading = topic = re.sub(r"^(the|a|an)\s+", "", past, flags=re.IGNORECASE)
        the_written = past.casefold().startswith("the ")
        lowered = lower_first(topic, context(doc, past), proper_names(doc))
        verb = "are" if _plural(lowered) else "is"
    if compound_title(title):
        # "the rules", "the description"; no "the" before a thing that is no count ("harassment", "live editing")
        # ("The Eisenberg-Noe Model": the heading's own "the" before a name)
        the = "the " if the_written or (lowered[:1].islower() and lowered.split()[0] not in _NO_ARTICLE and not (verb == "is" and uncounted(lowered))) else ""
        return f"What {verb} {the}{lowered} in {title}?"  # "the description in Boots of Haste"; "new in Community Plugins" is no noun
    words, lead = [w for w in re.findall(r"\w+", title.casefold()) if w not in FUNCTION_WORDS], topic.split()[0].casefold()
    if lead in words and (" " not in topic or lead == words[0] or as_written(doc, lowered, verb) != lowered):
        # the title's name again ("Catalyst tiers" on Catalyst license), or a thing the page counts ("a tax exemption"
        # on Sales tax); not "Model Setup" on Avellaneda-Stoikov Model, which says whose setup no other way
        if " " not in topic:
            return ""  # "Basic" on Basic Table Queries: a word of the title, a label of one of its parts
        # "Catalyst tiers" on Catalyst license: a possessive would say the name twice; one thing alone takes "the"
        # unless the page counts it ("a tax exemption") or it is no count ("URI format" -> "the URI format")
        one = verb == "is" and as_written(doc, lowered, verb) == lowered and lowered.split()[-1].islower() and not uncounted(lowered)
        return f"What is the {lowered}?" if one else alone
    like = " like" if topic != heading and not heading.casefold().startswith("all ") else ""
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
    if not cut or len(re.findall(r"\w+", " ".join(words[:cut]))) < 2 or not rest[0][:1].isalpha() or rest[0].casefold() in _JOINING:
        # "Callouts in Live Preview", "Sidecars and coupling": the page's thing in a phrase; "Mesh Size Calculation" on
        # Mesh Settings, "Wrapper Controls" on Wrapping: one word shared is a kind of the thing, not the thing again
        # ("Fail-Closed States" on "Fail-Closed Execution" shares two)
        return heading
    return " ".join(rest)


_JOINING = PREPOSITIONS | FUNCTION_WORDS | frozenset("and or vs versus".split())


def _plural(topic: str) -> bool:
    """"Open source projects", "Terms of service", "UI and interactions": the head (before a preposition, a clause or an aside:
    "hit rate as a ...", "Goals (s. 19)") or a list is plural; a name before its last word ("Kubernetes implementation") is none."""
    head = re.split(r"\s+(?:of|for|in|on|with|to|from|by|between|per|as|that|which)\s+|\s+[(\u2014\u2013]", topic, maxsplit=1)[0].split()
    nouns = [w for w in head[:-1] if not w[:1].isupper()] + head[-1:]  # (`topic` as `lower_first` leaves it: names keep capitals)
    left = topic.split(" and ")[0].split()
    if " and " in topic and nouns[-1].endswith("ing") and all(not w[:1].islower() or any(c.isupper() for c in w) for w in left):
        return False  # "iPhone and iPad syncing": one syncing, on two named things ("scalability and horizontal scaling" are two)
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


# -- phrasing ----------------------------------------------------------------------------------------


def who(doc: Doc) -> str:
    """How a question asks what the page's subject is: "Who" for a person, else "What"."""
    return "Who" if doc.person else "What"


def be(doc: Doc) -> str:
    """"are" for a plural subject ("Internal Waves", "Sediment Plumes"), else "is"."""
    words = doc.title.split()
    plural = not doc.person and len(words) > 1 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is"))
    return "are" if plural else "is"


_UNCOUNTED = re.compile(r"(?:ing|ment|ence|ance|ity|ness|ism)$")  # (not "-ion": "the description", "the option")


def uncounted(topic: str) -> bool:
    """Whether a topic's head is a thing that is no count, said without "the": a gerund ("live
    editing"), an abstract noun ("harassment", "belligerence"), a mass noun ("visitor data")."""
    head = re.split(r"\s+(?:of|for|in|on|with|to|from|by)\s+", topic, maxsplit=1)[0].split()[-1].casefold()
    return bool(_UNCOUNTED.search(head)) or head in ("data", "content", "information", "storage", "access", "sync", "help")
