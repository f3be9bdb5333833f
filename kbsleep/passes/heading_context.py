"""How a heading reads among the rest of its page: as one of a run of tasks, and where its task is done.

What a heading's own words cannot settle, the page's other headings and its sentences can:

- "View hotkeys" is a task or a thing ("view settings"): beside "Set a hotkey" and "Remove a
  hotkey" it is a task, as the headings next to it are (`sibling_task`);
- "How do I close tabs?" on *Sidebar* needs the page to say where ("... in the sidebar"), while
  "How do I link to a file?" on *Internal links* is about the page's topic already, and "in
  Internal links" would read as a place that is none (`place`);
- "Set up using CloudFlare" sets up the page's thing, as the page names it ("a custom domain",
  `thing`); "Create new vault" drops the article the page writes ("a new vault", `counted`), as
  "Mobile toolbar" does ("the mobile toolbar", `as_written`);
- "## Git" is a name where the page writes "a Git repository", "## Widgets" a label where it
  writes "select Widgets." (`context`).
"""

from __future__ import annotations

import re

from kbsleep.passes.citable_units import Doc, names
from kbsleep.passes.heading_phrases import AMBIGUOUS_VERBS, PREPOSITIONS, clean, task
from kbsleep.search.words import singular, stem

_FUNCTION = PREPOSITIONS | frozenset("a an the and or of my your its".split())
# A task that names where it ends ("Move a file to a different window") needs no other place.
_PLACED = re.compile(r"\b(?:in|into|to|onto|from|on|within)\s+(?:a|an|the|my|your|this|another|other|different|\w+s\b)", re.I)
# What follows a thing the page names as a whole ("the sidebar is", "the sidebar on the left"), not as a modifier
_AFTER_PLACE = PREPOSITIONS | frozenset("is are and or lets shows opens you".split())


def sibling_task(doc: Doc, written: str, heading: str) -> str | None:
    """The task a heading led by a word that is a verb or a noun ("View", "Filter", "Publish") names
    when the headings beside it (same level, same parent) are tasks at least as often as not
    (headings like it aside) and act on what it acts on: "View hotkeys" beside "Set a hotkey" and
    "Remove a hotkey" -> "view hotkeys". None otherwise, and when a sibling that is no task starts
    with the same word ("Search terms", "Search fields": a run of names)."""
    words = heading.split()
    if len(words) < 2 or words[0].casefold() not in AMBIGUOUS_VERBS or not all(w[:1].islower() or w.isupper() for w in words[1:]):
        return None
    headings = doc.page.headings
    at = next((i for i, h in enumerate(headings) if clean(h.text) == clean(written)), None)
    if at is None:
        return None
    level = headings[at].level
    start = next((i + 1 for i in range(at - 1, -1, -1) if headings[i].level < level), 0)
    end = next((i for i in range(at + 1, len(headings)) if headings[i].level < level), len(headings))
    siblings = [c for i, h in enumerate(headings[start:end], start) if h.level == level and i != at and (c := clean(h.text))]
    tasks = [s for s in siblings if task(s, doc.plain, said=doc.plain) is not None]
    acted = {w for s in tasks for w in _objects(" ".join(s.split()[1:]))}
    # like this one: led by a word that is a verb or a noun, acting on what the tasks act on ("Filter hotkeys")
    alike = [s for s in siblings if s not in tasks and s.split()[0].casefold() in AMBIGUOUS_VERBS and _objects(" ".join(s.split()[1:])) & acted]
    same = [s for s in siblings if s.split()[0].casefold() == words[0].casefold() and s not in tasks and s not in alike]
    if len(tasks) < 2 or len(tasks) < len(siblings) - len(tasks) - len(alike) or same:
        return None
    # and on what they act: "View hotkeys" beside "Set a hotkey"; not "Drop destinations" beside "Drag tabs"
    if not _objects(" ".join(words[1:])) & acted:
        return None
    return " ".join([words[0].casefold(), *words[1:]])


