"""How the words of a heading or a title read as part of a question: a task, a question, a statement.

Headings come in a few grammatical shapes, and each is asked differently:

- a task, led by a verb or a gerund ("Recover a snapshot", "Formatting text"): "How do I format text?";
- a question, or an indirect one ("How Obsidian stores data"): "How does Obsidian store data?";
- a statement ("Syncing is not a backup", "Obsidian does not open"): no question;
- a noun phrase ("Graph settings"): "What are ...?", built in `question_templates`.

The rules are small and certain, and return None rather than guess: a heading they cannot phrase
asks nothing, which is better than a question no person would write.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from kbsleep.search.words import singular

# Words that lead a task heading and are verbs there ("Install a plugin", "Close the vault").
CERTAIN_VERBS = frozenset(
    "activate add adjust apply archive arrange assign attach begin browse build calculate capture change check "
    "choose clear close collect configure connect convert copy create customise customize delete disable "
    "diagnose downgrade download drag duplicate edit embed enable exclude extend extract find fix follow generate give handle "
    "hide identify ignore improve insert inspect install maintain manage merge migrate move navigate organise organize paste "
    "preserve purchase rearrange receive record recover redirect reduce remove rename renew reopen reorder replace report "
    "request reset restore "
    "run save schedule select submit toggle transfer troubleshoot turn undo uninstall unpin unpublish update "
    "upgrade upload use verify write".split()
)
# Words that are verbs or nouns ("View settings" names settings; "View a file" is a task): a verb
# only when what follows can only follow a verb (a determiner, a pronoun, a preposition).
AMBIGUOUS_VERBS = frozenset(
    "access back bookmark contact display drop export filter format get group help highlight import link load "
    "log open order pin preview print publish review search set share show sign sort split start store switch sync tag "
    "test view".split()
)
VERBS = _VERBS = CERTAIN_VERBS | AMBIGUOUS_VERBS
_OBJECT_LEADS = frozenset(
    "a an the your my our this that these those all any each every multiple new existing other it them "
    "up in out down off on to for from with into between across by via".split()
)
# A gerund before one of these names a thing ("Editing shortcuts", "Loading screen"), not a task.
_NOUN_HEADS = frozenset(
    "view views mode modes shortcut shortcuts setting settings option options panel pane menu list screen time "
    "history tools style guide status bar method methods service services tips basics".split()
)
# After an ambiguous verb and its object, these say it was a verb: "Import HTML data into Obsidian".
_DIRECTIONS = frozenset("into onto from between across via using within".split())
PREPOSITIONS = frozenset(
    "on in at as for with from by to via about aboard after before during under inside outside within beyond since "
    "until into onto through across around between among against behind beside near over without".split()
)
# After a gerund, a noun that is its object ("Formatting text", "Customizing widgets"), not a thing
# the gerund describes ("Turning point", "Editing view"): a mass noun or a plural.
_MASS_NOUNS = frozenset("text data content code audio video media information metadata".split())
_WH = frozenset("how why where when what who which".split())
_AUX = frozenset("is are was were do does did can could should will would must may might has have".split())
_STATEMENT = _AUX | frozenset("isn't aren't can't cannot won't doesn't don't didn't not keep keeps".split())
_DETERMINERS = frozenset("the a an its".split())
_MAIN_VERBS = {"do": ("do", "do"), "does": ("does", "do"), "did": ("did", "do"), "has": ("does", "have"), "have": ("do", "have")}
_NOT_VERBS = frozenset("this its his hers ours yours theirs".split())  # end in "s", lead a noun phrase
_FIRST_PERSON = frozenset("i i'm me my mine we our us".split())
_SECOND_PERSON = frozenset("you your yours".split())
# Titles that introduce their subject: "Introduction to Bases" is about Bases.
_INTRO = re.compile(r"^(introduction to|intro to|about|overview of|getting started with)\s+(?=\S)", re.IGNORECASE)
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*[.)]|step \d+\s*[:\u2014\u2013-])\s+", re.IGNORECASE)  # "Step 3 — Run ..."
# Brackets and quotation marks of every script (Unicode's open and initial punctuation, close and
# final): they frame words, so a heading never loses one ("世界图书百科全书（World Book）", "《三体》").
_OPENERS, _CLOSERS = ("".join(c for c in map(chr, range(0x10000)) if unicodedata.category(c) in kinds) for kinds in (("Ps", "Pi"), ("Pe", "Pf")))
_EDGE_SYMBOLS = re.compile(rf"^[^\w`\"'.{re.escape(_OPENERS)}]+|[^\w`\"'.?!{re.escape(_CLOSERS)}]+$")
_CONNECTIVES = frozenset("and or for of from to with in on by".split())


def task(heading: str, context: str = "", said: str = "") -> str | None:
    """"Recover a snapshot" -> "recover a snapshot"; "Formatting text" -> "format text"; None for
    a heading that is not a task. "your" becomes "my": the reader asks about their own things.
    `said`: the text of the page a section heading is on, whose verbs lead tasks too
    (`_said_as_verb`; a page's title is more often a thing's name: "Force note view mode")."""
    words = heading.split()
    if len(words) < 2:
        return None
    first, nxt = words[0].casefold(), words[1].casefold()
    if first.endswith("ly") and first not in _VERBS and len(words) > 2:  # "Automatically select data to publish"; "Apply a filter" is a task
        rest = task(" ".join(words[1:]), context, said)
        if rest is None and len(words) > 3 and words[2].casefold() in _DETERMINERS | {"your", "each", "every"} and words[1].isalpha():
            rest = " ".join([words[1].casefold(), *(_mine(w) for w in words[2:])])  # an adverb, a word, "a": "Automatically trigger a template"
        return f"{first} {rest}" if rest else None
    if (first, nxt) in (("use", "case"), ("use", "cases")):
        return None
    verb = None
    if first in CERTAIN_VERBS or (first in AMBIGUOUS_VERBS and _verb_context(words)) or (_said_as_verb(first, said, nxt) and nxt.isalpha() and (first not in AMBIGUOUS_VERBS or len(words) > 2)):
        verb = first
    elif first.endswith("ing") and not _title_case([w for w in words[1:] if not written_as_name(w, context)]):
        # ("Linking Your Thinking", "Getting Things Done": a gerund in Title Case is a name)
        base = gerund_base(first) or next((b for b in _gerund_stems(first) if _said_as_verb(b, said, nxt)), None)
        # a gerund before a name the page writes so is a task on it ("Customizing Obsidian"); before a head noun, a kind
        # of thing ("Editing shortcuts", "Publishing tools and services")
        named = words[1][:1].isupper() and written_as_name(words[1], context)
        noun_like = nxt in _NOUN_HEADS and (len(words) == 2 or words[2].casefold() in ("and", "or")) or (
            len(words) == 2 and not words[1].isupper() and not named and nxt not in _MASS_NOUNS and not _third_person(nxt)
        )
        if base and not noun_like and nxt not in _STATEMENT:
            verb = base
    if verb is None:
        return None
    if verb != first and nxt in ("and", "or") and len(words) > 2 and gerund_base(words[2]):
        words = [*words[:2], gerund_base(words[2]) or "", *words[3:]]  # "Choosing and setting values" -> "choose and set values"
    if nxt in ("and", "or") and not _second_verb(words[2:], said):
        return None  # "Upgrade and rollout penalty": a noun joined to a noun, not two tasks ("Install and configure X")
    rest = [_mine(w) for w in words[1:]]
    rest = [w if w != "I" or not (i == len(rest) - 1 or i and rest[i - 1].casefold() in PREPOSITIONS) else "me" for i, w in enumerate(rest)]
    return " ".join([verb, *rest])  # ("Change the file types you want to sync" -> "... I want to sync"; "... with you" -> "with me")


def _second_verb(words: list[str], said: str) -> bool:
    """Whether the words after "Install and" start with a verb: one we know, one the page says as a
    verb, or one before what only follows a verb ("calibrate the scale")."""
    if not words:
        return False
    word = words[0].casefold()
    known = word in _VERBS or word[:2] in ("un", "re") and word[2:] in _VERBS  # ("Hide and unhide items")
    return known or _said_as_verb(word, said) or len(words) > 1 and words[1].casefold() in _DETERMINERS | {"your", "each", "every"}


def _title_case(words: list[str]) -> bool:
    """Two or more long words, all capitalised and none an acronym: "Your Thinking", "Things Done"."""
    long = [w for w in words if len(w) > 3]
    return len(long) >= 2 and all(w[:1].isupper() and not w.isupper() for w in long)


def _said_as_verb(word: str, context: str, nxt: str = "") -> bool:
    """Whether the page says `word` as a verb on an object: "You can limit the total number of
    tasks" makes "Limit total number of tasks" a task, though "limit" is a noun as often; so does
    "to" or "can" before the heading's own two words ("You can extend Obsidian" for "Extend
    Obsidian"). (A word that is a noun as often before another, "Sync behavior", needs more words
    than two, and a label's number, "Commit 1: ...", is no object.)"""
    if len(word) <= 2 or not word.isalpha() or word.casefold() in _NOT_LEADING_VERBS | _DETERMINERS | _FIRST_PERSON | _SECOND_PERSON | _AUX:
        return False  # ("The shard key is ...": "to the shard" says no verb)
    lead = r"\b(?i:you can|you could|you may|to)\s+"
    if re.search(rf"{lead}(?i:{word})\s+(?i:the|a|an|your|this|these|those|all|any|each|it|them|multiple|several)\b", context):
        return True
    # the heading's own words, the verb in lower case as a verb is ("to extend Obsidian", not a link's "to Supported types")
    return nxt[:1].isalpha() and not word.endswith("ed") and re.search(rf"{lead}{word.casefold()}\s+(?i:{re.escape(nxt)})\b", context) is not None


