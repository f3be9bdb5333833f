"""`kbsleep ask`: precomputed answers first, then bounded retrieval and a cited answer.

The order of the paths, and why:
1. precomputed: a fresh anticipated question that means the same (see `kbsleep.search.match`)
   answers with zero model calls;
2. retrieval: the best sections within `ask.context-tokens`, when they cover enough of the
   question (`ask.min-coverage`); otherwise the answer is "not in the wiki", never a guess;
3. the engine writes the answer from those sections only: the anthropic engine a cited
   answer, the offline engine the best supporting sentences (`offline_answer`). When the
   model's answer is unusable (invalid after its retry, refused, cut off) or the endpoint
   fails after its retries, the offline engine answers instead and `Answer.fallback` says why
   (a budget too small for the call is still an error: the user set it; a busy API is said busy).
Every ask is logged in `.kbsleep/asks.sqlite` (model calls also in the ledger, phase "test"),
and a question that missed the fast path is queued for the next `anticipate`.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbsleep import missed
from kbsleep.asks_log import log
from kbsleep.config import AskConfig, Config
from kbsleep.errors import KbsleepError
from kbsleep.search.index import Anticipated, Hit, Index
from kbsleep.llm.passage import Passage, local_tokens, source_id
from kbsleep.search import abstain, extract, rarity, setting, titled, vectors
from kbsleep.search.context import compact, select
from kbsleep.search.parts import compared_parts, followed
from kbsleep.search.match import mentions, same_question, synonym_groups
from kbsleep.search.namesakes import link_name
from kbsleep.search.question import Question, analyse
from kbsleep.search.rarity import Rarity
from kbsleep.search.retrieve import Ranked, bm25_terms, retrieve as fused
from kbsleep.search.words import stem, tokenize
from kbsleep.state import ensure_state_dir
from kbsleep.wiki.wikilink import section_target

if TYPE_CHECKING:
    from kbsleep.llm.budget import Budget
    from kbsleep.llm.model import Request, Result

MAX_QUESTION_CHARS = 4000
LINKED_SHARE = 0.15  # of `ask.context-tokens`, kept for the sections of linked pages
NOT_FOUND = "Not in the wiki: no page holds an answer to this question."
PATHS = {  # path -> how `ask` describes it
    "precomputed": "precomputed answer (no model call)",
    "model": "retrieval + model",
    "offline": "offline extraction",
    "not-found": "retrieval found nothing relevant",
}
INSTRUCTIONS = """\
You answer questions about a personal wiki using ONLY the sources given. Each source is a
section of a page, with an id of the form Page#Section.
- Answer in one short paragraph of plain prose.
- In `citations`, list the ids of the sources your answer relies on, exactly as given.
- If the sources do not contain the answer, set `found` to false and leave `answer` empty.
  Never use outside knowledge and never guess."""


@lru_cache(maxsize=1)
def _answer_output() -> Any:
    """The `answer` task's schema, made when first needed: pydantic costs an offline `ask` a
    fifth of its time to import, and only a model's answer (or its offline stand-in) needs it."""
    from pydantic import BaseModel

    class AnswerOutput(BaseModel):
        """What the `answer` task returns."""

        answer: str
        citations: list[str]
        found: bool

    AnswerOutput.__module__ = __name__
    AnswerOutput.__qualname__ = "AnswerOutput"
    return AnswerOutput


