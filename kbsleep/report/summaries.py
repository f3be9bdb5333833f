"""What each command prints of what it did: the human summaries (`--json` prints data instead).

Every function here takes a command's result as data and prints it; none computes anything a
command needs. Lines for a person go to stdout; what went wrong on the way, to stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Sequence

from kbsleep.report import console, echo, plural, say, seconds, table

if TYPE_CHECKING:
    from kbsleep.ask import Answer
    from kbsleep.demo import DemoReport
    from kbsleep.passes.anticipate import Outcome
    from kbsleep.sleep import SleepReport
    from kbsleep.status import Status
    from kbsleep.usage import Figures


# -- the passes ---------------------------------------------------------------------------------


def left_for_later(what: str, left: Sequence[str], limit: int) -> str:
    """The line for pages a pass left past `max-pages-per-run`."""
    return (
        f"{what}: {plural(len(left), 'more page')} {'needs' if len(left) == 1 else 'need'} it: over max-pages-per-run ({limit:,}) a run writes the first ones only; "
        f"run it again for the next {limit:,}, or with --yes for all (next: {left[0]})"
    )


SAID_APART = 3  # pages skipped for one reason that are each given a line; more share one


def skipped_lines(skipped: Sequence[tuple[str, str]]) -> list[str]:
    """A line for each page skipped, or one for many skipped for the same reason (a budget, an
    outage answering every call alike), naming the first few: one fact, said once."""
    by_reason: dict[str, list[str]] = {}
    for path, reason in skipped:
        by_reason.setdefault(reason, []).append(path)
    lines = []
    for path, reason in skipped:
        paths = by_reason[reason]
        if len(paths) <= SAID_APART:
            lines.append(f"skipped {path}: {reason}")
        elif path == paths[0]:
            lines.append(f"skipped {len(paths):,} pages: {reason} ({', '.join(paths[:SAID_APART])} and {len(paths) - SAID_APART:,} more)")
    return lines


def anticipate_summary(outcome: Outcome, *, dry_run: bool, quiet: bool, limit: int) -> None:
    """What `kbsleep anticipate` did: the diff of a dry run, pages written, kept, skipped, spend."""
    for item in outcome.work.kept:
        echo(f"kept {item.path}: {item.reason}", err=True)
    for line in skipped_lines([(item.path, item.reason) for item in outcome.skipped]):
        echo(line, err=True)
    if outcome.diff:
        echo(outcome.diff, nl=False)
    report = outcome.report
    if report is not None and report.stop_reason and not report.pending_batch and (outcome.stopped or not quiet):  # a batch: its own line below
        echo(f"stopped: {report.stop_reason}" + (f" ({report.hint})" if report.hint else ""), err=True)
        if outcome.stopped:
            echo(f"{plural(len(report.not_done), 'page')} not asked", err=True)
    if not quiet:
        spent = f"; {len(report.results):,} answered, {plural(report.usage.total_tokens, 'token')}, ${report.cost_usd:.4f}" if report else ""
        if outcome.commit is not None:
            echo(f"anticipate: wrote {plural(len(outcome.commit.paths), 'page')} in {outcome.commit.sha[:10]}{spent}")
        elif dry_run and outcome.written:
            echo(f"anticipate: would write {plural(len(outcome.written), 'page')} (dry run){spent}", err=True)
        elif outcome.pending_batch:
            echo(f"anticipate: batch {outcome.pending_batch} is still running; run `kbsleep anticipate --batch` again to collect it (or add --wait)")
        else:
            echo(f"anticipate: nothing to write{spent}")
        empty = f", {len(outcome.empty):,} with nothing to ask" if outcome.empty else ""
        if outcome.foreign:  # (the offline engine's templates are English; a model writes in the page's language)
            empty += f" ({len(outcome.foreign):,} not in English: the offline engine writes English questions only)"
        current = outcome.work.current
        echo(f"{plural(current, 'page')} already up to date, {len(outcome.work.kept):,} kept, {len(outcome.skipped):,} skipped{empty}")
    if outcome.left:
        echo(left_for_later("anticipate", outcome.left, limit), err=True)


def consolidate_summary(report: Any, *, dry_run: bool, quiet: bool) -> None:
    """What `kbsleep consolidate` did: each task's diff (dry run) or commit, what it left, spend."""
    for line in report.recovered:
        echo(line, err=True)
    ran = [step for step in report.steps if not step.outcome.unasked]  # the others: `report.note`, once
    if dry_run:
        for step in ran:
            echo(f"# {step.outcome.task}: {step.outcome.summary} (diff against the result of the tasks before it)")
            if step.diff:
                echo(step.diff, nl=False)
    elif not quiet:
        for step in ran:
            sha = f" ({step.commit[:10]})" if step.commit else ""
            echo(f"{step.outcome.task}: {step.outcome.summary}{sha}")
    if report.note and not quiet:
        echo(("# " if dry_run else "") + report.note)
    for left in report.left:
        echo(f"left {left.path}: {left.task}: {left.reason}", err=True)
    if not dry_run and not quiet:
        spent = f"; {plural(report.tokens, 'token')}, ${report.cost_usd:.4f}" if report.tokens else ""
        if report.commits:
            echo(f"run {report.run_id}: {plural(len(report.commits), 'commit')}{spent}; `kbsleep undo` reverts it")
        else:
            echo("nothing to change")
    if report.deferred or report.not_run:
        echo(deferred("consolidate", report), err=True)


