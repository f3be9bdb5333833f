"""Abstention: when the wiki does not answer, say "Not in the wiki" instead of quoting a neighbour.

The decision uses what the answer was built from, never the answer's wording:
- a definition question about a page that says nothing yet (a stub holding only a placeholder)
  is not answered from other pages' mentions of its name;
- the names the question uses (capitalised words, quoted words, words with digits: "Ubuntu",
  ".deb") must each occur somewhere in the wiki: a question about a product the wiki never
  mentions is not answered by the page about another, nor one set in a place the wiki never
  mentions ("on macOS") by the page on doing it elsewhere (`unknown_setting`);
- a definition question about a name of one to three words the wiki never writes as a whole
  ("What is a red-black tree?") is not answered from its words apart (`defined_phrase`);
- a version the question names ("Obsidian 1.0") must be in the answer, and a "how do I" is not
  answered from pages that never say its task's verb (`tasks.untold`);
- the chosen passage must hold the kind of thing asked for (an amount of money for "how much
  does it cost", a version for "since which version"; `question.FORMS`);
- the chosen passage, with its page title and headings, must hold enough of the question's
  idf-weighted words (`min-coverage`), or, with vectors, be close in meaning and hold some;
- what the question is about (`search.topics`) must be a thing the wiki mentions and the answer
  holds: a phrase whose first word no page uses ("federated learning") or a kind of thing asked
  for that no page names ("What port ...?"), or the thing whose property is asked, when no page
  names it ("... complexity of quicksort?", `topics.owners`), is not answered from the other words; nor
  is a question whose subject ("How does flanking work?") or phrase's word ("ocean
  acidification") at most one page uses and the answer does not hold; a hyphenated term
  ("red-black") or a capitalised name of several words ("the Path of the Giant") the wiki never
  writes whole is no subject of it (`unwritten_compounds`, `unwritten_names`), nor a part of a
  name ("the Envoy admin interface") no section writes with the name (`unnarrowed`);
  a how-to's answer holds the words of the thing its task acts on ("a Python virtual
  environment"), and a who-question's names someone (`names_someone`).

The thresholds were tuned on Obsidian's help vault question set (benchmarks/README.md gives the
precision and recall of "not in the wiki" there and on a second set).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kbsleep.search import persons, topics
from kbsleep.search.counts import is_number
from kbsleep.search.setting import setting_names
from kbsleep.search.extract import Pick
from kbsleep.search.question import Question
from kbsleep.search.words import stem, tokenize

UNKNOWN_SHARE = 0.3  # names the wiki never mentions carry this share of the question's weight
RARE = 0.2  # a name in at most this share of pages (or 2) is specific: the evidence must hold it ...
RARE_COVERAGE = 0.6  # ... unless the evidence holds this share of the question
VECTOR_WEIGHT = 0.8  # with vectors: coverage + 0.8 x cosine must reach `JOINT`
JOINT = 0.45
UNASKED = 0.7  # a passage that holds none of what is asked about the named thing needs this much
SCARCE = 1  # a topic word in at most this many pages, which the answer does not hold, is what the answer is not about


def as_asked(question: Question, words: Sequence[str]) -> str:
    """`words` (casefolded, as the checks compare them) as the question writes them, for a reason
    shown to the asker: "ChromeOS", "Path of the Giant", "breaker's window hook". A part of a
    hyphenated term is shown as the term ("anti" of "anti-entropy", "wi" and "fi" of "Wi-Fi"),
    and words the question writes side by side as one ("World", "Cup": "World Cup"); a word the
    question does not write whole stays as it is. In the question's order, joined by commas."""
    text = question.text.replace("\u2019", "'")
    spans: list[tuple[int, int]] = []
    unplaced = []
    for word in words:
        pattern = r"\W+".join(re.escape(part) for part in word.split())
        found = re.search(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE) if pattern else None
        if found is None:
            unplaced.append(word)
            continue
        start, end = found.span()
        while (joined := re.search(r"\w+-$", text[:start])) is not None:  # "anti" in "anti-entropy"
            start = joined.start()
        while (joined := re.match(r"-\w+", text[end:])) is not None:
            end += joined.end()
        spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1] + 1 and text[merged[-1][1] : start].strip() == "":
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))  # side by side: one name
        else:
            merged.append((start, end))
    return ", ".join([text[a:b] for a, b in merged] + unplaced)