def __getattr__(name: str) -> Any:
    if name == "AnswerOutput":
        return _answer_output()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Citation:
    target: str  # "Page#Section", as in a wikilink
    path: str  # the page file, wiki-relative
    line: int

    @property
    def wikilink(self) -> str:
        return f"[[{section_target(self.target)}]]"

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...]
    path: str  # a key of PATHS
    engine: str  # "anthropic", "offline", or "" when no engine ran
    tokens: int  # model tokens spent on this ask (0 for precomputed and offline)
    context_tokens: int  # estimated tokens of the retrieved context
    latency_s: float
    matched: str | None = None  # the precomputed question that was served
    score: float = 0.0  # fast-path match score, or retrieval coverage
    about: str | None = None  # the retrieved page the question names, if any
    retrieved: tuple[str, ...] = ()  # the pages retrieval found, best first (for `kbsleep eval`)
    why: str = ""  # for "not in the wiki": why the answer was withheld
    fallback: str | None = None  # why the offline engine answered instead of the model
    namesakes: tuple[str, ...] = ()  # pages of one file name the question names alike, saying no folder: it may mean another

    @property
    def found(self) -> bool:
        return self.path != "not-found"

    def to_json(self) -> dict[str, object]:
        return {
            "question": self.question,
            "answer": self.text,
            "found": self.found,
            "citations": [
                {"target": c.target, "wikilink": c.wikilink, "path": c.path, "line": c.line}
                for c in self.citations
            ],
            "path": self.path,
            "engine": self.engine,
            "tokens": self.tokens,
            "context_tokens": self.context_tokens,
            "latency_s": round(self.latency_s, 4),
            "matched": self.matched,
            "score": self.score,
            **({"why": self.why} if self.why else {}),
            **({"namesakes": list(self.namesakes)} if self.namesakes else {}),
            "fallback": self.fallback,
        }


def ask(
    root: Path,
    config: Config,
    question: str,
    *,
    engine: str | None = None,
    budget: Budget | None = None,
    fast_path: bool = True,
    record: bool = True,
) -> Answer:
    """Answer `question` from the wiki at `root`; log it, and queue it when it missed the fast path."""
    started = time.perf_counter()
    question = " ".join(question.split())
    if not question:
        raise KbsleepError("the question is empty", hint='give it in words, e.g. `kbsleep ask "Who maintains Cobalt?"`')
    if len(question) > MAX_QUESTION_CHARS:
        raise KbsleepError(
            f"the question is {len(question):,} characters long; the limit is {MAX_QUESTION_CHARS:,}",
            hint="ask a shorter question; paste long text into a page instead",
        )
    with Index(root, config) as index:
        index.refresh()
        answer = _answer(root, config, index, question, engine, budget, fast_path)
    answer = dataclasses.replace(answer, latency_s=time.perf_counter() - started)
    if record:
        state = ensure_state_dir(root)
        log(state, answer)
        if answer.path != "precomputed" and answer.citations:
            # One page: the one the question names, else the best evidence's. anticipate
            # answers a queued question on each page it is queued for, and a page that
            # merely mentions the subject would answer it worse.
            missed.record_miss(state, question, [answer.about or answer.citations[0].path])
    return answer


def _answer(
    root: Path, config: Config, index: Index, question: str, engine: str | None,
    budget: Budget | None, fast_path: bool, within: str | None = None,
) -> Answer:  # fmt: skip
    # offline, a question in two parts is answered part by part (`search.parts`), else as it stands
    answer_part = lambda part, page: _answer(root, config, index, part, engine, budget, fast_path, within=page)  # noqa: E731
    parts = (compared_parts(question, answer_part) or followed(index, question, answer_part)) if within is None and _engine(config, engine) == "offline" else None
    if parts is not None:
        return _joined(question, parts)
    asked = analyse(question)
    embedder = index.embedder
    frequency, pages = index.document_frequency([*asked.terms, *asked.named])
    vector = embedder.embed([question])[0] if embedder is not None else None
    ranked = rank(index, asked, _searched(embedder, question, frequency, pages))
    ranked = ranked.on_page(within, index.page_sections([within])) if within is not None else ranked  # a part asked of one page
    answer = _answer_ranked(root, config, index, question, asked, ranked, embedder, vector, engine, budget, fast_path, (frequency, pages))
    return dataclasses.replace(answer, retrieved=tuple(ranked.pages), namesakes=ranked.namesakes)


def _joined(question: str, parts: list[Answer]) -> Answer:
    """One answer of the answers to a question's parts, one after the other."""
    path = "precomputed" if all(part.path == "precomputed" for part in parts) else "offline"
    return Answer(
        question, "\n\n".join(part.text for part in parts), tuple(dict.fromkeys(c for part in parts for c in part.citations)),
        path, "offline", 0, sum(part.context_tokens for part in parts), 0.0,
        retrieved=tuple(dict.fromkeys(page for part in parts for page in part.retrieved)),
    )  # fmt: skip