def deferred(what: str, report: Any) -> str:
    """What a consolidate run kept to `max-pages-per-run` left for later runs, in one line."""
    parts = []
    for step in report.steps:
        if step.outcome.deferred:
            parts.append(f"{plural(len(step.outcome.deferred), 'piece')} of {step.outcome.task} (next: {step.outcome.deferred[0]})")
    if report.not_run:
        parts.append("the tasks " + ", ".join(report.not_run) if len(report.not_run) > 1 else f"the {report.not_run[0]} task")
    return (
        f"{what}: over max-pages-per-run ({report.limit:,}) a run writes whole pieces of work (a page's repairs, a merge "
        f"with every page it relinks, a note's fold) up to that many pages; left for later runs: {'; '.join(parts)}. "
        "Run it again for the next batch, or with --yes for all"
    )


def sleep_summary(report: SleepReport, color: bool = False) -> None:
    """The table at the end of `kbsleep sleep`: what each step did, tokens, cost, commits."""
    out = console(color=color)
    if report.skipped:
        say(out, f"sleep: {report.skipped}")
        return
    rows = [(s.name, s.pages_changed or "", s.detail, f"{s.tokens:,}" if s.tokens else "", f"${s.cost_usd:.4f}" if s.cost_usd else "", len(s.commits) or "") for s in report.steps]
    table(f"kbsleep sleep (run {report.run_id})", ("step", "pages changed", "what", "tokens", "cost", "commits"), rows, color)
    findings = tiers(report.findings)
    say(out, f"findings: {findings}; questions precomputed: {report.questions:,}; {plural(len(report.commits), 'commit')}")
    if report.note:
        say(out, report.note)
    if report.pending_batch:
        say(out, f"batch {report.pending_batch} is still running: the next `kbsleep sleep` collects it")
    if report.commits:
        say(out, "`kbsleep undo` reverts this whole sleep")


def sleep_problems(report: SleepReport) -> None:
    """The steps `kbsleep sleep` skipped, and where it stopped, on stderr."""
    # "page: why": a page name holds no ": " (Obsidian refuses `:` in file names)
    for line in skipped_lines([tuple(failure.split(": ", 1)) for failure in report.failed]):  # type: ignore[misc]
        echo(line, err=True)
    if report.stopped:
        echo(f"sleep stopped at {report.stopped}", err=True)


def undo_summary(done: tuple[Any, str] | None, quiet: bool) -> None:
    """What `kbsleep undo` reverted (the run and its commits), or that there was nothing to."""
    if done is None:
        echo("nothing to undo: no kbsleep run on this branch")
    elif not quiet:
        run, sha = done
        echo(f"reverted run {run.run_id} ({', '.join(run.passes)}; {plural(len(run.commits), 'commit')}) in {sha[:10]}")


def undo_preview(run: Any, commits: Sequence[tuple[str, str]], files: Sequence[tuple[str, str]]) -> None:
    """`kbsleep undo --dry-run`: the run the next undo reverts, its commits and the files it touches."""
    echo(f"would revert run {run.run_id} ({', '.join(run.passes)}; {plural(len(commits), 'commit')}, {plural(len(files), 'file')}):")
    for sha, subject in commits:
        echo(f"  {sha[:10]} {subject}")
    for change, path in files:
        echo(f"  {change} {path}")
    echo("nothing was changed (dry run); `kbsleep undo` reverts it in one new commit")


# -- ask, index, stats, status ------------------------------------------------------------------


def answer(found: Answer, how: str, quiet: bool) -> None:
    """`kbsleep ask`: the answer, its citations, and (on stderr) how it was found and what it cost."""
    echo(found.text)
    if found.citations:
        echo("")
        for cite in found.citations:
            echo(f"  {cite.wikilink}  {cite.location}")
    if found.namesakes:  # the question names a shared file name and says no folder: it may mean another page
        name = found.namesakes[0].rsplit("/", 1)[-1].removesuffix(".md")
        echo(f'\n{len(found.namesakes)} pages are named "{name}": {", ".join(found.namesakes)}; name its folder to ask about one.')
    if not quiet:
        how = f"not in the wiki: {found.why}" if found.path == "not-found" and found.why else how  # why, not just that
        detail = f'; matched "{found.matched}"' if found.matched else ""
        tokens = f"{plural(found.tokens, 'token')}, " if found.engine == "anthropic" else ""
        echo(f"\n({how}{detail}; {tokens}{found.latency_s:.2f} s)", err=True)


def index_summary(done: Any, counts: Mapping[str, int]) -> None:
    how = "built" if done.rebuilt else "updated"
    echo(
        f"index {how}: {plural(done.updated, 'page')} indexed, {done.removed:,} removed; "
        f"{plural(counts['pages'], 'page')}, {plural(counts['sections'], 'section')}, "
        f"{plural(counts['fresh_questions'], 'precomputed question')} ({seconds(done.seconds)})"
    )