@dataclass(frozen=True)
class Verdict:
    found: bool
    reason: str  # why not, or "answered"


def unknown_names(question: Question, frequency: Mapping[str, int]) -> list[str]:
    """The names the question uses that no page of the wiki holds."""
    return [name for name in question.named if frequency.get(name, 1) == 0]


def unknown_setting(question: Question, frequency: Mapping[str, int]) -> list[str]:
    """The names the question sets what it asks in ("macOS" in "How do I install Docker on
    macOS?", "Kubernetes" in "... in Kubernetes?") that no page of the wiki holds: the wiki says
    nothing of doing it there, whatever it says of doing it elsewhere."""
    return [w for w in setting_names(question) if frequency.get(w, 1) == 0]


def unknown_attribute(question: Question, frequency: Mapping[str, int], about_title: str | None, about_name: str | None = None) -> list[str]:
    """When the question names a page of the wiki (`about_title`, its file name `about_name`): its
    other words, if no page holds any of them ("What is Ada Lovelace's favourite colour?" on a
    wiki that never says "favourite" or "colour"). A number word counts, it asks nothing: "What are
    the six status types?" of a page that writes "6 possible types"."""
    if not about_title or question.form is not None:
        return []  # (a form asked for says what is asked: "How fast can the rover move?" asks a speed, whatever "move")
    from kbsleep.search.defining import names_page

    if question.subject and names_page(question.subject, about_name, about_title):
        return []  # "What is LaTeX, according to the hub?", "What does HSTU stand for?" ask for the page's definition, whatever their other words

    names = {stem(w) for w in tokenize(about_title)} | {stem(n) for n in question.named}
    rest = [t for t in question.terms if stem(t) not in names and not is_number(t)]
    return rest if rest and all(frequency.get(t, 1) == 0 for t in rest) else []


_PHRASE = re.compile(r"^[\w'\u2019-]+(?: [\w'\u2019-]+){0,2}$")  # a name of one to three words, no clause ("the thing that shows links")
_CLAUSE = frozenset("that which who whom where when how with without for from to in on by as like".split())


# a word as the question writes it, a hyphen or an apostrophe inside it kept ("red-black", "breaker's")
_WRITTEN_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")


def defined_phrase(question: Question) -> str | None:
    """What a definition question asks to define, when it is a name of one to three words: a wiki
    that never writes them together does not say what it is. A graded thing ("a good skewness
    value") asks which one, and is no name to define. The words are the question's own,
    casefolded ("red-black tree", "sidecar's lifecycle hook"), as `why` shows them back to the
    asker; the index splits them at a hyphen or an apostrophe as it splits the pages' words."""
    subject = " ".join(question.subject.split())
    if not subject or not _PHRASE.match(subject) or _CLAUSE & set(subject.casefold().split()):
        return None
    if subject.split()[0].casefold() in topics.GRADES:
        return None  # "What is a good skewness value?" asks which value to keep, no definition
    return " ".join(_WRITTEN_WORD.findall(subject.casefold())) or None