def _gerund_stems(word: str) -> list[str]:
    """The regular base forms a gerund may have: "chaining" -> "chain", "chaine"; "dropping" -> "drop"."""
    stem = word.casefold().removesuffix("ing")
    return [stem, stem + "e", *([stem[:-1]] if len(stem) > 2 and stem[-1] == stem[-2] else [])] if len(stem) > 2 else []


def _verb_context(words: list[str]) -> bool:
    """After an ambiguous word, what can only follow a verb: a determiner or a preposition ("View a
    file", "Log in"), a name then lower-case words ("Import OneNote files"), or a direction after
    its object ("Sync changes between collaborators")."""
    nxt = words[1]
    if nxt.casefold() in _OBJECT_LEADS:
        return True
    if nxt.casefold() in ("and", "or") and len(words) > 2 and words[2].casefold() in _VERBS:
        return True  # "Open or reopen tabs", "Add and switch views"
    if nxt[:1].isupper() and any(w[:1].islower() for w in words[2:]):
        return True
    return any(w.casefold() in _DIRECTIONS for w in words[2:])


def gerund_base(word: str) -> str | None:
    """"formatting" -> "format", "writing" -> "write", "dragging" -> "drag"; None unless exactly one
    regular base form is a verb we know."""
    stem = word.casefold().removesuffix("ing")
    if stem == word.casefold() or len(stem) < 2:
        return None
    candidates = {stem, stem + "e"}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        candidates.add(stem[:-1])
    known = candidates & _VERBS
    return known.pop() if len(known) == 1 else None


