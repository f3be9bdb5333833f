"""`anticipate`: precompute the questions readers will ask, and their cited answers, into each page.

The pass is data all the way down: `plan` (in `anticipate_plan`) picks the pages that need work
and `request` builds one model request per page; `validate` checks every answer (citations
must resolve to real pages and headings; anything else is dropped) and `edit` renders the
fenced section; the pass (`Anticipate`) plans ONE `transaction.Plan` of every page, which the
runner (`kbsleep.git.runner`) applies as one commit.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from kbsleep import answers, missed
from kbsleep.atomic import write_atomic
from kbsleep.git import runner, transaction
from kbsleep.errors import KbsleepError
from kbsleep.llm import Budget, Model, ProgressHook, Request, Result, RunReport, run, run_batch
from kbsleep.llm.batches import collect, pending_batches
from kbsleep.llm.runner import with_spend
from kbsleep.passes import boilerplate, gate, modeltext
from kbsleep.passes.anticipate_plan import EMPTY, INSTRUCTIONS, PASS, AnsweredQuestion, Anticipated, Target, Work, asked_by, empty_key, links_hash, offline_anticipate, plan, read_empty, request, select
from kbsleep.passes.page_language import english
from kbsleep.passes.pagework import Skip, each_page, exact
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import Wiki
from kbsleep.wiki.fences import OutsideFence, source_hash
from kbsleep.wiki.page import Link, Page
from kbsleep.wiki.wikilink import Wikilink, code_spans, replace_wikilinks

__all__ = ["INSTRUCTIONS", "AnsweredQuestion", "Anticipated", "Target", "Work", "Written", "Outcome", "Options", "Anticipate", "Confirm", "anticipate", "edit", "offline_anticipate", "plan", "request", "select", "validate"]

MAX_REASONS = 100  # pages a commit message lists one by one


@dataclass(frozen=True)
class Written:
    path: str
    reason: str
    questions: int
    dropped: int  # answers rejected by validation
    answered: tuple[str, ...] = ()  # the queued questions it holds a cited answer to


@dataclass(frozen=True)
class Outcome:
    work: Work
    written: tuple[Written, ...] = ()
    skipped: tuple[Skip, ...] = ()  # unreadable, model errors, budget, nothing valid, a failed byte check: nothing written
    empty: tuple[str, ...] = ()  # pages with nothing to ask about (no section is written)
    foreign: tuple[str, ...] = ()  # of those, the pages the offline engine leaves: not in English (`page_language`)
    diff: str = ""  # the dry run's unified diff
    commit: transaction.Committed | None = None
    report: RunReport | None = None
    pending_batch: str | None = None
    left: tuple[str, ...] = ()  # pages past `max-pages-per-run`, left for the next runs
    run_id: str = ""
    owners: Mapping[str, str] = dataclasses.field(default_factory=dict)  # file written -> its page (a sidecar's page)
    asker: str = ""  # the engine (and kbsleep version) that asked: a page it found nothing in is skipped only by it (`asked_by`)

    @property
    def stopped(self) -> str | None:
        """Why the endpoint stopped the run (the pages it left are not in `skipped`), or None."""
        report = self.report
        if report is None or report.stop_kind != "endpoint" or report.pending_batch:
            return None
        return report.stop_reason

    # -- what every pass's report says (`runner.Result`) --

    @property
    def commits(self) -> tuple[str, ...]:
        return (self.commit.sha,) if self.commit else ()

    @property
    def pages(self) -> tuple[str, ...]:
        return tuple(w.path for w in self.written)

    @property
    def questions(self) -> int:
        return sum(w.questions for w in self.written)

    @property
    def tokens(self) -> int:
        usage = self.report.usage if self.report else None
        return (usage.input_tokens + usage.output_tokens + usage.cache_read_tokens + usage.cache_write_tokens) if usage else 0

    @property
    def cost_usd(self) -> float:
        return self.report.cost_usd if self.report else 0.0

    @property
    def summary(self) -> str:
        said = f"{self.questions} questions on {len(self.written)} pages" + (f", {len(self.skipped)} skipped" if self.skipped else "")
        if self.left:
            said += f", {len(self.left)} left for the next sleep (max-pages-per-run)"
        if self.stopped and self.report is not None:
            said += f", {len(self.report.not_done)} not asked"
        return said

    @property
    def halted(self) -> str:
        if not self.stopped or self.report is None:
            return ""
        return self.stopped + (f" ({self.report.hint})" if self.report.hint else "")

    @property
    def failed(self) -> tuple[str, ...]:
        budget = self.report.stop_reason if self.report is not None and self.report.stop_kind == "budget" else None  # a sleep says what its budget left, too
        return tuple(f"{s.path}: {s.reason}" for s in self.skipped if s.reason.startswith("model error:") or s.reason == budget)

    @property
    def postponed(self) -> int:
        return len(self.left)


def _remember_empty(wiki: Wiki, state: Path, earlier: Mapping[str, str], outcome: Outcome) -> None:
    """Record the pages this run found nothing to ask about, so that the next runs by the same
    asker skip them while they do not change (and a `max-pages-per-run` batch is not spent on them)."""
    now = dict(earlier)
    for path in outcome.empty:
        now[path] = empty_key(wiki, wiki.pages[path], outcome.asker)
    for written in outcome.written:
        now.pop(written.path, None)
    now = {path: key for path, key in now.items() if path in wiki.pages}
    if now != earlier:
        write_atomic(state / EMPTY, json.dumps(now, sort_keys=True).encode("utf-8"), durable=False)


# -- validation and rendering ------------------------------------------------------------------------


def validate(wiki: Wiki, page: Page, output: Anticipated, limit: int) -> tuple[list[answers.QA], int, str]:
    """The answers fit to write (at most `limit`), how many were dropped, and why the first was.

    A question must be one line ending in '?'. Every `[[link]]` in an answer must resolve to a
    page of this wiki (and a heading of it, if it names one); links that do not are unlinked,
    and an answer left with no citation is dropped. Text that would break the fence is dropped.
    """
    kept: list[answers.QA] = []
    seen: set[str] = set()
    why: list[str] = []
    for item in output.questions:
        question = " ".join(item.question.replace("**", "").split())
        answer = " ".join(item.answer.split()).lstrip("#> ")  # one paragraph, never a heading or quote
        # Model text is data: a fence, comment marker, `%%`, tag or control byte (or an answer past
        # `anticipate.max-answer-chars`) drops the item; rewriting it could change what it says.
        problem = ("the question is not one line ending in '?'" if not question.endswith("?") else None) or modeltext.problem(question, 300) or modeltext.problem(answer, wiki.config.anticipate.max_answer_chars)
        if problem:
            why.append(problem)
            continue
        answer, cites = _check_citations(wiki, page, answer)
        if not cites:
            extra = [c for c in item.citations if _resolves(wiki, page, c)]
            answer, cites = (f"{answer} " + " ".join(f"[[{c}]]" for c in extra), extra) if extra else (answer, [])
        if not cites or not answer or question.casefold() in seen:
            why.append("no citation that resolves" if not cites or not answer else "a question asked twice")
            continue
        seen.add(question.casefold())
        kept.append(answers.QA(question, answer, tuple(cites)))
    return kept[:limit], len(why) + max(0, len(kept) - limit), why[0] if why else ""


def _check_citations(wiki: Wiki, page: Page, answer: str) -> tuple[str, list[str]]:
    cites: list[str] = []

    def keep(link: Wikilink) -> str:
        target = link.reference.strip()
        embed = "!" * link.embed  # (the `!` of an embed is left as it was written)
        if _resolves(wiki, page, target):
            cites.append(target)
            return f"{embed}[[{target}]]"
        shown = link.display or target.split("#")[-1]
        return embed + shown.strip()

    code = code_spans(answer)  # inside one, a `[[...]]` is text ("To embed a PDF: `![[Document.pdf]]`")
    return replace_wikilinks(answer, lambda link: link.raw if any(a < link.start < b for a, b in code) else keep(link)).strip(), cites


def _resolves(wiki: Wiki, page: Page, target: str) -> bool:
    name, _, anchor = target.partition("#")
    if not name.strip() or any(c in target for c in "\n[]|"):
        return False
    if anchor.strip().casefold() == answers.HEADING.lstrip("# ").casefold():
        return False  # the answers themselves are no source
    resolved = wiki.resolver.resolve(page, Link("wikilink", name.strip(), anchor, None, 0, 0, f"[[{target}]]"))
    return resolved.ok and not resolved.attachment


def edit(wiki: Wiki, page: Page, qas: Sequence[answers.QA], result: Result, today: str, reason: str) -> transaction.Edit:
    """The write of `qas` where `page`'s answers are kept (the page, or its sidecar): the fenced
    section replaced (or appended), in the file's own line ending, and no other byte changed
    (`OutsideFence`, which `transaction.verify` checks), of the bytes the wiki read (`base`)."""
    attrs = {"source": source_hash(page), "links": links_hash(wiki, page), "model": result.model or result.engine, "date": today}
    path, held = answers.holder(wiki, page)
    fence = next((f for f in held.fences if f.name == answers.FENCE), None) if held is not None else None
    text = answers.replace(exact(wiki, held) if held is not None else "", answers.render(qas, attrs), fence)
    base = held.blob if held is not None else transaction.ABSENT  # written only if the file is still what was read
    return transaction.Edit(path, text, reason, keep=OutsideFence(answers.FENCE), base=base)


# -- the run ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...] = ()
    force: bool = False
    dry_run: bool = False
    batch: bool = False
    wait: bool = False
    questions: int | None = None  # None: `anticipate.questions`
    yes: bool = False  # write every page that needs it, however many (`max-pages-per-run` does not apply)


Confirm = runner.Confirm


def anticipate(wiki: Wiki, model: Model, options: Options = Options(), *, budget: Budget | None = None, progress: ProgressHook | None = None, run_id: str | None = None, confirm: Confirm | None = None) -> Outcome:
    """Plan, ask the model, validate, and write every page's answers in one commit.

    Nothing is written unless the whole run's edits commit together; a page the model failed
    on, or the budget left out, is reported in `skipped` and keeps its old text (and answers).
    A dry run calls the model too (its answers are cached, so the real run after it is free).
    More pages than `max-pages-per-run` are written only if `confirm` says so (a terminal
    asks) or `options.yes`; otherwise the first ones, in path order, and `left` names the rest.
    """
    context = runner.Context(model, run_id or transaction.new_run_id(), options.dry_run, budget, progress, confirm)
    return runner.run(Anticipate(options), wiki, context)


@dataclass(frozen=True)
class Anticipate:
    """The pass: every page's answers, planned as one commit."""

    options: Options = Options()
    name: str = PASS
    commits: bool = True

    def plan(self, wiki: Wiki, context: runner.Context) -> runner.Planned[Outcome]:
        options = self.options
        count = options.questions or wiki.config.anticipate.questions
        if count < 1:
            raise KbsleepError("the number of questions per page must be at least 1")
        assert context.model is not None, "anticipate needs a model (the offline engine for none)"
        state = ensure_state_dir(wiki.root)
        work = plan(wiki, select(wiki, options.paths), force=options.force, asked=missed.pending(state), empty=read_empty(state), asker=asked_by(context.model))
        work, left = first_batch(work, wiki.config.max_pages_per_run, options, context.confirm)
        if not work.targets:
            return runner.Planned(Outcome(work, skipped=work.skipped, run_id=context.run_id))
        if not context.dry_run:  # refuse before spending anything, not after
            runner.refuse_dirty(wiki.root, [answers.holder(wiki, wiki.pages[t.path])[0] for t in work.targets], PASS)
        skipped = list(work.skipped)
        common = boilerplate.find(wiki) if context.model.engine == "offline" else boilerplate.NONE  # only the offline engine reads it
        requests = [each_page(t.path, "anticipate: asking about", lambda: request(wiki, t, count, common), skipped) for t in work.targets]
        report = _complete(wiki, context.model, [r for r in requests if r is not None], options, state, context.budget, context.progress)
        outcome, edits = _collect(wiki, work, report, count, skipped)
        owners = {e.path: w.path for e, w in zip(edits, outcome.written)}  # written in step with the edits
        outcome = dataclasses.replace(outcome, left=left, run_id=context.run_id, owners=owners, asker=asked_by(context.model))
        verified, refused = transaction.verify(wiki.root, edits)
        outcome, edits = _gated(wiki, _without(outcome, refused), list(verified))
        if not edits:
            return runner.Planned(outcome)
        edits = [dataclasses.replace(e, reason="") for e in edits] if len(edits) > MAX_REASONS else edits  # a commit message's line per page, readable
        models = sorted({r.model for r in report.results if r.model})
        trailers = {"Kbsleep-Model": ", ".join(models), "Kbsleep-Tokens": str(report.usage.total_tokens)}
        change = transaction.Plan(PASS, f"{len(edits)} page{'s' if len(edits) != 1 else ''}", tuple(edits), trailers, separable=True)
        return runner.Planned(outcome, (change,))

    def finish(self, wiki: Wiki, planned: runner.Planned[Outcome], done: runner.Done) -> Outcome:
        outcome = planned.report
        if done.dry_run:
            return dataclasses.replace(outcome, diff="".join(done.diffs))
        if not outcome.work.targets:
            return outcome
        state = ensure_state_dir(wiki.root)
        _remember_empty(wiki, state, read_empty(state), outcome)
        commit = None
        for applied in done.applied:
            outcome = _without(outcome, applied.left_out)  # changed while the run asked about them
            commit = applied.commit
        settle(state, outcome.work, outcome)
        return dataclasses.replace(outcome, commit=commit)