def unknown_topic(question: Question, frequency: Mapping[str, int], held: frozenset[str], page_held: frozenset[str] = frozenset(), titled: bool = False) -> list[str]:
    """What the question is about that the wiki hardly mentions (in `SCARCE` pages or none) and
    the answer does not hold in other words (`held`, stemmed): the first word of a phrase it asks
    about ("federated" in "How does federated learning keep ...?": a page on learning is no page
    on federated learning), the subject of its clause ("flanking" in "How does flanking work in
    combat?", "tieflings" in "What darkvision range do tieflings have?": the one page that says
    "flank" is not the answer's), and the kind of thing a "what/which" asks for ("port" in "What
    port does a Kafka broker listen on?") and the word narrowing it ("humidity" in "What humidity
    range is recommended ...?", when the answer does not hold the kind), and the thing whose
    property is asked, when no page uses its word ("quicksort" in "What is the time complexity of
    quicksort?"). A single noun elsewhere
    may be the asker's word for one the wiki uses ("an abbreviation" for an alias); a word that
    narrows another is a topic of its own, and so is a name that does ("Merkle" in "How does
    Cassandra use Merkle trees ...?"), and a phrase's second word no page uses ("acidification"
    in "ocean acidification"; not after a name, whose verb it may be: "did Ines Kaldor become ...")."""
    named = set(question.named)
    found = topics.phrases(question.text)
    # a phrase's first word, and a name that narrows the word after it ("use Merkle trees")
    words = [w for phrase in found for i, w in enumerate(phrase[:-1]) if i == 0 or w in named]
    asked = topics.asked_phrase(question)  # "What humidity range ...?": the kind "range", narrowed by "humidity" ...
    if asked and stem(asked[-1]) in held and frequency.get(asked[0], 1) > 0:
        asked = asked[-1:]  # ... unless the answer holds the kind: "Rust" is a language, whatever "programming" adds
        # (not a word no page writes: "What polyhedral mesh options ...?" is not answered by other mesh options)
    owners = [w for w in topics.owners(question.text) if frequency.get(w, 1) == 0]  # "... complexity of quicksort?" on a wiki that never says "quicksort"
    topical = dict.fromkeys(w for w in [*asked[-1:], *asked[:1], *words, *topics.subjects(question.text), *owners] if w not in topics.DOCUMENTS)
    # (a word of the answer's own pages, `page_held`, is theirs: in a small wiki, one page is many)
    scarce = [w for w in topical if frequency.get(w, SCARCE + 1) <= SCARCE and stem(w) not in page_held]
    # (a page named by its opening is the thing a phrase asks for: "The deepest feature of planet earth" is the "deepest spot")
    # (nor the participle closing a compound that describes its thing by the first word: "flour-based")
    participles = {tuple(c.split("-")) for c in topics.compounds(question) if topics.described(c)}
    second = [phrase[1] for phrase in found if phrase[0] not in named and frequency.get(phrase[1], 1) == 0 and phrase[1] not in topics.DOCUMENTS and not titled
              and phrase[:2] not in participles]  # fmt: skip
    # (a name has no synonym: the vectors' neighbour of "Merkle", "merge", stands for no word of it)
    # (nor has a thing no page names: merge sort, the vectors' neighbour of "quicksort", is another thing)
    return [w for w in dict.fromkeys([*scarce, *second]) if ((w in named or w in owners) and frequency.get(w, 1) == 0) or (w not in named and stem(w) not in held)]


def unwritten_compounds(question: Question, written: Callable[[str], bool]) -> list[str]:
    """The hyphenated terms of the question ("red-black") the wiki never writes, hyphenated,
    spaced or closed up (`written(phrase)`): a term the wiki never uses is none it explains. A
    word and a participle ("git-based", "VM-hosted") is no term but a description, "based on
    git": the wiki that writes its word can say the rest in its own words ("built around git")."""
    return [
        c for c in topics.compounds(question)
        if not any(written(form) for form in (c, c.replace("-", " "), c.replace("-", "")))
        and not ((thing := topics.described(c)) is not None and written(thing))
    ]  # fmt: skip


def unwritten_names(question: Question, written: Callable[[str], bool]) -> list[str]:
    """The names of several words the question writes capitalised ("Path of the Giant", "Obsidian
    Sync Standard") that the wiki never writes whole (`written(phrase)`): its words apart ("Path of
    the Beast", "Giant Ape") name other things."""
    return [name for name in topics.names(question) if not written(name)]


def unnarrowed(question: Question, together: Callable[[Sequence[str]], bool]) -> list[str]:
    """The name and the word narrowing it into a part or a feature ("envoy admin" for "What port
    does the Envoy admin interface listen on?") that no section of the wiki writes together
    (`together(words)`): pages on Envoy that never say "admin", and a page on some other admin,
    say nothing of Envoy's admin interface."""
    return [f"{name} {word}" for name, word in topics.narrowed(question) if not together((name, word))]


