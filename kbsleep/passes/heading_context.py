"""How a heading reads among the rest of its page: as one of a run of tasks, and where its task is done.

What a heading's own words cannot settle, the page's other headings and its sentences can:

- "View hotkeys" is a task or a thing ("view settings"): beside "Set a hotkey" and "Remove a
  hotkey" it is a task, as the headings next to it are (`sibling_task`);
- "How do I close tabs?" on *Sidebar* needs the page to say where ("... in the sidebar"), while
  "How do I link to a file?" on *Internal links* is about the page's topic already, and "in
  Internal links" would read as a place that is none (`place`);
- "Set up using CloudFlare" sets up the page's thing, as the page names it ("a custom domain",
  `thing`); "Create new vault" drops the article the page writes ("a new vault", `counted`).
"""

from __future__ import annotations

import re

from kbsleep.passes.citable_units import Doc
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
    if common != title and re.search(rf"\b{re.escape(common)}\b", doc.plain):
        return f" in {common}"  # a thing the page writes in lower case: "use operators in formulas", "open a link in tabs"
    # a task on one thing ("fix the issues", "create note") says little alone: the title says whose
    said = [w for w in re.findall(r"[a-z]\w+", " ".join(todo.split()[1:]).casefold()) if w not in _FUNCTION]
    return f" in {title}" if len(said) <= 1 else ""


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
