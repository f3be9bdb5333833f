"""`kbsleep ask`: precomputed answers first, then bounded retrieval and a cited answer.

The order of the paths, and why:
1. precomputed: a fresh anticipated question that means the same (see `kbsleep.paraphrase`)
   answers with zero model calls;
2. retrieval: the best sections within `ask.context-tokens`, when they cover enough of the
   question (`ask.min-coverage`); otherwise the answer is "not in the wiki", never a guess;
3. the engine writes the answer from those sections only: the anthropic engine a cited
   answer, the offline engine the best supporting sentences (`offline_answer`). When the
   model's answer is unusable (invalid after its retry, refused, cut off) or the endpoint
   fails after its retries, the offline engine answers instead and `Answer.fallback` says why
   (a budget too small for the call is still an error: the user set it).
Every ask is logged in `.kbsleep/asks.sqlite` (model calls also in the ledger, phase "test"),
and a question that missed the fast path is queued for the next `anticipate`.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel

from kbsleep import paraphrase, questions
from kbsleep.config import Config
from kbsleep.errors import KbsleepError
from kbsleep.index import Anticipated, Hit, Index, query_terms
from kbsleep.llm.bm25 import BM25, tokenize
from kbsleep.llm.budget import Budget, local_tokens
from kbsleep.llm.extract import sentences
from kbsleep.llm.model import Passage, Request, Result
from kbsleep.llm.offline import offline_result
from kbsleep.state import connect, ensure_state_dir

MAX_QUESTION_CHARS = 4000
MIN_SENTENCE_WORDS = 4  # shorter "sentences" are table rows and field lines, rarely an answer
MAX_GROUPS = 32  # words of a question that retrieval considers
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


class AnswerOutput(BaseModel):
    """What the `answer` task returns."""

    answer: str
    citations: list[str]
    found: bool


@dataclass(frozen=True)
class Citation:
    target: str  # "Page#Section", as in a wikilink
    path: str  # the page file, wiki-relative
    line: int

    @property
    def wikilink(self) -> str:
        return f"[[{self.target}]]"

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
    fallback: str | None = None  # why the offline engine answered instead of the model

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
        raise KbsleepError("the question is empty", hint='kbsleep ask "Who maintains Cobalt?"')
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
            questions.record_miss(state, question, [answer.about or answer.citations[0].path])
    return answer


def _answer(
    root: Path, config: Config, index: Index, question: str, engine: str | None,
    budget: Budget | None, fast_path: bool,
) -> Answer:  # fmt: skip
    groups = paraphrase.groups(question)[:MAX_GROUPS]
    expanded = list(dict.fromkeys(w for g in groups for w in g))
    if fast_path:
        best = precomputed(index, question, expanded, config.ask.fast_path_score)
        if best is not None:
            qa, score = best
            cites = tuple(c for c in (_locate(index, t) for t in qa.citations) if c is not None)
            cites = cites or (Citation(_stem(qa.page), qa.page, qa.line),)
            return Answer(question, qa.answer, cites, "precomputed", "", 0, 0, 0.0, qa.question, score)
    hits = retrieve(index, question)
    # Common predicates ("use", "maintain": synonym groups) weigh half: a page can answer
    # "What licence does Cobalt use?" without the word "use"; it cannot skip "Cobalt".
    weighted = [(g, 0.5 if len(g) > 1 else 1.0) for g in groups]
    coverage = round(index.coverage(weighted, hits[:3]), 3) if hits else 0.0
    if not hits or coverage < config.ask.min_coverage:
        return Answer(question, NOT_FOUND, (), "not-found", "", 0, 0, 0.0, None, coverage)
    chosen = select(hits, config.ask.context_tokens)
    by_target = {hit.target: hit for hit in chosen}
    context = tuple(Passage(hit.target, hit.text) for hit in chosen)
    context_tokens = sum(local_tokens(p.text) for p in context)
    request = Request(
        task="answer", prompt=question, instructions=INSTRUCTIONS, context=context,
        schema=AnswerOutput, pass_name="ask", page=chosen[0].page, phase="test",
    )  # fmt: skip
    result, tokens, fallback = _complete(root, config, request, engine, budget)
    output = result.output
    assert isinstance(output, AnswerOutput)  # run() only returns results valid for the schema
    cited = [by_target[t] for t in dict.fromkeys(c.strip().strip("[]") for c in output.citations) if t in by_target]
    path = "offline" if result.engine == "offline" else "model"
    if not output.found or not output.answer.strip() or not cited:
        return Answer(question, NOT_FOUND, (), "not-found", result.engine, tokens, context_tokens, 0.0, None, coverage, fallback=fallback)
    cites = tuple(Citation(h.target, h.page, h.start) for h in cited)
    about = next((h.page for h in hits if paraphrase.mentions(question, (h.title, _stem(h.page)))), None)
    return Answer(question, output.answer.strip(), cites, path, result.engine, tokens, context_tokens, 0.0, None, coverage, about, fallback)


def retrieve(index: Index, question: str, k: int = 30) -> list[Hit]:
    """The sections that best match `question`: its words, phrases folded to their concepts."""
    groups = paraphrase.groups(question)[:MAX_GROUPS]
    terms = list(dict.fromkeys(g[0] if len(g) == 1 else g[1] for g in groups)) or query_terms(question)
    return index.search(terms, k=k)


def precomputed(index: Index, question: str, terms: list[str], threshold: float) -> tuple[Anticipated, float] | None:
    """The best fresh anticipated Q&A that matches `question` at `threshold` or better, and its score."""
    # Only answers kept on the page the question names are served. One kept elsewhere (Ada's
    # birth year on a page that mentions Ada) goes stale unseen when Ada's page changes, since
    # freshness is judged by the page that holds the answer.
    best: tuple[Anticipated, float] | None = None
    for qa in index.anticipated(terms):
        names = (qa.title, *qa.aliases, _stem(qa.page))
        if not paraphrase.mentions(question, names):
            continue
        match = paraphrase.similarity(question, qa.question, names)
        if match.score >= threshold and (best is None or match.score > best[1]):
            best = (qa, match.score)
    return best


def select(hits: list[Hit], budget_tokens: int) -> list[Hit]:
    """The best sections that fit in `budget_tokens`; a section too long is cut, never the budget."""
    chosen: list[Hit] = []
    used = 0
    for hit in hits:
        cost = local_tokens(hit.text)
        room = budget_tokens - used
        if room <= 50:
            break
        if cost > room:
            if chosen:
                continue  # a smaller later section may still fit
            hit = Hit(hit.page, hit.title, hit.heading, hit.start, hit.end, hit.text[: room * 4], hit.score)
            cost = room
        chosen.append(hit)
        used += cost
    return chosen


def _complete(root: Path, config: Config, request: Request, engine: str | None, budget: Budget | None) -> tuple[Result, int, str | None]:
    """The engine's result, the model tokens spent, and why the offline engine answered instead (or None)."""
    from kbsleep.llm import run, select_engine

    model = select_engine(config.llm, engine, state_dir=ensure_state_dir(root))
    report = run(model, [request], config.llm, budget=budget, concurrency=1)
    if report.results:
        return report.results[0], report.usage.total_tokens, None
    if report.skipped:
        reason = f"the model gave no usable answer: {report.skipped[0].error}"
    elif report.stop_kind == "endpoint":
        reason = f"the model could not be reached: {report.stop_reason}"
    else:
        raise KbsleepError(report.stop_reason or "the question was not answered", hint=report.hint)
    return offline_answer(request), report.usage.total_tokens, reason