def settle(state: Path, work: Work, outcome: Outcome) -> None:
    """Queued questions answered on their page are fed; the others stay queued, one attempt more."""
    tried = {t.path: list(t.asked) for t in work.targets if t.asked}
    answered = {w.path: list(w.answered) for w in outcome.written if w.answered}
    missed.settle(state, tried, answered)


def first_batch(work: Work, limit: int, options: Options, confirm: Confirm | None) -> tuple[Work, tuple[str, ...]]:
    """`work` cut to its first `limit` targets (they are in path order), and the paths cut off;
    all of it with `--yes`, on a dry run (it writes nothing), or when `confirm` says so."""
    if limit <= 0 or len(work.targets) <= limit or options.yes or options.dry_run:
        return work, ()
    if confirm is not None and confirm(len(work.targets), limit):
        return work, ()
    return dataclasses.replace(work, targets=work.targets[:limit]), tuple(t.path for t in work.targets[limit:])


def _without(outcome: Outcome, refused: Sequence[transaction.Refused]) -> Outcome:
    """`outcome` with the pages whose edits `transaction.verify` refused moved from written to skipped
    (`outcome.owners`: the page of each file written; a sidecar's path is named in the reason)."""
    if not refused:
        return outcome
    owner = outcome.owners
    gone = {owner[r.path] for r in refused}
    refusals = (Skip(owner[r.path], f"not written{'' if r.path == owner[r.path] else ' ' + r.path}: {r.reason}") for r in refused)
    written = tuple(w for w in outcome.written if w.path not in gone)
    return dataclasses.replace(outcome, written=written, skipped=(*outcome.skipped, *refusals))