def stats_table(figures: Figures, color: bool = False) -> None:
    """`kbsleep stats`: does sleep-time compute pay?"""

    def num(value: float | None, fmt: str = "{:,.0f}") -> str:
        return "n/a" if value is None else fmt.format(value)

    paths = ", ".join(f"{k} {v:,}" for k, v in figures.by_path.items()) or "none"
    rows = [
        ("asks", f"{figures.asks:,} ({paths})"),
        ("served from precomputed answers", num(figures.precomputed_share, "{:.0%}")),
        ("test-time tokens per ask", num(figures.tokens_per_ask)),
        ("  without precomputed answers", num(figures.tokens_per_ask_without)),
        ("test-time tokens (ledger)", f"{figures.test_tokens:,}"),
        ("sleep-time tokens (ledger)", f"{figures.sleep_tokens:,} (${figures.sleep_cost_usd:.4f})"),
        ("anticipate tokens per pass", f"{num(figures.tokens_per_pass)} over {plural(figures.anticipate_passes, 'pass', 'passes')}"),
        ("break-even asks per pass", num(figures.break_even_asks, "{:,.1f}")),
        ("prompt cache tokens", f"{figures.cache_write_tokens:,} written, {figures.cache_read_tokens:,} read"),
        ("prompt cache net saving", f"${figures.cache_saving_usd:.4f}"),
    ]
    for name, spend in figures.by_pass.items():
        rows.append((f"spend: {name or 'other'}", f"{plural(round(spend['tokens']), 'token')}, ${spend['cost_usd']:.4f}, {plural(round(spend['calls']), 'call')}"))
    table(None, ("figure", "value"), rows, color)


def status_summary(found: Status, color: bool = False) -> None:
    out = console(color=color)
    last = found.last_sleep
    rows = [
        ("pages", f"{found.pages:,}"),
        ("open lint findings", tiers(found.findings)),
        ("answers older than their page", len(found.stale_answers)),
        ("pages without precomputed answers", len(found.unanswered)),
        ("inbox notes waiting", len(found.inbox)),
        ("pending batches", len(found.pending_batches)),
        ("questions queued for anticipate", _queued(found.queued)),
        ("last sleep", f"{last['at']} (run {last['run']})" if last else "never"),
    ]
    for phase, spend in sorted(found.spend.items()):
        used = spend["tokens"] or spend["calls"] or spend["cost_usd"]
        rows.append((f"{phase}-time model use", f"{plural(round(spend['tokens']), 'token')}, ${spend['cost_usd']:.4f}, {plural(round(spend['calls']), 'call')}" if used else "none (offline engine)"))
    table("kbsleep status", ("", ""), rows, color)
    for path in found.stale_answers[:10]:
        say(out, f"  stale answers: {path}")
    for question, attempts in [q for q in found.queued if q[1]][:10]:
        say(out, f"  queued, no answer found in {plural(attempts, 'run')}: {question}")


def _queued(queued: Sequence[tuple[str, int]]) -> str:
    unanswered = sum(1 for _, attempts in queued if attempts)
    return f"{len(queued)}" + (f" ({unanswered} not found by anticipate yet)" if unanswered else "")


# -- set up -------------------------------------------------------------------------------------


def init_summary(created: Sequence[Any]) -> None:
    """`kbsleep init`: each file written or kept, and what it is for."""
    for item in created:
        echo(f"{item.verb} {item.path} ({item.what})")


def hook_summary(kind: str, done: str, path: Any, quiet: bool) -> None:
    """`kbsleep hook install` / `uninstall`: what was done to which hook; a user's own hook is left."""
    if done == "not ours":
        echo(f"left {path} alone: kbsleep did not write it (it has no `# installed by kbsleep` line)", err=True)
    elif done == "absent":
        echo(f"no {kind} hook to remove ({path} does not exist)")
    elif not quiet:
        echo(f"{done} {path}")


def demo_summary(report: DemoReport, color: bool = False) -> None:
    out = console(color=color)
    say(out, f"A copy of sample_wiki/ in a new git repository: {report.path}")
    say(out, f"\n1. lint before sleeping: {tiers(report.before)}")
    say(out, "2. kbsleep sleep:")
    sleep_summary(report.sleep, color)
    say(out, f"3. lint after sleeping: {tiers(report.after)}")
    say(out, "4. kbsleep ask:")
    for found in report.answers:
        how = {"precomputed": "precomputed answer, no model call"}.get(found.path, found.path)
        say(out, f"\n  Q: {found.question}\n  A: {found.text}\n     ({how})")
    say(out, f"\nLook around: cd {report.path} && git log --stat; `kbsleep undo` there reverts the sleep.")


def tiers(counts: Mapping[str, int]) -> str:
    """'2 errors, 1 warning', or 'no findings'."""
    return ", ".join(plural(n, tier) for tier, n in counts.items() if n) or "no findings"