def place(doc: Doc, todo: str, title: str) -> str:
    """Where a task is done, after "How do I <todo>", as the page itself says it: "" when the task
    names the page's topic already (a word of the title, in any form: "link to a file" on *Internal
    links*, "enable 2FA" on *2-factor authentication*) or a place of its own ("move a file to a
    different window"); " in the sidebar" (" on the canvas") when the page writes the title so; " in
    Obsidian CLI" for a name the page writes bare mid-sentence ("running Obsidian CLI"); " in formulas"
    for a thing it writes in lower case; else "": a topic is no place ("get my forum badge in Catalyst
    license", the page writing "a Catalyst license")."""
    if shares(todo, title) or _PLACED.search(todo):
        return ""
    after = "|".join(sorted(_AFTER_PLACE))
    found = re.findall(rf"\b(in|on) the ({re.escape(title)})(?=\s*[.,;:)!?]|\s+(?i:{after})\b)", doc.plain, re.IGNORECASE)
    if found:
        preposition, written = max(found, key=found.count)
        return f" {preposition.casefold()} the {written}"
    for bare in re.finditer(rf"(?<=[a-z,;] ){re.escape(title)}(?=\s*[.,;:)!?]|\s+(?:{after}|can|will|to)\b)", doc.plain):
        before = doc.plain[: bare.start()].split()[-1].strip(",;")
        if before.casefold() not in _DETERMINING:  # ("a Catalyst license", "The Catalyst license is": a thing, no name)
            return f" in {title}"
    common = title.casefold()
    last = common.split()[-1]
    written = [m.group(1) for m in re.finditer(rf"(?:\b(a|an|the|your|this) )?(?<![\w/.-]){re.escape(common)}(?![\w/-])", doc.plain)]
    if common != title and written:
        # things the page writes in lower case, in its words (not a path's "publish/permalinks"): "use operators in
        # formulas", "open a link in tabs", "define icons in map view" ("create a map view"); one thing never
        # counted is a topic, no place ("apply for an exemption in sales tax", "assign a variable in logic")
        return f" in {common}" if singular(last) != last or any(written) else ""
    # a task on one thing ("fix the issues", "create note") says little alone: the title says whose
    said = [w for w in re.findall(r"[a-z]\w+", " ".join(todo.split()[1:]).casefold()) if w not in _FUNCTION]
    return f" in {title}" if len(said) <= 1 else ""


def other_than(doc: Doc, rest: str, title: str, titled: bool) -> str:
    """Of what "Other offenses", "More options" are more, after "What other <rest> are there": " in
    <title>" on a page named by a thing ("... formats are there in Core tools?"), " to <task>" on one
    named by a task ("More options" on *Import from Evernote*: "... options are there to import from
    Evernote?"); "" when the words name the page's thing already ("Other tools" on *Core tools*) or
    the title is neither (a clause, "How Obsidian stores data")."""
    todo = (title if titled else task(doc.title, doc.plain)) or ""
    return "" if not todo or shares(rest, todo) else f" in {todo}" if titled else f" to {todo}"


_DETERMINING = frozenset("a an the your my our this that its their his her each every".split())


def shares(todo: str, title: str) -> bool:
    """Whether `todo` says a content word of `title` (by stem), or its initials ("2FA" for
    "2-factor authentication")."""
    words = [w for w in re.findall(r"\w+", title.casefold())]
    if _objects(todo) & _objects(" ".join(w for w in words if w[:1].isalpha())):
        return True
    initials = "".join(w[0] for w in words if w not in _FUNCTION)
    return any(len(w) > 1 and w.isupper() and w.casefold() == initials for w in todo.split())


def _objects(words: str) -> set[str]:
    # each word in every form ("alias", "aliases" meet in one of them)
    return {f for w in re.findall(r"[a-z]\w+", words.casefold()) if w not in _FUNCTION for f in (w, singular(w), stem(w), stem(singular(w)))}


def thing(doc: Doc, title: str) -> str:
    """The page's thing as an object, as the page writes it: "a custom domain" for *Custom domains*
    when the page says so, else the title."""
    one = singular(title.casefold())
    found = re.search(rf"\b(a|an|the|your) {re.escape(one)}\b", doc.plain)
    if found:
        return f"{'my' if found.group(1) == 'your' else found.group(1)} {one}"
    return title.casefold() if re.search(rf"\b{re.escape(title.casefold())}\b", doc.plain) else title


_PARTICLES = frozenset("up out off back down over away".split())
_ADJECTIVES = frozenset("new existing empty blank old single".split())