def _collect(wiki: Wiki, work: Work, report: RunReport, count: int, skipped: list[Skip]) -> tuple[Outcome, list[transaction.Edit]]:
    """The validated edits of a finished model run, and what became of every target."""
    by_page = {r.request.page: r for r in report.results}
    skipped += [Skip(r.request.page, f"model error: {r.error}") for r in report.skipped]
    if not report.pending_batch and report.stop_kind != "endpoint":
        skipped += [Skip(r.page, report.stop_reason or "not done") for r in report.not_done]
    # An endpoint that stopped the run (a bad key, an outage) is one fact, reported once by the
    # caller from `report.stop_reason`, not a reason repeated for every page it left undone.
    written: list[Written] = []
    empty: list[str] = []
    edits: list[transaction.Edit] = []
    today = datetime.date.today().isoformat()
    for target in work.targets:
        result = by_page.get(target.path)
        if result is None:
            continue  # skipped above, or in a batch still running
        output = result.output
        if not isinstance(output, Anticipated):
            skipped.append(Skip(target.path, "the model's reply holds no questions"))
            continue
        page = wiki.pages[target.path]
        checked = each_page(target.path, "anticipate: checking the answers for", lambda: validate(wiki, page, output, count + len(target.asked)), skipped)
        if checked is None:
            continue
        qas, dropped, why = checked
        if not qas and dropped:
            skipped.append(Skip(target.path, f"none of the {dropped} answers could be written ({why})"))
        elif not qas:
            empty.append(target.path)
        else:
            reason = f"{len(qas)} questions ({target.reason})"
            change = each_page(target.path, "anticipate: writing", lambda: edit(wiki, page, qas, result, today, reason), skipped)
            if change is not None and change.text is not None and len(change.text.encode("utf-8")) > wiki.config.max_page_bytes:
                skipped.append(Skip(target.path, f"with its answers the page would exceed max-page-bytes ({wiki.config.max_page_bytes:,} bytes)"))
            elif change is not None:
                edits.append(change)
                held = {qa.question.casefold() for qa in qas}
                answered = tuple(q for q in target.asked if (q.rstrip("?") + "?").casefold() in held)
                written.append(Written(target.path, target.reason, len(qas), dropped, answered))
    foreign = tuple(p for p in empty if by_page[p].engine == "offline" and not english(wiki.pages[p].text))
    outcome = Outcome(work, tuple(written), tuple(skipped), tuple(empty), foreign, report=report, pending_batch=report.pending_batch)
    return outcome, edits