def unheld_task_object(question: Question, held: frozenset[str]) -> list[str]:
    """The words narrowing the thing a how-to's task acts on that the answer does not hold
    ("python" for "How do I create a Python virtual environment?" answered by a passage on
    virtual servers): the answer does the task to something else. The thing's last word may be
    the asker's for the wiki's ("move a note" answered by "Move file to..."); the words before
    it say which one."""
    asked = {stem(t) for t in question.terms}
    return [w for w in topics.task_object(question)[:-1] if stem(w) in asked and stem(w) not in held]


def names_someone(question: Question, pick: Pick) -> bool:
    """Whether the answer to a who-question names someone the question does not (`persons.names_someone`)."""
    return persons.names_someone(question, pick.units, pick.text)


def unknown_share(question: Question, frequency: Mapping[str, int], idf: Mapping[str, float]) -> float:
    """The share of the question's weight (1 + idf a word) in names the wiki never mentions."""
    unknown = set(unknown_names(question, frequency))
    weights = {t: 1.0 + idf.get(t, 0.0) for t in question.terms}
    total = sum(weights.values()) or 1.0
    return sum(w for t, w in weights.items() if t in unknown) / total


def decide(question: Question, pick: Pick | None, frequency: Mapping[str, int], idf: Mapping[str, float],
           pages: int, min_coverage: float, vectors: bool, page_held: frozenset[str] = frozenset()) -> Verdict:  # fmt: skip
    """Whether `pick` answers `question`; see the module's policy. `page_held`: the stems of the
    question's words that the retrieved sections of the answer's pages hold."""
    if unknown_share(question, frequency, idf) >= UNKNOWN_SHARE:
        return Verdict(False, f"the wiki never mentions {as_asked(question, unknown_names(question, frequency))}")
    if unknown_setting(question, frequency):
        return Verdict(False, f"the wiki never mentions {as_asked(question, unknown_setting(question, frequency))}")
    if pick is None:
        return Verdict(False, "no passage shares a word or a meaning with the question")
    if pick.unwritten:
        return Verdict(False, f"the page {pick.unwritten} has no text yet")
    if pick.task and frequency.get(pick.task, 1) > 0:
        return Verdict(False, f"no page retrieved says how to {pick.task}")
    if not pick.form:
        return Verdict(False, f"no passage about the question holds the {question.form} asked for")
    versions = [n for n in pick.missing if n in question.versions]
    if versions:
        return Verdict(False, f"no passage that answers mentions {as_asked(question, versions)}")  # "Obsidian 1.0": another version's date is no answer
    rare = [n for n in pick.missing if 0 < frequency.get(n, 1) <= max(2, RARE * pages)]
    if rare and pick.coverage < RARE_COVERAGE:
        return Verdict(False, f"no passage that answers mentions {as_asked(question, rare)}")
    unknown = unknown_topic(question, frequency, pick.held, page_held, pick.titled)
    if unknown:
        never = all(frequency.get(w, 1) == 0 for w in unknown)
        return Verdict(False, f"{'the wiki never mentions' if never else 'no passage that answers mentions'} {as_asked(question, unknown)}")
    unheld = unheld_task_object(question, pick.held)
    if unheld:
        return Verdict(False, f"no passage that answers mentions {as_asked(question, unheld)}")
    if question.kind == "who" and not names_someone(question, pick):
        return Verdict(False, "no passage that answers names anyone")
    joint = pick.coverage + VECTOR_WEIGHT * pick.cosine
    # (a form asked for and held says what is asked: "0.3 m/s" for "How fast ... move?"; a page
    # named by its opening asks nothing of the names the question uses: it is the thing asked for)
    if pick.attribute == 0 and joint < UNASKED and question.form is None and not pick.titled:
        return Verdict(False, "no passage says anything of what the question asks about what it names")
    if vectors:
        if joint < JOINT:
            return Verdict(False, f"the best passage holds {pick.coverage:.0%} of the question's words and is not close in meaning")
        return Verdict(True, "answered")
    if pick.coverage < min_coverage:
        return Verdict(False, f"the best passage holds {pick.coverage:.0%} of the question's words")
    return Verdict(True, "answered")
