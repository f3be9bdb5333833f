"""How well a heading or a sentence's purpose names the task a "how do I" question asks.

"How do I pin a command?" is answered under "Pin a command", not "Unpin a command"; "To open
today's daily note, either:" introduces the list that does it; "To embed an image:" states the
task that "You can also embed an externally hosted image ..." only touches. A name matches as
written, never through similar words (the vectors put "unpin" next to "pin"); the question's
words include the verbs its phrasal verbs stand for, so "turn on" names "Enable 2FA". A how-to
is not answered from pages whose retrieved sections never say its verb (`untold`).
"""

from __future__ import annotations

import math
import re

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from kbsleep.search.alike import shared
from kbsleep.search.question import task_verb, task_words, verbs
from kbsleep.search.words import stem, tokenize

if TYPE_CHECKING:
    from kbsleep.search.extract import Scored
    from kbsleep.search.question import Question
    from kbsleep.search.units import Unit

PURPOSE = re.compile(r"^to ([^,:;.]+)[,:]", re.I)  # "To embed a PDF:", "To open the Graph view, click ..."
MEANS = re.compile(r"^you can ([^,:;.]+?) (?:by|using|under) ", re.I)  # "You can make a callout foldable by adding a plus ...", "You can change X under Settings → ..."
_INSTRUCTION = re.compile(r"^(?:to [a-z]+\b|you can [a-z]+\b|(?:select|click|press|open|go to|type|choose|enter|drag|right-click)\b)", re.I)
_CAN = re.compile(r"^you can\b", re.I)
# what says how a thing is done: a means ("by dragging", "under Settings", "via the ribbon"), a
# menu path, a shortcut, a command, or a gesture on the interface
_HOW = re.compile(r"\b(?:by|using|via|through|under|with|from)\b|→|->|`|\b(?:ctrl|cmd|alt|shift|option)\b|[⌘⌥⇧⌃]"
                  r"|\b(?:select|selecting|click|clicking|press|pressing|tap|tapping|drag|dragging|right-click|type|typing|choose|enter|run|command)\b", re.I)
_CODE = re.compile(r"^\s*`[^`]+`\s*$")
NAMED = 0.75  # a name that matches this well names the task
TOLD = 0.5  # a unit on a page saying the task answers for a best unit on a page that never says it, when it scores this share of it
_OPENING = re.compile(r"^\s*(?:how (?:do|can|should|would) (?:i|we|you)|how to|is there a way to)\s+([a-z]+)\b")  # the task's verb, as written
_EMPTY_VERBS = frozenset("get do have go know let make try tell see give take put keep find use work be turn switch".split())  # verbs that name no task
_DETERMINERS = frozenset("a an the your this that it its these those my our their all every each".split())
_MEANS_TAIL = re.compile(r"\s+(?:via|using)\b.*$", re.I)  # "Open via Command palette" names a means, not what is opened


def says_what_to_do(text: str) -> bool:
    """Whether `text` says what to do: a step's wording ("Select ...", "To embed an image, ..."), or
    "You can ..." saying how ("You can reorder bookmarks by dragging them"); not a bare statement
    that a thing can be done ("You can open separate pop-out windows in Obsidian.")."""
    return _INSTRUCTION.match(text) is not None and (_CAN.match(text) is None or _HOW.search(text) is not None)


def named_task(name: str, asked: set[str]) -> float:
    """The geometric mean of the share of `name`'s words the question holds and the share of the
    question's words (`asked`, stemmed) `name` holds. A heading of one word the question uses
    ("`date`") names a narrower task than one that holds most of the question. What follows "via"
    or "using" is the means, not the task ("Open via Command palette" on the page about setting up
    Publish opens Publish)."""
    words = {stem(t) for t in tokenize(_MEANS_TAIL.sub("", name))}
    if not words or not asked or _CODE.match(name):  # "`table`" names a filter or a function, not a task
        return 0.0
    shared = len(words & asked)
    return math.sqrt(shared / len(words) * shared / len(asked))


def purpose(text: str, asked: set[str], least: float = 0.0) -> float:
    """How well the purpose `text` opens with ("To open the Graph view, ...", "You can make a
    callout foldable by ...") names the task (0 when under `least`)."""
    found = PURPOSE.match(text) or MEANS.match(text)
    named = named_task(found.group(1), asked) if found else 0.0
    return named if named >= least else 0.0


def purpose_holds(text: str, asked: set[str]) -> bool:
    """Whether the purpose `text` opens with holds every word of the task asked, with more words
    of its own ("To link to a heading in another note, add a hash ..." for "How do I link to a
    heading?")."""
    found = PURPOSE.match(text) or MEANS.match(text)
    return found is not None and bool(asked) and asked <= {stem(t) for t in tokenize(_MEANS_TAIL.sub("", found.group(1)))}


def task_match(source: str, asked: set[str], text: str = "") -> float:
    """How well a passage's heading (`Page#Heading`), or the purpose `text` opens with, names the task."""
    return max(named_task(source.partition("#")[2], asked), purpose(text, asked))


def untold(question: Question, chosen: Sequence[Unit], found: Sequence[Unit], titles: Mapping[str, str], alike: Mapping[str, str]) -> str | None:
    """A how-to's verb that no retrieved section of the chosen units' pages says, in a unit or a
    heading, nor a retrieved unit elsewhere describing one of those pages ("[[Line Continuations]]:
    Break long instructions up ..."): "How do I install a theme?" answered from a guide to submitting
    one. A task said in several words is said by any of them (`question.task_words`)."""
    verb = task_verb(question) if question.kind == "howto" else None
    if verb is None:
        return None
    pages = {u.source.partition("#")[0] for u in chosen}
    names = {page.rsplit("/", 1)[-1].casefold() for page in pages}
    said = {w for u in found if u.source.partition("#")[0] in pages or names.intersection(u.links) for w in shared(f"{u.text} {titles.get(u.source, u.source)} {u.lead}", alike)}
    return None if any(stem(word) in said for word in task_words(verb)) else verb


