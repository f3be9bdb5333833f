"""The phrases a question is about, read from its asking sentence without a parser.

A question names what it is about in noun phrases that follow a word of a known kind: an article
or a possessive ("a Python virtual environment", "my notes"), an auxiliary ("How does federated
learning ...", "What port does a Kafka broker ..."), a preposition ("for anti-entropy repair") or
a question word ("What port ..."). A phrase here is the run of content words after such a word,
up to the next function word or punctuation; it may run on into a verb ("a Kafka broker listen"),
so only its first word is trusted to be part of it, and the rules using it say which words they
read:

- `phrases`: every such run of two words or more, first word first ("federated learning keep");
- `asked_kind`: the noun a "what/which N does ...?" question asks an instance of ("port"), and
  `asked_phrase` the words that narrow it ("humidity range");
- `task_object`: the words a how-to's task verb acts on ("python virtual environment" in "How
  do I create a Python virtual environment?");
- `compounds`: the words the question joins with hyphens into one term ("red-black");
- `subjects`: the first word after an auxiliary, a run of one word too ("flanking" in "How does
  flanking work?");
- `names`: the names of two words or more the question writes capitalised ("Path of the Giant");
- `narrowed`: a name and the word after it that narrows it into a part ("Envoy admin interface").
"""

from __future__ import annotations

import functools
import re

from kbsleep.search.question import FILLER, Question, task_verb
from kbsleep.search.words import STOP_WORDS

_ARTICLES = frozenset("a an the my your our their its his her this that these those some any no every each".split())
_AUXILIARIES = frozenset("does do did is are was were can could should would will has have had".split())
_PRONOUNS = frozenset("i you we they he she it".split())  # the subjects of a clause written in its statement order
_COPULAS = frozenset("is are was were".split())
_WH_WORDS = frozenset("what which how why where when who whom whose".split())
_HOW_MUCH = frozenset("many much long".split())  # words of the question word's phrase, stop words elsewhere
_ASKED_WORDS, _NOT_ASKING = 3, 99
_PREPOSITIONS = frozenset("of for in on at with from into about to by under over between through".split())
# (a question word opens no phrase: "What causes sediment plumes?" starts with a verb; `asked_kind` reads "what port does")
_OPENS = _ARTICLES | _AUXILIARIES | _PREPOSITIONS
# words that grade what is asked for: a wiki says which skewness a mesh should keep, never that
# it is "a good skewness value"
GRADES = frozenset(
    """good bad better worse best worst ideal optimal reasonable acceptable sensible suitable appropriate proper correct
    decent preferred recommended usual typical""".split()
)
# words that count, pick, grade or place in time rather than name: "two notes", "several spots",
# "a single note", "the maximum height" (a wiki may say "at most"), "the starting centroids" (a wiki
# may say "pick k centroids at random" in the first step)
_QUANTIFIERS = GRADES | frozenset(
    """two three four five six seven eight nine ten several multiple many single few first last next new old same different
    initial starting final current existing original previous
    other all both every maximum minimum max min main total average default largest smallest biggest highest lowest
    longest shortest""".split()
)
_STOP = STOP_WORDS | FILLER | _QUANTIFIERS
_TOKEN = re.compile(r"[\w]+(?:['\u2019]s\b)?|-|[^\w\s-]")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")
_COMPOUND = re.compile(r"(?<![\w-])([^\W\d_]{2,})-([^\W\d_]{2,})(?![\w-])")
# "how to", "a way to", "want to": the word after "to" is a verb, not the start of a phrase
_BEFORE_INFINITIVE = frozenset("how way ways want wants need needs able possible try trying".split())
# the past of common irregular verbs: after a noun it is the clause's verb ("before a step ran"),
# never a word narrowing the noun
# (not those that also name or describe a thing: "the left sidebar", "built-in plugins", "a paid plan")
PAST_VERBS = frozenset("ran went took got came gave knew told became began brought wrote stood heard understood broke drew drove chose forgot threw woke spoke".split())
_BREAK = ";"
# words for a document, which name the page asked about, not a topic ("the deploy guide")
DOCUMENTS = frozenset("guide guides page pages note notes article articles doc docs documentation wiki section tutorial manual readme post entry chapter".split())


def asking(text: str) -> str:
    """The sentence that asks ("... Can I make it so that ...?" of a question with a preamble)."""
    parts = _SENTENCE_END.split(" ".join(text.split()))
    asked = [p for p in parts if p.rstrip().endswith("?")]
    return asked[-1] if asked else text


def _tokens(text: str) -> list[str]:
    """The asking sentence's tokens; a verb's mark that ends a phrase is a break (`_BREAK`): the
    "to" of an infinitive ("a way to go back": a verb follows) and the past of an irregular verb
    after its subject ("before a step ran")."""
    tokens = [t.casefold().replace("\u2019", "'") for t in _TOKEN.findall(asking(text))]
    return [_BREAK if (t == "to" and i and tokens[i - 1] in _BEFORE_INFINITIVE) or (i and t in PAST_VERBS) else t for i, t in enumerate(tokens)]


