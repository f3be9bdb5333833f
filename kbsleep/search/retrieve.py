"""Fused retrieval: BM25 over sections (title, aliases, headings, text and the anticipated
questions that cite them) and vector similarity, merged by reciprocal rank fusion.

RRF (Cormack et al., 2009) adds 1 / (K + rank) over the rankings a section is in: it needs no
calibration between BM25's unbounded scores and cosines, and a section both rankings agree on
beats one only a single ranking likes. Without vectors it is BM25 alone. When the best BM25
sections hold under 60% of the question's words, the question is worded unlike the wiki (a
paraphrase: "stop paying" for "subscription expires") and the vector ranking counts three times.
The question's vector weighs its words by their rarity in the wiki (`vectors.question_vector`).
With the static vectors, the pages whose own questions (anticipated, or headings that ask) are
nearest the asked one are a third ranking (`search.peers`). A question that describes a page's
subject instead of naming it is searched again by that name (`search.described`), and the
sections that mention the subject and are nearest what is asked of it come first.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kbsleep.llm.passage import local_tokens
from kbsleep.search import described, peers, rarity, vectors
from kbsleep.search.described import Described
from kbsleep.search.alike import acronym_of
from kbsleep.search.defining import names_page
from kbsleep.search.counts import counted, heading_counts
from kbsleep.search.match import STOP, synonym_groups
from kbsleep.search.namesakes import by_folder, folder_words, same_name
from kbsleep.search.places import place_sections
from kbsleep.search.question import Question, analyse, verbs
from kbsleep.search.tasks import NAMED, named_task
from kbsleep.search.words import query_terms, singular, stem, stems, tokenize

if TYPE_CHECKING:
    from kbsleep.search.index import Hit, Index

K = 60  # RRF's constant
VECTOR_FLOOR = 0.25  # a section only vectors found must be at least this close to the question
DEPTH = 60  # sections taken from each ranking
LEXICAL_MISS = 0.6  # the first BM25 sections hold less than this share of the question's words ...
VECTOR_WEIGHT = 3.0  # ... so it is worded unlike the wiki (a paraphrase): the vector ranking counts this much
WHOLE_PAGE = 1500  # a page the question names this short is read whole
COMMON = 0.8  # a word on more than this share of the pages ("Obsidian" in Obsidian's help: 86%) names no folder for a question
PLACED = 1.0  # a place question's sections that write a path named for what it asks about: a ranking of their own
HEADED = 1.0  # a how-to's sections whose heading names the task (`tasks.NAMED`): a third ranking, weighted so
MAX_GROUPS = 32  # words of a question that BM25 considers
_WORD = re.compile(r"\w+")
_HEADING_LINE = re.compile(r"^#{1,6}\s.*$", re.M)
_NEGATION = re.compile(r"\b(?:not|no|never|non|isn't|aren't|doesn't|don't|won't|can't|cannot)\b|\bnon-", re.I)
NEGATED = 0.5
FLAT = 0.05  # the vector ranking's first and DEPTH-th cosines closer than this: it ranks nothing  # a section whose heading negates counts this much for a question that does not


@dataclass(frozen=True)
class Ranked:
    """Sections for a question, best first, and what ranked them."""

    hits: list[Hit]
    fused: dict[int, float]  # section row id -> RRF score
    cosine: dict[int, float] = field(default_factory=dict)  # section row id -> cosine with the question
    vector: Any = None  # the question's vector (numpy), None without vectors
    about: str | None = None  # the page the question names, if one of the retrieved pages
    linked: list[Hit] = field(default_factory=list)  # sections of pages the first links to, for the words it lacks
    by_alias: bool = False  # `about` is the page a definition question's subject is an alias of
    described: Described | None = None  # what the question describes instead of naming, when it was searched by its name
    namesakes: tuple[str, ...] = ()  # the pages of one file name the question names alike, its words naming none's folder (`search.namesakes`)

    @property
    def pages(self) -> list[str]:
        """The retrieved pages, best first."""
        return list(dict.fromkeys(hit.page for hit in self.hits))

    def on_page(self, page: str, sections: Sequence[Hit]) -> Ranked:
        """These sections of `page` only, then its other `sections` in page order: the page a
        part of the question must be answered from (`search.parts`)."""
        hits = [hit for hit in self.hits if hit.page == page]
        return dataclasses.replace(self, hits=hits + [hit for hit in sections if hit.id not in {h.id for h in hits}], linked=[], about=page)

    def by_path(self, shared: set[str]) -> Ranked:
        """These sections, those of the pages `shared` (whose file name another page has) named by their path (`Hit.target`)."""
        mark = lambda hits: [dataclasses.replace(hit, shared=True) if hit.page in shared else hit for hit in hits]  # noqa: E731
        return dataclasses.replace(self, hits=mark(self.hits), linked=mark(self.linked)) if shared else self


def bm25_terms(text: str) -> list[str]:
    """The words BM25 searches for: each asked word (a phrase folded to its concept), and its
    concept's word when that is another spelling of it ("licence" for "license"). A synonym
    spelled otherwise ("end" for "stop") is left to the vectors: searched as a word, it brought
    "end-to-end encryption" for "How do I stop a folder from syncing?". The one verb a phrasal
    verb stands for is searched too ("exclude" for "stop ... from syncing": `question.verbs`)."""
    terms = [t for asked, *synonyms in synonym_groups(text)[:MAX_GROUPS] for t in [asked, *synonyms[:1]] if t[:4] == asked[:4]]
    return list(dict.fromkeys([*terms, *verbs(text)])) or query_terms(text)


def retrieve(index: Index, question: Question, vector: Any = None, k: int = 30) -> Ranked:
    """The `k` best sections for `question`; `vector` is its embedding when vectors are on. A
    question that names no page but describes one ("the one-time supporter purchase that
    unlocks beta builds early") is searched with that page's name in its place (`search.described`).
    A section of a page whose file name another page has is named by its path (`Hit.target`)."""
    ranked = _described(index, question, vector, k)
    return ranked.by_path(index.shared_names(list(dict.fromkeys(hit.page for hit in [*ranked.hits, *ranked.linked]))))


def _described(index: Index, question: Question, vector: Any, k: int) -> Ranked:
    ranked = _retrieve(index, question, vector, k)
    if ranked.about is not None or vector is None or ranked.by_alias:
        return ranked
    found = described.resolve(index, question.text, question.named)
    if found is None:
        return ranked
    asked = analyse(found.question)
    again = _retrieve(index, asked, _vector(index, found.question), k)
    # what the question asks of the thing, its description left out ("I paid for. Can I get my money
    # back?"), is said in other words than the wiki's ("money back" for "refund"): the vectors rank it
    rest = found.question.replace(found.name, " ")
    nearest = index.nearest(_vector(index, rest), DEPTH)
    leads = _mentioning(index, found, index.sections([row for row, _ in nearest]))
    if not leads:
        return dataclasses.replace(again, described=found)
    leads = _short_page(index, leads)
    have = {hit.id for hit in leads}
    hits = [*leads, *(hit for hit in again.hits if hit.id not in have)][: max(k, 1)]
    return dataclasses.replace(again, hits=hits, about=hits[0].page, described=found, linked=expand(index, asked, hits))


LEADS = 3  # sections that mention the described thing and are nearest what is asked of it, put first


def _short_page(index: Index, leads: list[Hit]) -> list[Hit]:
    """The first lead, the other sections of its page when that is short (`WHOLE_PAGE`): the
    section nearest what is asked may be the page's "Request a refund" while its opening says
    which purchases are not refundable; then the other leads."""
    sections = index.page_sections([leads[0].page])
    if sum(local_tokens(hit.text) for hit in sections) > WHOLE_PAGE:
        return leads
    have = {hit.id for hit in sections}
    return [leads[0], *(hit for hit in sections if hit.id != leads[0].id), *(hit for hit in leads if hit.id not in have)]


def _vector(index: Index, text: str) -> Any:
    """The vector `text` is searched with, its words weighted by their rarity (as `ask` does)."""
    frequency, pages = index.document_frequency(query_terms(text))
    return vectors.question_vector(index.embedder, text, lambda w: rarity.word_weight(frequency.get(w), pages))


def _mentioning(index: Index, found: Described, hits: Sequence[Hit]) -> list[Hit]:
    """The first `LEADS` of `hits` that mention the described thing: on its page, on a page that
    links to it, or writing its name."""
    name = found.name.casefold()
    pages = list(dict.fromkeys(hit.page for hit in hits))
    linking = {page for page, targets in index.linked(pages).items() if found.page in targets} | {found.page}
    return [hit for hit in hits if hit.page in linking or name in hit.text.casefold()][:LEADS]


def _retrieve(index: Index, question: Question, vector: Any = None, k: int = 30) -> Ranked:
    lexical = index.search(bm25_terms(question.text), k=DEPTH)
    fused: dict[int, float] = {}
    for rank, hit in enumerate(lexical):
        fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (K + rank)
    if question.kind == "howto":
        for rank, row in enumerate(task_sections(question, lexical)):
            fused[row] += HEADED / (K + rank)
    cosine: dict[int, float] = {}
    nearest = index.nearest(vector, DEPTH) if vector is not None else []
    # a ranking whose first and last sections are about as close to the question is no ranking:
    # the model does not know the wiki's words (a static English model on Chinese pages)
    flat = len(nearest) >= DEPTH and nearest[0][1] - nearest[-1][1] < FLAT
    weight = 0.0 if flat else VECTOR_WEIGHT if lexical_share(question, lexical[:3]) < LEXICAL_MISS else 1.0
    for rank, (row, cos) in enumerate(nearest):
        cosine[row] = cos
        if weight and (row in fused or cos >= VECTOR_FLOOR):
            fused[row] = fused.get(row, 0.0) + weight / (K + rank)
    known = {hit.id: hit for hit in lexical}
    if question.form == "place":  # a path named for the thing asked about is the place asked for (`search.places`)
        said = {hit.id for hit in lexical}
        known.update((hit.id, hit) for hit in index.sections([row for row, _ in nearest if row not in said]))
        pool = [*lexical, *(known[row] for row, _ in nearest if row in known and row not in said)]
        for rank, row in enumerate(place_sections(question, pool)):
            fused[row] = fused.get(row, 0.0) + PLACED / (K + rank)
    if vector is not None and not flat:
        fused = peers.fuse(index, question, fused, known, K)
    order = sorted(fused, key=lambda row: (-fused[row], row))[: max(k, 1)]
    fetched = {hit.id: hit for hit in index.sections([row for row in order if row not in known])}
    hits = [known.get(row) or fetched[row] for row in order if row in known or row in fetched]
    if not _NEGATION.search(question.text):
        # "## What SpecSafe is not" answers "What is SpecSafe?" with what it is not: after the others
        hits.sort(key=lambda hit: -fused[hit.id] * (NEGATED if _NEGATION.search(hit.heading) else 1.0))
    named = named_pages(question, hits)
    shared = same_name(named)
    # of pages of one file name, the one whose folder the question names; else the first retrieved,
    # and `namesakes` says that the question did not say which
    chosen = _by_folder(index, question, shared) if shared else None
    about = chosen or (named[0] if named else None)
    if about is None or _common_word(question, next(h.title for h in hits if h.page == about)):
        # ("What port does SFTP use?" names *Port* by a common word, and SFTP's page by its acronym)
        found = _named_elsewhere(index, question)
        if found is not None:
            about, sections, by_alias = found
            have = {h.id for h in sections}
            hits = _abbreviated(index, question, about, [*sections, *(h for h in hits if h.id not in have)][: max(k, 1)])
            return Ranked(hits, fused, cosine, vector, about, expand(index, question, hits), by_alias)
    if about is None:
        about = aliased_page(question, hits, index.aliases_of(list(dict.fromkeys(hit.page for hit in hits))))
    if about is not None:
        hits = _whole(index, about, _abbreviated(index, question, about, hits))
    return Ranked(hits, fused, cosine, vector, about, expand(index, question, hits), namesakes=shared if chosen is None else ())


def _by_folder(index: Index, question: Question, pages: Sequence[str]) -> str | None:
    """Of several pages the question names alike, the one its words name the folder of
    (`search.namesakes`); a word on nearly every page of the wiki (`COMMON`) tells nothing."""
    if len(pages) < 2:
        return None
    words = sorted(set().union(*map(folder_words, pages)))
    frequency, total = index.document_frequency(words)
    return by_folder(question.text, pages, {word for word in words if frequency.get(word, 0) > COMMON * total})


def _abbreviated(index: Index, question: Question, about: str, hits: list[Hit]) -> list[Hit]:
    """`hits` with the sections of the page the question names that write an acronym of its words
    (a stat block's "CR" for "What is the challenge rating of an Aarakocra?") or whose heading
    counts what a "how many" question counts ("## Steps (7 total)" over a list that never says
    "step") right after that page's first section: a search for the words written out ranks them
    low or not at all."""
    terms = [t for t in question.terms if t not in question.named]
    thing = counted(question.text) if question.form == "number" else None
    abbreviated = [hit for hit in index.page_sections([about]) if acronym_of(terms, hit.text) or (thing and heading_counts(hit.heading, thing))]
    if not abbreviated:
        return hits
    moved = {hit.id for hit in abbreviated}
    rest = [hit for hit in hits if hit.id not in moved]
    first = next((i for i, hit in enumerate(rest) if hit.page == about), -1)
    return [*rest[: first + 1], *abbreviated, *rest[first + 1 :]]


def _whole(index: Index, about: str, hits: list[Hit]) -> list[Hit]:
    """`hits` with the other sections of the page the question names, right after its own, when
    retrieval found only its title (a section that is its heading alone: "# Wizard" above
    "## Class Progression") and the page is short (`WHOLE_PAGE` tokens): a page about one thing
    answers a question about it from any section ("Which feature does a wizard gain at 5th level?")."""
    own = [hit for hit in hits if hit.page == about]
    if any(_WORD.search(_HEADING_LINE.sub("", hit.text)) for hit in own):
        return hits
    sections = index.page_sections([about])
    if sum(local_tokens(hit.text) for hit in sections) > WHOLE_PAGE:
        return hits
    have = {hit.id for hit in hits}
    last = max(i for i, hit in enumerate(hits) if hit.page == about)
    return [*hits[: last + 1], *(hit for hit in sections if hit.id not in have), *hits[last + 1 :]]


def _common_word(question: Question, title: str) -> bool:
    """Whether a page's title is one word the question writes only in lower case ("port" for *Port*,
    "theme" for *Themes*)."""
    words = _WORD.findall(title)
    said = _WORD.findall(question.text)
    return len(words) == 1 and words[0] not in said and singular(words[0].casefold()) in {singular(w.casefold()) for w in said}


def task_sections(question: Question, hits: Sequence[Hit]) -> list[int]:
    """The rows of `hits` (BM25's order) whose heading names the task a how-to asks ("Embed an
    image in a note" for "How do I embed an image?"): the vectors, which weigh a section's whole
    text, rank the *Media files* page's "Images" first, though it is not how to embed one."""
    asked = {stem(t) for t in question.terms}
    return [hit.id for hit in hits if named_task(hit.heading, asked) >= NAMED]


_NAME_RUN = re.compile(r"(?<!^)(?<![\w'])[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*)*")


def _named_elsewhere(index: Index, question: Question) -> tuple[str, list[Hit], bool] | None:
    """The page a name the question writes in capitals ("Who developed Dataview?") is the file
    name or title of, or a definition question's subject the alias of, when retrieval did not bring it (a name on many pages, "Dataview", ranks
    the pages that mention it above its own): its sections, to be ranked first."""
    body = question.text.split(None, 1)[1] if " " in question.text else ""
    names = [(run, False) for run in sorted(_NAME_RUN.findall(body), key=len, reverse=True)]
    if question.subject:  # what a definition question asks about names a page by an alias too ("What is a hash table?": *Hashmap*)
        names.insert(0, (question.subject, True))
    for name, alias in names:
        found = index.pages_named(name, alias)
        page = found[0] if len(found) == 1 else _by_folder(index, question, same_name(found))
        if page is not None:
            sections = index.page_sections([page])
            if sections:
                return page, sections, alias and not names_page(name, page.rsplit("/", 1)[-1].removesuffix(".md"), sections[0].title)
    return None


def lexical_share(question: Question, hits: Sequence[Hit]) -> float:
    """The largest share of the question's words (stemmed) that one of `hits` holds, with its
    title and heading: low when the question says in other words what the wiki says."""
    asked = {stem(t) for t in question.terms}
    if not asked:
        return 1.0
    return max((len(asked & {stem(w) for w in tokenize(f"{h.title} {h.heading} {h.text}")}) / len(asked) for h in hits), default=0.0)


LINKED = 3  # sections of linked pages added for a question the first page answers only in part
ANCHOR_DEPTH = 10  # the first page's sections among this many first hits: their links by heading are followed


def expand(index: Index, question: Question, hits: list[Hit]) -> list[Hit]:
    """The sections of the pages the first page links to that hold the question's words it
    lacks: "Where does File recovery keep its snapshots on a Mac?" needs the page that says
    where Obsidian keeps its data, which File recovery links to. A section that one of the
    first page's retrieved sections links to by heading ("Snapshots are kept in the [[How
    Obsidian stores data#Global settings|Global settings]]") counts one word more: the page
    points the reader there for what it does not say itself."""
    if not hits:
        return []
    top = hits[0].page
    covered = set().union(*(stems(f"{hit.title} {hit.heading} {hit.text}") for hit in hits if hit.page == top))
    missing = {stem(t) for t in question.terms} - covered
    if not missing:
        return []
    anchored = [hit for hit in index.anchored([hit.id for hit in hits[:ANCHOR_DEPTH] if hit.page == top]) if hit.page != top]
    pointed = {hit.id for hit in anchored}
    targets = index.linked([top]).get(top, [])[:10]
    have = {hit.id for hit in hits}
    candidates = {hit.id: hit for hit in [*index.page_sections(targets), *anchored]}
    scored = []
    for hit in candidates.values():
        words = stems(f"{hit.title} {hit.heading} {hit.text}")
        gain = len(missing & words) + (hit.id in pointed)
        if gain and hit.id not in have:
            scored.append((-gain, len(hit.text), hit))
    return [hit for *_, hit in sorted(scored, key=lambda x: (x[0], x[1]))[:LINKED]]


def named_page(question: Question, hits: Sequence[Hit]) -> str | None:
    """The retrieved page whose whole title or file name the question names (the longest such
    name; of two as long, the first retrieved), word for word but for a plural ("the Templater
    plugin" names "Templater", not "Template plugins")."""
    named = named_pages(question, hits)
    return named[0] if named else None


def named_pages(question: Question, hits: Sequence[Hit]) -> tuple[str, ...]:
    """The retrieved pages whose whole title or file name the question names by the longest
    such name, in the order retrieved: *Plugins/Templates* and *Obsidian Web Clipper/Templates*
    for "What is Templates?"."""
    said = [singular(w) for w in (m.casefold() for m in _WORD.findall(question.text)) if w not in STOP]
    body = question.text.split(None, 1)[1] if " " in question.text else ""
    runs = [[singular(w.casefold()) for w in _WORD.findall(run)] for run in _NAME_RUN.findall(body)]
    best: tuple[int, bool] | None = None
    pages: list[str] = []
    for hit in hits:
        # of two pages titled alike ("Tidal mixing" working notes, *Tidal Mixing*), the one whose file
        # name the question says too: the name a link to it resolves by
        for by_file, name in ((False, hit.title), (True, hit.page.rsplit("/", 1)[-1].removesuffix(".md"))):
            parts = [singular(w) for w in (m.casefold() for m in _WORD.findall(name)) if w not in STOP]
            if parts and _contains(said, parts) and not _part_of_name(parts, runs):
                if best is None or (len(parts), by_file) > best:
                    best, pages = (len(parts), by_file), [hit.page]
                elif (len(parts), by_file) == best and hit.page not in pages:
                    pages.append(hit.page)
    return tuple(pages)


def aliased_page(question: Question, hits: Sequence[Hit], aliases: dict[str, set[str]]) -> str | None:
    """The one retrieved page an alias of which the question says as a common-noun phrase: of two
    words or more, word for word but for a plural, none of them written in capitals ("What file
    formats can Obsidian open?" asks *Accepted file formats*, aliased "File formats"). An alias the
    question capitalises is a name ("Obsidian Sync" of *Introduction to Obsidian Sync*), which a
    question about a feature of that thing does not ask about the page the alias is on."""
    body = question.text.split(None, 1)[1] if " " in question.text else ""
    said = [singular(w) for w in (m.casefold() for m in _WORD.findall(question.text)) if w not in STOP]
    capitalised = {singular(w.casefold()) for w in _WORD.findall(body) if w[0].isupper()}
    found: set[str] = set()
    for page in dict.fromkeys(hit.page for hit in hits):
        for alias in aliases.get(page, ()):
            parts = [singular(w) for w in _WORD.findall(alias) if w not in STOP]
            if len(parts) >= 2 and _contains(said, parts) and not capitalised & set(parts):
                found.add(page)
    return found.pop() if len(found) == 1 else None


def _part_of_name(parts: Sequence[str], runs: Sequence[Sequence[str]]) -> bool:
    """Whether a page's name is only a part of a longer name the question writes in capitals
    ("Sneak" in "Which class gets Sneak Attack?"): the question names that longer thing."""
    return any(len(run) > len(parts) and _contains(run, parts) for run in runs) and not any(list(run) == list(parts) for run in runs)


def _contains(words: Sequence[str], run: Sequence[str]) -> bool:
    """Whether `run` occurs in `words` as consecutive words: a name is said as a phrase ("the
    Command palette"), never assembled from words strewn over the question ("a link ... that note"
    does not name "Link notes")."""
    size = len(run)
    return any(list(words[i : i + size]) == list(run) for i in range(len(words) - size + 1))