def told(question: Question, best: Scored, scored: Sequence[Scored], found: Sequence[Unit], titles: Mapping[str, str], alike: Mapping[str, str]) -> Scored:
    """A how-to's best unit, or, when its page never says the task's verb (`untold`), the best of
    the next units on a page that does and scores `TOLD` of it, and that shows the way (a step, or
    code to type): "The `foam` command line tool lets you work from the terminal" on the tool's page
    gives way to "It can be installed from NPM: `npm install -g foam-cli`" for "How do I install the
    command-line tool?"; "Scans ... will be exported as PDFs" shows no way to export a note."""
    if untold(question, [best.unit], found, titles, alike) is None:
        return best
    return next((s for s in scored[1:10] if s.score >= TOLD * best.score and (s.unit.kind == "step" or "`" in s.unit.text)
                 and untold(question, [s.unit], found, titles, alike) is None), best)  # fmt: skip


def said_by(question: Question) -> dict[str, str]:
    """For a how-to whose task is said in several words (`question.task_words`): each of them
    (stemmed) -> the task verb's stem, as `alike.stands_for` maps a synonym, so that a passage
    saying the task in another of its words holds the question's verb ("Disable WDigest
    authentication (prevents plaintext storage)" for "How do I stop Mimikatz from finding
    plaintext passwords?", asked as "exclude")."""
    verb = task_verb(question) if question.kind == "howto" else None
    return {stem(word): stem(verb) for word in task_words(verb)} if verb else {}


def instructs(unit: Unit, verb: str | None) -> bool:
    """Whether a sentence is the instruction of the task `verb`: it opens with the verb, as an
    imperative writes it ("Document each parameter ..." for "How do I document ...?"), or stands
    under a heading saying how to do it ("How to pass parameters"). "Pinned commands" names no
    task, and an imperative heading may be a step towards another ("Export your notebooks from
    OneNote" on the page on importing them)."""
    if unit.kind != "sentence" or verb is None:
        return False
    heading = re.findall(r"[\w'-]+", unit.source.partition("#")[2].casefold())
    opening = re.findall(r"[\w'-]+", unit.text.casefold())[:1]
    return opening == [verb] or (heading[:2] == ["how", "to"] and heading[2:3] == [verb])



def said_verbs(question: Question) -> frozenset[str]:
    """The stems a how-to's task is said with: its verb and the words it may be said in, the
    verbs its phrasal verbs stand for ("turn on" -> "enable"), and a verb saying little that
    still names a change ("change", "set"); none for another kind of question."""
    if question.kind != "howto":
        return frozenset()
    verb = task_verb(question) or asked_verb(question)
    return frozenset(stem(word) for word in (*(task_words(verb) if verb else ()), *verbs(question.text)))


def asked_verb(question: Question) -> str | None:
    """The verb a "how do I" question opens its task with, as written, unless it says nothing of
    the task ("get", "do", "make")."""
    found = _OPENING.match(question.text.casefold())
    return found.group(1) if found and found.group(1) not in _EMPTY_VERBS else None


def opens_with_task(unit: Unit, said: frozenset[str], verb: str | None = None) -> bool:
    """Whether the heading of `unit`'s section opens with the task's verb ("Enabling the
    feature"), or the unit is its instruction, opening with `verb` as written ("Change the
    server-wide default with: ..."; "Changing the algorithm does not ..." tells no way)."""
    words = re.findall(r"[\w'-]+", unit.source.partition("#")[2].casefold())
    # "Enabling the feature", "Enable a vault": the task; "Search operators" names things to search with
    if words and stem(words[0]) in said and (words[0].endswith("ing") or words[1:2] == [] or words[1] in _DETERMINERS):
        return True
    opening = re.findall(r"[\w'-]+", unit.text.casefold())[:1]
    return verb is not None and unit.kind == "sentence" and opening == [verb]  # (an item opening with it is a label: "- Search selected text: ...")


def headed_task(question: Question, best: Scored, scored: Sequence[Scored]) -> Scored:
    """A how-to's best unit, or, when it neither stands under a heading opening with the task's
    verb nor says to do it, the best unit of its page that does and scores `TOLD` of it: "It can
    be enabled via ADAC or PowerShell:" under "Enabling the feature" on the Recycle Bin's page,
    not the page's opening line on what the Recycle Bin keeps, for "How do I turn on the Recycle
    Bin?"."""
    said, verb = said_verbs(question), task_verb(question) or asked_verb(question)
    if not said or opens_with_task(best.unit, said, verb):
        return best
    page = best.unit.source.partition("#")[0]
    return next((s for s in scored if s.unit.source.partition("#")[0] == page and opens_with_task(s.unit, said, verb) and s.score >= TOLD * best.score), best)


def unsaid_list(best: Unit, items: Sequence[Unit], lead: Unit | None, verb: str | None) -> bool:
    """Whether the best unit says the task's verb ("Pick k centroids at random, spread out.") and a
    list never does, in its items, the sentence leading it or its heading ("Alternate until
    convergence: 1. Assign each point ..."): the list is another stage of the work, not the task."""
    if verb is None:
        return False
    said = lambda text: stem(verb) in {stem(t) for t in tokenize(text)}  # noqa: E731
    return said(best.text) and not said(" ".join([*(u.text for u in items), lead.text if lead else "", items[0].lead, items[0].source.partition("#")[2]]))