def _searched(embedder: Any, question: str, frequency: dict[str, int], pages: int) -> Any:
    """The vector sections are searched with: the question's words weighted by their rarity."""
    return vectors.question_vector(embedder, question, lambda w: rarity.word_weight(frequency.get(w), pages)) if embedder else None


def _answer_ranked(
    root: Path, config: Config, index: Index, question: str, asked: Question, ranked: Ranked, embedder: Any,
    vector: Any, engine: str | None, budget: Budget | None, fast_path: bool, rarities: tuple[dict[str, int], int],
) -> Answer:  # fmt: skip
    if fast_path:
        best = precomputed(index, asked, ranked, embedder, vector, config.ask.fast_path_score)
        if best is not None:
            qa, score = best
            # each cited section as a link on the answer's page opens it (its path when its file name is shared)
            cites = tuple(Citation(link_name(f[0], index.shared_names([f[0]])) + t[len(t.partition("#")[0]) :], *f) for t in qa.citations if (f := index.locate(t, qa.page)))
            cites = cites or (Citation(link_name(qa.page, index.shared_names([qa.page])), qa.page, qa.line),)
            return Answer(question, qa.answer, cites, "precomputed", "", 0, 0, 0.0, qa.question, score, qa.page)
    if not ranked.hits:
        return Answer(question, NOT_FOUND, (), "not-found", "", 0, 0, 0.0, why="no section of the wiki matches the question")
    frequency, pages = rarities
    idf = {t: rarity.idf(n, pages) for t, n in frequency.items()}
    about = next(((h.title, h.page.rsplit("/", 1)[-1].removesuffix(".md")) for h in ranked.hits if h.page == ranked.about), (None, None))
    unknown = abstain.unknown_names(asked, frequency) if abstain.unknown_share(asked, frequency, idf) >= abstain.UNKNOWN_SHARE else []
    if not unknown:
        unasked = abstain.unknown_attribute(asked, frequency, *about)
        unknown = unasked if not any(_variant_known(index, t) for t in unasked) else []
    written = lambda phrase: index.document_frequency([phrase])[0].get(phrase, 0) > 0  # noqa: E731
    if not unknown and ranked.about is None and (subject := abstain.defined_phrase(asked)):
        unknown = [subject] if not written(subject) else []  # "What is a red-black tree?" on a wiki that writes "red", "black", "tree" apart
    if not unknown:  # "What is the maximum height of a red-black tree?" on a wiki that never writes "red-black"
        unknown = abstain.unwritten_compounds(asked, written) or abstain.unwritten_names(asked, written)  # ... or "the Path of the Giant"
        unknown = unknown or abstain.unnarrowed(asked, index.together)  # ... or "the Envoy admin interface"
    if unknown:
        return Answer(question, NOT_FOUND, (), "not-found", "", 0, 0, 0.0, about=ranked.about, why=f"the wiki never mentions {abstain.as_asked(asked, unknown)}")
    # the sections of linked pages (a second hop) after the retrieved ones, within the budget
    chosen = select(ranked.hits, config.ask.context_tokens - int(LINKED_SHARE * config.ask.context_tokens) * bool(ranked.linked))
    chosen += select(ranked.linked, config.ask.context_tokens - sum(local_tokens(h.text) for h in chosen))
    by_target = {hit.target: hit for hit in chosen}
    context = tuple(Passage(hit.target, hit.text) for hit in chosen)
    context_tokens = sum(local_tokens(p.text) for p in context)
    if _engine(config, engine) == "offline":
        titles = {hit.target: _place(hit) for hit in chosen}
        about = next((hit.target.partition("#")[0] for hit in ranked.hits if hit.page == ranked.about), None)  # (by its path when its name is shared)
        names = {hit.target.partition("#")[0]: hit.title for hit in chosen}
        found = extract.pick(asked, context, idf, titles=titles, vector=vector, embedder=embedder, about=about, names=names, by_alias=ranked.by_alias, filed=setting.filed(index, asked, chosen))
        verdict = abstain.decide(asked, found, frequency, idf, pages, config.ask.min_coverage, vector is not None, _page_held(asked, chosen, found))
        score = round(found.coverage, 3) if found else 0.0
        if found is None or not verdict.found:
            return Answer(question, NOT_FOUND, (), "not-found", "offline", 0, context_tokens, 0.0, None, score, ranked.about, why=verdict.reason)
        cites = tuple(Citation(t, by_target[t].page, by_target[t].start) for t in found.sources)
        text = titled.filed_under_kind(asked, found.text, [(by_target[t].page, by_target[t].title) for t in found.sources])
        return Answer(question, text, cites, "offline", "offline", 0, context_tokens, 0.0, None, score, ranked.about or cites[0].path)
    if fast_path:
        # What sleep wrote to make this cheap: the precomputed Q&A of the pages retrieved first,
        # then raw sections only within what is left of a smaller budget.
        context, by_target = compact(index, config, asked, ranked)
        context_tokens = sum(local_tokens(p.text) for p in context)
    from kbsleep.llm.model import Request  # the model seam's records only when a model answers (`kbsleep.llm.passage`)
    request = Request(
        task="answer", prompt=question, instructions=INSTRUCTIONS, context=context,
        schema=_answer_output(), pass_name="ask", page=chosen[0].page, phase="test",
    )  # fmt: skip
    result, tokens, fallback = _complete(root, config, request, engine, budget)
    output = result.output
    assert isinstance(output, _answer_output())  # run() only returns results valid for the schema
    cited = [by_target[t] for t in dict.fromkeys(source_id(c) for c in output.citations) if t in by_target]
    if not output.found or not output.answer.strip() or not cited:  # retrieval found sections: say what the model made of them
        why = f"the model {'cited none of' if output.found and output.answer.strip() else 'found no answer in'} the {len(context)} section{'s' * (len(context) != 1)} it was sent"
        return Answer(question, NOT_FOUND, (), "not-found", result.engine, tokens, context_tokens, 0.0, None, 0.0, ranked.about, why=why, fallback=fallback)
    cites = tuple(Citation(h.target, h.page, h.start) for h in cited)
    return Answer(question, output.answer.strip(), cites, "offline" if result.engine == "offline" else "model", result.engine, tokens, context_tokens, 0.0, None, 0.0, ranked.about or cites[0].path, fallback=fallback)