def _runs(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each run of content words after an opening word of the asking sentence, with that word
    ("'s" for a possessive; an auxiliary and the article after it: "does a")."""
    found: list[tuple[str, tuple[str, ...]]] = []
    run: list[str] | None = None
    opener = previous = ""
    asking = _NOT_ASKING  # content words since the last question word ("what darkvision range"), or none asked
    for token in _tokens(text):
        word = token[:-2] if token.endswith("'s") else token
        if token == "-":
            continue
        before, previous = previous, word
        content = re.match(r"\w", word) is not None and word not in _STOP and not word.isdigit()
        stated = _stated(word, before, asking)
        asking = 0 if word in _WH_WORDS else asking + 1 if content or word in _HOW_MUCH else _NOT_ASKING
        if not content:
            if run:
                found.append((opener, tuple(run)))
            if run == [] and opener in _AUXILIARIES and word in _ARTICLES:
                opener = f"{opener} {word}"  # "How does a rowhammer attack work?": the auxiliary's subject follows its article
                continue
            if word in _AUXILIARIES and stated:
                run, opener = None, ""  # "a stream I can search", "its quota is left": after its subject, an auxiliary's next word is a verb
                continue
            run, opener = ([], word) if word in _OPENS or token.endswith("'s") else (None, "")
            continue
        if run is not None:
            run.append(word)
        if token.endswith("'s"):  # "Dev's manager": a possessive ends one phrase and opens the next
            if run:
                found.append((opener, tuple(run)))
            run, opener = [], "'s"
    if run:
        found.append((opener, tuple(run)))
    return found


def _stated(word: str, before: str, asking: int) -> bool:
    """Whether the auxiliary `word` after the word `before` stands in a statement's order, after
    its subject ("I can", "its quota is"), not a question's before it ("What range do tieflings
    ...", "How does ...", "..., is one copy ..."): after a pronoun, or a form of "be" after a word
    that is none of the question word's phrase (at most three words after it, `asking` counting
    them). (After a name, "do" may be the verb whose object follows: "Does Obsidian do optical
    character recognition?")"""
    if before in _PRONOUNS:
        return True
    return word in _COPULAS and re.match(r"\w", before) is not None and before not in _STOP and asking > _ASKED_WORDS


def phrases(text: str) -> tuple[tuple[str, ...], ...]:
    """The runs of two content words or more that follow an article, a possessive, an auxiliary
    or a preposition in the asking sentence; hyphens join words."""
    return tuple(run for _, run in _runs(text) if len(run) >= 2)


def subjects(text: str) -> tuple[str, ...]:
    """The first word of each run that follows an auxiliary, a phrase of one word too: the
    subject of the asking clause ("flanking" in "How does flanking work in combat?", "tieflings"
    in "What darkvision range do tieflings have?"). An article's run of one word ("an
    abbreviation") may be the asker's word for the wiki's; the clause's subject is what it asks about."""
    return tuple(dict.fromkeys(run[0] for opener, run in _runs(text) if opener.split()[0] in _AUXILIARIES))


def owners(text: str) -> tuple[str, ...]:
    """The word after "of" when it is a phrase of its own, with no article ("quicksort" in "What
    is the worst-case time complexity of quicksort?"): the thing whose property is asked. After an
    article ("the size of an abbreviation") the word may be the asker's for the wiki's."""
    return tuple(dict.fromkeys(run[0] for opener, run in _runs(text) if opener == "of" and len(run) == 1))


def narrowed(question: Question) -> tuple[tuple[str, str], ...]:
    """Each word the question writes as a name (`Question.named`) and the word after it that narrows it into a part or a
    feature of its own ("envoy", "admin" in "What port does the Envoy admin interface listen
    on?"; "redis", "cluster" in "How do I enable Redis cluster mode?"): the name's next word,
    when another content word follows it, in a run after an article, a possessive or a
    preposition, or in the thing a how-to's task acts on (`task_object`). (Right
    after an auxiliary the name may be the clause's subject and its next word the verb: "How does
    Envoy handle retries?"; a run's last word may be its verb: "a Kafka broker listen".)"""
    named = frozenset(question.named) - {part for term in compounds(question) for part in term.split("-")}  # "IP-based" describes, names nothing
    runs = [run for opener, run in _runs(question.text) if opener not in _AUXILIARIES] + [task_object(question)]
    return tuple(dict.fromkeys(
        (word, run[i + 1]) for run in runs
        for i, word in enumerate(run[:-2]) if word in named and run[i + 1] not in named and run[i + 1] not in DOCUMENTS
    ))  # fmt: skip


_LEADING = re.compile(r"^\W*(?:what|which)\s+([\w-]+)(?:\s+([\w-]+))?", re.I)  # a "what/which" question's first words
_ASKED = re.compile(r"^\W*(?:what|which)\s+((?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:does|do|did|is|are|was|were|can|could|should|would|will|has|have)\b")


def asked_phrase(question: Question) -> tuple[str, ...]:
    """The words between "what"/"which" and its auxiliary ("humidity", "range" in "What humidity
    range is recommended ...?"); empty when the question asks a form (a "what percentage", a
    "which version": `question.FORMS` checks those) or names no noun there."""
    if question.form is not None:
        return ()
    found = _ASKED.match(asking(question.text).casefold())
    if found is None:
        return ()
    words = [w for w in re.split(r"[\s-]+", found.group(1)) if w]
    return tuple(words) if words[-1] not in _STOP and not words[-1].isdigit() else ()


def asked_kind(question: Question) -> str | None:
    """The noun a "What port does a Kafka broker listen on?" asks an instance of ("port"): the
    last word of `asked_phrase`, or None."""
    words = asked_phrase(question)
    return words[-1] if words else None


@functools.lru_cache(maxsize=64)
def echoes(question: Question) -> re.Pattern[str] | None:
    """What a passage writes when it asks what the question asks instead of answering it: a
    "what/which" question's first words, or the kind it asks an instance of, after a question
    word of the passage's own ("which status code" for "What HTTP status code ...?", "which
    headers" for "Which response header tells ...?"), or None."""
    found = _LEADING.match(asking(question.text))
    if found is None:
        return None
    words = [w.casefold() for w in found.groups() if w and w.casefold() not in _STOP and not w.isdigit()]
    words += [kind] if (kind := asked_kind(question)) else []
    if not words:
        return None
    return re.compile(rf"\b(?:which|what)\s+(?:[\w-]+\s+){{0,2}}?(?:{'|'.join(map(re.escape, dict.fromkeys(words)))})(?:s|es)?\b", re.I)


def task_object(question: Question) -> tuple[str, ...]:
    """The content words right after a how-to's task verb and its article ("python", "virtual",
    "environment" in "How do I create a Python virtual environment?"), up to the next function
    word; empty when the verb says little ("get", "make") or a function word follows it."""
    verb = task_verb(question)
    if verb is None:
        return ()
    tokens = _tokens(question.text)
    if verb not in tokens:
        return ()
    words: list[str] = []
    for token in tokens[tokens.index(verb) + 1 :]:
        word = token[:-2] if token.endswith("'s") else token
        if token == "-":
            continue
        if not words and word in _ARTICLES:
            continue
        if not re.match(r"\w", word) or word in _STOP or word.isdigit():
            break
        words.append(word)
        if token.endswith("'s"):
            break
    return tuple(words)


def compounds(question: Question) -> tuple[str, ...]:
    """The terms the question writes with a hyphen between two content words ("red-black",
    "anti-entropy"), as written; a part that is a function word ("built-in", "to-do") makes none."""
    return tuple(dict.fromkeys(
        f"{a}-{b}".casefold() for a, b in _COMPOUND.findall(asking(question.text)) if a.casefold() not in _STOP and b.casefold() not in _STOP
    ))  # fmt: skip


# participles that do not end in "-ed" and often close a descriptive compound ("event-driven")
_IRREGULAR_PARTICIPLES = frozenset("driven built made written known grown".split())


def described(compound: str) -> str | None:
    """The word a compound of a word and a participle describes its thing by ("git" of
    "git-based", "vm" of "VM-hosted", "event" of "event-driven"), or None for a term whose parts
    are both its own ("red-black", "anti-entropy"). A regular participle ends in "-ed" after three
    letters or more, not "-eed" ("news-feed", "high-speed" are no participles)."""
    first, _, last = compound.casefold().partition("-")
    participle = last in _IRREGULAR_PARTICIPLES or (len(last) >= 5 and last.endswith("ed") and not last.endswith("eed"))
    return first if participle and first not in _STOP else None


# Capitalised words in a row, or joined by "of" / "of the" ("Path of the Giant", "Circle of Spores")
_NAME = re.compile(r"(?<![\w'\u2019-])[A-Z][\w.-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][\w.-]*)+")
_OF = re.compile(r"(\s+of\s+(?:the\s+)?)")
_TITLED = re.compile(r"[A-Z][a-z]")


def names(question: Question) -> tuple[str, ...]:
    """The names of two words or more the asking sentence writes capitalised, its first word
    aside (capitalised anyway) and cut at a possessive ("Dev Arunachalam's manager" -> "dev
    arunachalam"), casefolded, words joined by single spaces. "of" joins two title-cased words
    ("Path of the Giant"), not an acronym: "the ID of the Kanban plugin" asks an attribute."""
    body = re.sub(r"^\W*\S+", "", asking(question.text))
    found = []
    for match in _NAME.finditer(re.sub(r"['\u2019]s\b", ",", body)):
        pieces = _OF.split(match.group(0))  # words, "of (the)", words, ...
        parts = [pieces[0]]
        for of, part in zip(pieces[1::2], pieces[2::2]):
            if _TITLED.match(parts[-1].split()[-1]) and _TITLED.match(part):
                parts[-1] += of + part
            else:
                parts.append(part)
        for part in parts:
            words = re.findall(r"\w+", part.casefold())
            if len(words) >= 2:
                found.append(" ".join(words))
    return tuple(dict.fromkeys(found))