def wh_question(heading: str) -> str | None:
    """A heading that starts with a question word, as a question: "How to use bases" -> "How do I use
    bases?"; "What formulas can do" -> "What can formulas do?"; "How Obsidian stores data" -> "How does
    Obsidian store data?"; "What gets imported" stays. None when the words fit no certain rule."""
    words = heading.rstrip("?:").split()
    if len(words) < 2 or words[0].casefold() not in _WH:
        return None
    wh, second = words[0].capitalize(), words[1].casefold()
    if second == "to" and len(words) > 2:  # "How to use bases", "When to use prompt variables"
        aux = "do I" if wh == "How" else "should I"
        return f"{wh} {aux} {' '.join(_mine(w) for w in words[2:])}?"
    if second in _AUX or second.endswith("'s"):  # already a question: "How does sync work"
        return f"{wh} {' '.join(words[1:])}?"
    aux_at = next((i for i, w in enumerate(words) if i >= 2 and w.casefold() in _AUX), None)
    if aux_at is not None:  # "What formulas can do" -> "What can formulas do"
        subject, rest = words[1:aux_at], words[aux_at + 1 :]
        main = _MAIN_VERBS.get(words[aux_at].casefold())
        if main and not rest:  # the verb itself ends the clause: "What its settings do", "What a page has"
            return " ".join([wh, main[0], *subject, main[1]]) + "?"
        return " ".join([wh, words[aux_at].casefold(), *subject, *rest]) + "?"
    for i in range(2, len(words)):
        word, subject = words[i], words[1:i]
        if subject == words[1:2] and second in _DETERMINERS:
            continue
        if not _noun_phrase(subject):
            break
        if word[:1].islower() and _third_person(word):  # "How Obsidian stores data"
            return " ".join([wh, "does", *subject, base_of(word), *words[i + 1 :]]) + "?"
    if wh in ("What", "Which", "Who") and second.endswith("s") and not second.endswith("ss") and second not in _NOT_VERBS:
        return f"{wh} {' '.join(words[1:])}?"  # the question word is the subject: "What gets imported"
    return None