def rank(index: Index, asked: Question, vector: Any = None) -> Ranked:
    """The sections that best match the question, fused from BM25 and vectors, with the page it names."""
    return fused(index, asked, vector)


def retrieve(index: Index, question: str, k: int = 30) -> list[Hit]:
    """The `k` sections that best match `question`, best first (vectors too, when they are on)."""
    embedder = index.embedder
    asked = analyse(question)
    frequency, pages = index.document_frequency(list(asked.terms)) if embedder is not None else ({}, 0)
    return fused(index, asked, _searched(embedder, question, frequency, pages), k=k).hits


def precomputed(index: Index, asked: Question, ranked: Ranked, embedder: Any, vector: Any, threshold: float) -> tuple[Anticipated, float] | None:
    """The fresh precomputed Q&A that asks the same thing as `asked` (`search.match`), and its score.

    Only answers kept on the page the question names are served: one kept elsewhere (Ada's
    birth year on a page that mentions Ada) goes stale unseen when Ada's page changes, since
    freshness is judged by the page that holds the answer.
    """
    candidates = {(qa.page, qa.question): qa for qa in index.anticipated(bm25_terms(asked.text))}
    for qa in index.anticipated_on(ranked.pages[:3]):
        candidates.setdefault((qa.page, qa.question), qa)
    named = [qa for qa in candidates.values() if mentions(asked.text, (qa.title, *qa.aliases, _stem(qa.page)))]
    if not named:
        return None
    stored = index.vectors([qa.hash for qa in named]) if vector is not None else {}
    words = embedder.embed if embedder is not None else None
    best: tuple[Anticipated, float] | None = None
    for qa in named:
        pair = (vector, stored[qa.hash]) if qa.hash in stored else None
        if vector is not None and pair is None:
            pair = (vector, embedder.embed([qa.question])[0])
        match = same_question(asked, qa.question, (qa.title, *qa.aliases, _stem(qa.page)), vectors=pair, words=words)
        if match.score >= threshold and (best is None or match.score > best[1]):
            best = (qa, match.score)
    return best