def _gated(wiki: Wiki, outcome: Outcome, edits: list[transaction.Edit]) -> tuple[Outcome, list[transaction.Edit]]:
    """The edits without those that would leave a page with a new error-tier lint finding: the
    pages the new findings are on, or that the pages they are on link to (a finding on a page
    that was not written comes from a written page it links to). Those are skipped, with why."""
    # A sidecar is no page (`anticipate.store`): writing it changes no page's findings.
    pages = [e for e in edits if e.path in wiki.pages]
    if not pages:
        return outcome, edits
    verdict = gate.check(wiki, pages)
    if verdict.ok:
        return outcome, edits
    written = {e.path for e in pages}
    blamed: set[str] = set()
    for finding in verdict.new:
        if finding.path in written:
            blamed.add(finding.path)
        else:
            blamed.update(item.target for item in verdict.after.outlinks.get(finding.path, ()) if item.target in written)
    kept = [e for e in pages if e.path not in blamed]
    if not blamed or (kept and not gate.check(wiki, kept).ok):
        blamed, kept = written, []
    kept += [e for e in edits if e.path not in wiki.pages]
    skipped = [Skip(path, f"not written: {verdict.reason()}") for path in sorted(blamed)]
    return dataclasses.replace(outcome, written=tuple(w for w in outcome.written if w.path not in blamed), skipped=(*outcome.skipped, *skipped)), kept


def _complete(wiki: Wiki, model: Model, requests: list[Request], options: Options, state: Path, budget: Budget | None, progress: ProgressHook | None) -> RunReport:
    config = wiki.config.llm
    if not (options.batch or config.batch) or model.engine == "offline":
        return run(model, requests, config, budget=budget, progress=progress)
    # Earlier batches collected first: their results, in the response cache, answer this run's requests (the run says what they cost)
    collected: list[RunReport] = []
    for batch_id in pending_batches(state):
        collected.append(earlier := collect(model, config, state, batch_id, wait=options.wait, poll_interval=config.poll_interval))
        if earlier.pending_batch:
            return with_spend(RunReport(not_done=tuple(requests), stop_reason=f"batch {batch_id} is still running", hint="run again later to collect it", pending_batch=batch_id), collected)
    return with_spend(run_batch(model, requests, config, state, budget=budget, wait=options.wait, poll_interval=config.poll_interval, progress=progress), collected)