def _noun_phrase(words: list[str]) -> bool:
    """Words that can only be a subject: names (capitalised) after an optional determiner."""
    names = words[1:] if words and words[0].casefold() in _DETERMINERS else words
    return bool(names) and all(w[:1].isupper() for w in names)


def _third_person(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")) and len(word) > 3


def base_of(verb: str) -> str:
    """The base form of a regular third-person verb: "stores" -> "store", "watches" -> "watch"."""
    if verb == "has":
        return "have"
    if verb.endswith("ies") and len(verb) > 4:
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes", "zes", "oes")):
        return verb[:-2]
    return verb[:-1]


def unknown_verb_phrase(heading: str) -> bool:
    """A gerund whose base form we do not know, with its object or particle ("Figuring out your
    hierarchies", "Dealing with test failures"): a task we cannot phrase, so no question."""
    words = heading.casefold().split()
    if len(words) > 2 and words[0] in CERTAIN_VERBS and words[1] in ("and", "or"):
        return True  # "Rearrange and visibility": a verb joined to a noun (`task` took no task from it)
    if len(words) > 2 and words[1] in _DETERMINERS | {"your", "each", "every"} and words[0].isalpha() and words[0] not in _NOT_LEADING_VERBS:
        return True  # "Parameterize the container", "Define each container's API": a word before "the" is a verb or a preposition
    if len(words) > 1 and words[0] == "being":
        return True  # "Being especially unpleasant": a way to be, no task and no thing
    return len(words) > 1 and len(words[0]) > 5 and words[0].endswith("ing") and words[1] in _OBJECT_LEADS | _SECOND_PERSON


# Words that stand before "the" and are no verb: a preposition (`PREPOSITIONS` too), a quantity, a wh-word
_NOT_LEADING_VERBS = PREPOSITIONS | _WH | frozenset("all both half of and or not only just like unlike despite beyond per".split())


def statement(heading: str) -> bool:
    """Whether a heading is a sentence ("Syncing is not a backup", "Sync deleted a note I created",
    "No content appears in Obsidian", "Your own toolkit"): it names no topic to ask about."""
    words = [w.casefold().strip(",.!") for w in heading.split()]
    if not words:
        return False
    if words[0] in ("no", "your", "our", "my", "you", "we", "i") or words[0] in PREPOSITIONS:
        return True  # "No content appears", "Your own toolkit", "On iPhone"
    if words[-1] in ("too", "also") or "=" in words:  # ("Pod = the unit of deployment": a formula's claim)
        return True  # "Applies to adapters too": a remark on what comes before
    if any(w in ("this", "these") for w in words):
        return True  # "Plugins in this category", "Sponsor this author": about the page, not a topic
    return any(w in _STATEMENT for w in words[1:]) or any(w in _FIRST_PERSON for w in words)


def clean(text: str) -> str:
    """A heading or title without what frames it: "3. Embed view" -> "Embed view", "🗂️ Templates" ->
    "Templates", "Original Inspiration ✨" -> "Original Inspiration"."""
    text = _NUMBERING.sub("", _EDGE_SYMBOLS.sub("", text))
    return " ".join(text.split())


def subject_of(title: str) -> str:
    """What a page is about, from its title: "Introduction to Bases" -> "Bases"."""
    title = clean(title) or title
    return _INTRO.sub("", title) or title


# Titles that say what kind of page it is, not what it is about
_DOCUMENT_KINDS = frozenset((
    "faq", "faqs", "frequently asked questions", "readme", "contributing", "changelog", "change log", "release notes",
    "glossary", "index", "home", "start here", "table of contents", "contents", "inbox", "log", "code of conduct",
))


def task_title(title: str, context: str = "") -> bool:
    """Whether a title is a task or a clause ("Create your first note", "How Obsidian stores data",
    "Update Obsidian"): it cannot stand in a question as a name ("What is X's ...?", "... in X").
    A title in Title Case ("Change Case", "Close Similar Tabs") names a thing (a plugin) unless its
    capitalised words are names the page writes so mid-sentence (`context`: "... update Obsidian")."""
    words = title.split()
    if not words:
        return False
    first = words[0].casefold()
    if first in _WH or first in PREPOSITIONS or first in ("this", "these") or any(w.casefold() in _SECOND_PERSON | _FIRST_PERSON for w in words):
        return True  # a task or a clause, a fragment ("for Theme Designers"), a pointer ("This note in GitHub")
    if re.sub(r"^[\d\W_]+", "", title).casefold().strip() in _DOCUMENT_KINDS:
        return True  # "Frequently asked questions", "README": a kind of page, no thing of its own ("How is README connected to ...?")
    if task(title, context) is None:
        return False
    return all(written_as_name(w, context) for w in words[1:] if w[:1].isupper() and not w.isupper())


def written_as_name(word: str, context: str) -> bool:
    """Whether `context` writes `word` capitalised mid-sentence ("... to receive Obsidian Credit")."""
    return bool(context) and re.search(rf"(?<=[a-z,;] ){re.escape(word)}(?!\w)", context) is not None


def compound_title(title: str) -> bool:
    """Whether a title joins words ("Help and support", "Obsidian for teams"): its possessive
    ("Help and support's") reads badly, so a question says "in Help and support"."""
    return ":" in title or any(w.casefold() in _CONNECTIVES for w in title.split()[1:])


def covers(text: str, title: str) -> bool:
    """Whether `text` already names every word of `title` ("install a new theme" covers "Themes")."""
    have = {singular(w) for w in re.findall(r"\w+", text.casefold())}
    want = {singular(w) for w in re.findall(r"\w+", title.casefold())}
    return bool(want) and want <= have


def part_of(words: str, title: str) -> bool:
    """Whether every word of `words` is one of `title`'s, in the singular ("Sidecars" of Sidecar
    Pattern, "Health checks" of Health Check Adapter): the title's thing, said in fewer words."""
    have = {singular(w) for w in re.findall(r"\w+", words.casefold())}
    return bool(have) and have <= {singular(w) for w in re.findall(r"\w+", title.casefold())}


def _mine(word: str) -> str:
    """The reader's own words: "your" -> "my", "yours" -> "mine"."""
    swap = {"your": "my", "Your": "My", "yours": "mine", "yourself": "myself", "you": "I"}
    return swap.get(word, word)


# (a negation leads as its verb does: "When it isn't enough" -> "When isn't X enough?")
_LEADING = frozenset(
    "is are was were can could should will would must may might isn't aren't wasn't weren't can't couldn't shouldn't "
    "won't wouldn't doesn't don't didn't".split()
)


def clause_question(heading: str, title: str) -> str:
    """"Where they occur here" -> "Where do Internal Waves occur here?", "What It Does" -> "What does
    Checkpoint do?"; "" for other headings."""
    words = heading.split()
    if len(words) < 3 or words[0].casefold() not in _WH or words[1].casefold() not in ("they", "it"):
        return ""
    # a heading in title case capitalises the verb ("What It Does"); a verb is never a name
    wh, pronoun, verb, rest = words[0].capitalize(), words[1].casefold(), words[2].casefold(), " ".join(words[3:])
    if verb in _LEADING:  # "What it is", "What it can do": the verb leads
        text = f"{wh} {verb} {title} {rest}"
    elif verb == "did":  # "What it did"
        text = f"{wh} did {title} do {rest}"
    elif pronoun == "it" and verb.endswith("s"):  # "What it does" -> "What does X do", "What it has" -> "... have"
        text = f"{wh} does {title} {base_of(verb)} {rest}"
    else:
        text = f"{wh} do {title} {verb} {rest}"
    return " ".join(text.split()) + "?"


_COMPARED = re.compile(r"^(?:compared (?:with|to)|comparison (?:with|to)|contrasted with|versus|vs\.?)\s+(?P<other>\S.*)$", re.IGNORECASE)
_VERSUS = re.compile(r"^(?P<one>\S.*?)\s+(?:vs\.?|versus)\s+(?P<other>\S.*)$", re.IGNORECASE)


def comparison(heading: str, title: str, does: str, lower: Callable[[str], str] = str) -> str | None:
    """A heading that compares: "Compared with service mesh" on Legacy Modernization -> "How does
    Legacy Modernization compare with service mesh?"; "Sharded cache vs replicated cache" -> "What is
    the difference between sharded cache and replicated cache?"; "" for one no question words well
    (a label after it, "A vs B: which is this"; no title to compare); None for a heading that compares nothing.
    `lower` lower-cases a first word that is no name."""
    compared, versus = _COMPARED.match(heading), _VERSUS.match(heading)
    if not compared and not versus:
        return None
    if ":" in heading or heading.count(" vs") + heading.casefold().count(" versus") > 1:
        return ""
    if compared:
        return f"How {does} {title} compare with {compared.group('other')}?" if title else ""
    one, other = versus.group("one"), versus.group("other")  # type: ignore[union-attr]
    if title and (covers(one, title) or part_of(one, title)):  # "Sharded cache vs replicated cache" on Sharded Cache
        return f"How {does} {title} compare with {other}?"
    return f"What is the difference between {lower(one)} and {other}?"