def _variant_known(index: Index, word: str) -> bool:
    """Whether a form of `word` the synonym table knows ("license" for "licence") is in the wiki."""
    variants = [w for group in synonym_groups(word) for w in group if w != word]
    return bool(variants) and any(index.document_frequency(variants)[0].values())


def _engine(config: Config, engine: str | None) -> str:
    from kbsleep.llm import engine_name

    return engine_name(config.llm, engine)


def _place(hit: Hit) -> str:
    """The words of where a section sits: its page's title and file name, folder and heading."""
    return f"{hit.title} {hit.page.removesuffix('.md').replace('/', ' ')} {hit.heading}"


def _complete(root: Path, config: Config, request: Request, engine: str | None, budget: Budget | None) -> tuple[Result, int, str | None]:
    """The engine's result, the model tokens spent, and why the offline engine answered instead (or None)."""
    from kbsleep.llm import run, select_engine

    model = select_engine(config.llm, engine, state_dir=ensure_state_dir(root))
    report = run(model, [request], config.llm, budget=budget, concurrency=1)
    if report.results:
        return report.results[0], report.usage.total_tokens, None
    if report.busy or any(r.busy for r in report.skipped):  # not "no usable answer": a minute's wait gives the model's
        reason = f"{report.stop_reason or report.skipped[0].error}: the model could not answer now (nothing is wrong with the wiki or the question; ask again in a minute or two for its answer)"
    elif report.skipped:
        reason = f"the model gave no usable answer: {report.skipped[0].error}"
    elif report.stop_kind == "endpoint":
        reason = f"the model could not be reached: {report.stop_reason}"
    else:
        raise KbsleepError(report.stop_reason or "the question was not answered", hint=report.hint)
    return offline_answer(request), report.usage.total_tokens, reason


def offline_answer(request: Request, known: Rarity | None = None) -> Result:
    """The offline engine's `answer` task: the units of the context that answer the question, cited.

    The same extraction and abstention as an offline `ask` (`search.extract`, `search.abstain`). With `known`
    (`search.rarity.word_rarity`), each word weighs by how rare it is in the wiki, as an offline `ask` weighs it; without,
    by how rare it is among the passages sent. This is what answers when the request did not come from `ask` itself (a
    model's fallback, and the benchmarks' simulated model, which stands for a model that knows how rare a word is whatever it was sent).
    """
    from kbsleep.llm.offline import offline_result  # (as `Request` in `_answer_ranked`)

    asked = analyse(request.prompt)
    if known is None:
        frequency, pages, idf = {}, len(request.context), rarity.idf_from(request.context, asked.terms)
    else:
        (frequency, idf), pages = known.of([*asked.terms, *asked.named]), known.pages
    found = extract.pick(asked, request.context, idf)
    verdict = abstain.decide(asked, found, frequency, idf, pages, AskConfig().min_coverage, False)
    if found is None or not verdict.found:
        return offline_result(request, output=_answer_output()(answer="", citations=[], found=False))
    return offline_result(request, text=found.text, output=_answer_output()(answer=found.text, citations=list(found.sources), found=True))


# -- internals ---------------------------------------------------------------------------------

def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def _page_held(asked: Question, chosen: list[Hit], found: extract.Pick | None) -> frozenset[str]:
    """The stems of the question's words that the retrieved sections of the answer's pages hold."""
    pages = {source.partition("#")[0] for source in found.sources} if found else set()
    terms = {stem(t) for t in asked.terms}
    return frozenset(terms & {stem(w) for hit in chosen if hit.target.partition("#")[0] in pages for w in tokenize(f"{hit.title} {hit.heading} {hit.text}")})