def counted(todo: str, said: str) -> str:
    """A task with the article a headline drops, where the page counts the thing: "create new vault"
    -> "create a new vault", "move tab to a new window" -> "move a tab to ..." (the page writes "a
    vault", "a tab"); "add credit" stays, the page never writing "a credit"."""
    words = todo.split()
    at = 2 if len(words) > 2 and words[1] in _ADJECTIVES else 1
    if len(words) <= at or words[1] in _DETERMINING:
        return todo
    noun = words[at]
    if not noun.isalpha() or not noun.islower() or noun in PREPOSITIONS | _PARTICLES or noun.endswith(("s", "ing", "ed", "ly")):
        return todo
    if len(words) > at + 1 and words[at + 1] not in PREPOSITIONS:
        return todo  # "change sort order": a noun before a noun, not the thing itself
    adjective = f"(?:{words[1]} )?" if at == 2 else ""
    # "a vault." or "a tab in ...": the thing counted; "an encryption upgrade" counts upgrades
    if not re.search(rf"\b(?:a|an) {adjective}{noun}(?=\s*[.,;:)!?]|\s+(?:{'|'.join(sorted(_AFTER_PLACE))}|that|to)\b)", said, re.IGNORECASE):
        return todo
    article = "an" if words[1][0] in "aeiou" else "a"
    return " ".join([words[0], article, *words[1:]])


def context(doc: Doc, heading: str) -> str:
    """The page's sentences as evidence of how it writes a heading's words: a one-word heading written
    in a phrase stays ("create a Git repository" under "## Git", "a Markdown file": a name), written
    alone it goes ("Select Widgets": the heading's own label, no name); a longer heading goes (a
    label the page writes as the app does, "in the Version history"), as does one the page sets off
    as a label ("the **App storage** option"), and the text of a link that holds it ("refer to
    [[#Supported types]]", "develop [[Community plugins]]" under "### Community": another page's name)."""
    plain = doc.plain
    for link in doc.page.links:
        shown = link.display or (link.heading_path[-1] if link.heading_path else link.target)
        if shown and heading.casefold() in shown.casefold() and shown.casefold() != heading.casefold():
            plain = plain.replace(shown, " ")
    if heading not in plain:
        return plain
    one = " " not in heading and singular(heading) == heading
    if not one or re.search(rf"(?<=[a-z,] )(\*\*|__|[*_\"“]){re.escape(heading)}(\1|[*_\"”])", doc.page.text):
        # "the **App storage** option", "in the Version history": a label of the app's, capitalised as labels are
        # ("**Git** is ...", bold where it is defined, is no label)
        return plain.replace(heading, " ")
    # one word kept between two lower-case words ("a Git repository"), gone elsewhere
    return re.sub(rf"(?<!\S)(\S*)( ?){re.escape(heading)}(?= [a-z])|(?<!\w){re.escape(heading)}(?!\w)", _in_a_phrase, plain)


def _in_a_phrase(found: re.Match[str]) -> str:
    before = found.group(1)
    if before is not None and before.isalpha() and before.islower() and found.group(2):
        return found.group(0)
    return f"{before or ''}{found.group(2) or ''} "


def as_written(doc: Doc, topic: str, verb: str) -> str:
    """One thing with the article the page writes it with: "the metadata cache", "the mobile toolbar"
    (one of the page's subject, as "Inner shelf" on *Greywater Shelf*, alias "the Shelf", or one the
    page writes so), "a tax exemption" (one it counts, in the case it writes it: a heading's "Tax
    exemption"); as it stands for "gifting", a plural, a name, or a thing the page writes bare."""
    if verb != "is" or topic.split()[-1].endswith("ing") or topic.split()[0].casefold() in ("the", "a", "an"):
        return topic  # a plural, a gerund ("gifting"), one with its article already
    said = doc.plain.casefold()
    if not topic[:1].isupper() and (names(doc, topic) or f"the {topic.casefold()}" in said):
        return f"the {topic}"
    # "a tax exemption." or "a tax exemption via ...": the thing counted; "a tax exemption certificate" counts certificates
    lower = topic[:1].lower() + topic[1:]
    after = "|".join(sorted(_AFTER_PLACE))
    found = re.search(rf"\b(?i:(a|an|the)) {re.escape(lower)}(?=\s*[.,;:)!?]|\s+(?:{after}|that|to)\b)", doc.plain)
    if found is None or (topic[:1].isupper() and names(doc, topic)):
        return topic  # a name ("Receiving Obsidian Credit" is no "the ..."), or a thing written bare
    return f"{found.group(1).casefold()} {lower}"