def offline_answer(request: Request) -> Result:
    """The offline engine's `answer` task: the sentences that best support an answer, cited.

    Each sentence is scored (BM25) against the question without the words of its own page's
    name, since the page already stands for them: on Ada's page "She was born in 1815"
    answers "When was Ada born?" better than "Ada was a mathematician". Earlier (better
    retrieved) sections weigh more.
    """
    # BM25 here does not stem: add the context's own forms of each asked concept
    # ("maintained" for "maintains", "licensed" for "licence").
    asked = set(paraphrase.concepts(request.prompt))
    vocabulary = {w for p in request.context for w in tokenize(p.text)}
    query = " ".join([request.prompt, *sorted(w for w in vocabulary if paraphrase.concept_of(w) in asked)])
    candidates = [s for s in sentences(request.context) if not s.heading and len(s.text.split()) >= MIN_SENTENCE_WORDS]
    if not candidates:
        candidates = [s for s in sentences(request.context) if not s.heading]
    ranker = BM25((str(i), s.text) for i, s in enumerate(candidates))
    rank = {p.source: i for i, p in enumerate(request.context)}
    scored: list[tuple[float, int]] = []
    for source in dict.fromkeys(s.source for s in candidates):
        own = set(tokenize(source.replace("#", " ")))
        rest = " ".join(w for w in tokenize(query) if w not in own)
        scores = ranker.scores(rest or query)
        boost = 1 + 1 / (1 + rank[source])
        scored.extend((scores[i] * boost, i) for i, s in enumerate(candidates) if s.source == source and scores[i] > 0)
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    if not scored:
        return offline_result(request, output=AnswerOutput(answer="", citations=[], found=False))
    kept = [candidates[i] for score, i in scored[:3] if score >= scored[0][0] / 2]
    text = " ".join(s.text for s in kept)
    sources = list(dict.fromkeys(s.source for s in kept))
    return offline_result(request, text=text, output=AnswerOutput(answer=text, citations=sources, found=True))


# -- the ask log ------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS asks (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    question TEXT NOT NULL,
    path TEXT NOT NULL,             -- precomputed / model / offline / not-found
    engine TEXT NOT NULL,
    tokens INTEGER NOT NULL,        -- model tokens spent on this ask
    context_tokens INTEGER NOT NULL,
    latency_s REAL NOT NULL,
    matched TEXT,
    citations TEXT NOT NULL         -- JSON list of "path:line"
)
"""


def log_path(state: Path) -> Path:
    return state / "asks.sqlite"


def log(state: Path, answer: Answer) -> None:
    with connect(log_path(state)) as db:
        db.execute(_SCHEMA)
        db.execute(
            "INSERT INTO asks (ts, question, path, engine, tokens, context_tokens, latency_s, matched, citations)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (datetime.now(timezone.utc).isoformat(timespec="milliseconds"), answer.question, answer.path,
             answer.engine, answer.tokens, answer.context_tokens, answer.latency_s, answer.matched,
             json.dumps([c.location for c in answer.citations])),
        )  # fmt: skip


def asks(state: Path) -> list[tuple[str, int, int]]:
    """(path, tokens, context_tokens) of every logged ask, oldest first."""
    if not log_path(state).exists():
        return []
    with connect(log_path(state)) as db:
        db.execute(_SCHEMA)
        return db.execute("SELECT path, tokens, context_tokens FROM asks ORDER BY id").fetchall()


def _locate(index: Index, target: str) -> Citation | None:
    found = index.locate(target)
    return Citation(target, found[0], found[1]) if found else None


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")

