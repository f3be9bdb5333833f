"""The command line: parse options, call one core function, render its result.

Nothing here imports the anthropic SDK at module level: `kbsleep --help` and `kbsleep lint`
must stay fast enough for a pre-commit hook.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass
from contextlib import contextmanager
from pathlib import Path
from typing import List, Optional

import typer

from kbsleep import __version__
from kbsleep.errors import Exit, KbsleepError
from kbsleep.report import echo  # every line the CLI prints goes through `report.printable`

app = typer.Typer(
    name="kbsleep",
    help="Sleep-time compute for LLM-maintained Markdown wikis: lint, consolidate, anticipate, ask.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
hook_app = typer.Typer(help="Install git hooks that run kbsleep.", no_args_is_help=True)
app.add_typer(hook_app, name="hook")

FORMATS = ("full", "concise", "json", "json-lines", "github", "sarif", "junit")


@dataclass(frozen=True)
class Globals:
    wiki: Path
    quiet: bool
    no_color: bool

    @property
    def color(self) -> bool:
        from kbsleep.report import wants_color

        return wants_color(sys.stdout, self.no_color)


def _version(value: bool) -> None:
    if value:
        echo(f"kbsleep {__version__}")
        raise typer.Exit()


@app.callback()
def _globals(
    ctx: typer.Context,
    wiki: Path = typer.Option(Path("."), "--wiki", "-w", help="The wiki folder (inside a git work tree).", show_default=True),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only findings and errors."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour (NO_COLOR is honoured too)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    ctx.obj = Globals(wiki, quiet, no_color)


def _here(g: Globals, wiki: Path | None) -> Globals:
    """Globals with a command's own `--wiki`, so `kbsleep lint --wiki W` works as pre-commit passes it."""
    return g if wiki is None else dataclasses.replace(g, wiki=wiki)


def _load(g: Globals, snapshot=None):  # type: ignore[no-untyped-def]
    """Load the wiki, with a progress bar on stderr for a cold load on a terminal."""
    from kbsleep.report import progress
    from kbsleep.wiki import load_wiki

    if snapshot is None:
        snapshot = _snapshot(g)
    with progress("Parsing pages", enabled=sys.stderr.isatty() and not g.quiet) as tick:
        wiki = load_wiki(snapshot=snapshot, progress=tick)  # type: ignore[arg-type]
    if _kept is not None:
        _kept[:] = [wiki]  # the last one: a command that loads again (sleep) frees the earlier as it goes
    return wiki


@contextmanager
def _writing(g: Globals, what: str, *, writes: bool = True):  # type: ignore[no-untyped-def]
    """Hold the wiki's writer lock, then load the wiki: a second writer is refused before it
    reads anything, and no other kbsleep writes the pages this one reads as it goes. Before
    the load, what a killed kbsleep left is finished or undone (so no page is read half
    written), and, for a run that `writes`, a repository it must not commit to is refused."""
    from kbsleep.git import transaction
    from kbsleep.lock import hold
    from kbsleep.git.runner import recover

    if not Path(g.wiki).is_dir():
        raise KbsleepError(f"wiki folder not found: {g.wiki}")
    with hold(Path(g.wiki), what):
        for line in recover(Path(g.wiki)):
            echo(line, err=True)
        if writes:
            transaction.writable(Path(g.wiki))
        yield _load(g)


def _snapshot(g: Globals):  # type: ignore[no-untyped-def]
    """The wiki's files; Obsidian settings that could not be read are said once, on stderr."""
    from kbsleep.report import warning
    from kbsleep.wiki import take_snapshot

    snapshot = take_snapshot(g.wiki)
    if not g.quiet:
        for problem in snapshot.vault.problems:
            warning(problem)
    return snapshot


# -- lint ---------------------------------------------------------------------------------------


@app.command()
def lint(
    ctx: typer.Context,
    paths: Optional[List[str]] = typer.Argument(None, help="Report only on these pages or folders (judged against the whole wiki)."),
    output_format: Optional[str] = typer.Option(None, "--output-format", help=f"One of: {', '.join(FORMATS)}."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to FILE."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Rules to run: code, code prefix or name (repeatable)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Rules to skip (repeatable)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Rules to add to the selection."),
    staged: bool = typer.Option(False, "--staged", help="Report on the pages staged for commit."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REF", help="Report on pages changed since REF."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Lowest tier that fails: error, warning or judgement."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even with findings."),
    statistics: bool = typer.Option(False, "--statistics", help="Show counts per rule."),
    fix: bool = typer.Option(False, "--fix", help="Apply safe fixes (files are written, not committed)."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List the rules and exit."),
    deep: bool = typer.Option(False, "--deep", help="Add model-judged findings (judgement tier)."),
    wiki: Optional[Path] = typer.Option(None, "--wiki", "-w", help="The wiki folder (also accepted before the command)."),
    engine: Optional[str] = typer.Option(None, "--engine", help="With --deep: auto, anthropic or offline (default: llm.engine)."),
    batch: bool = typer.Option(False, "--batch", help="With --deep: send the judgements as a Message Batch."),
    wait: bool = typer.Option(False, "--wait", help="With --deep --batch: wait for the batch and finish now."),
    max_cost: Optional[float] = typer.Option(None, "--max-cost", metavar="USD", help="With --deep: stop cleanly before spending more."),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", help="With --deep: stop cleanly before using more tokens."),
) -> int:
    """Check the wiki: broken links, orphans, duplicates, conflicting facts, stale sections."""
    g = _here(ctx.obj, wiki)
    model_options = {"--engine": engine, "--batch": batch or None, "--wait": wait or None, "--max-cost": max_cost, "--max-tokens": max_tokens}
    given = [name for name, value in model_options.items() if value is not None]
    if given and not deep:
        raise KbsleepError(f"{given[0]} works only with --deep")
    if wait and not batch:
        raise KbsleepError("--wait works only with --batch")
    from kbsleep.lint.registry import RULES

    if list_rules:
        from kbsleep.report import rules_table

        rules_table(list(RULES.values()), g.color)
        return Exit.OK
    from kbsleep.lint import command

    return command.run(
        g, command.LintArgs(
            paths=tuple(paths or ()), output_format=output_format, output=output, select=tuple(select or ()),
            ignore=tuple(ignore or ()), extend_select=tuple(extend_select or ()), staged=staged,
            changed_since=changed_since, fail_on=fail_on, exit_zero=exit_zero, statistics=statistics,
            fix=fix, deep=deep, model=ModelChoice(engine, batch, wait, max_cost, max_tokens) if deep else None,
        ),
        snapshot=lambda: _snapshot(g),
        load=lambda snapshot: _load(g, snapshot),
    )  # fmt: skip


@app.command()
def rule(ctx: typer.Context, code: str = typer.Argument(..., help="A rule code or name, e.g. KB103 or alias-link.")) -> int:
    """Explain a lint rule: what it does, why it matters, an example and the fix."""
    from kbsleep.lint.registry import find_rule
    from kbsleep.report import rule_page

    rule_page(find_rule(code), ctx.obj.color)
    return Exit.OK


# -- shared options of the commands that call a model -------------------------------------------

ENGINE = typer.Option(None, "--engine", help="auto, anthropic or offline (default: llm.engine).")
BATCH = typer.Option(False, "--batch", help="Send model work as a Message Batch (half price; results later).")
WAIT = typer.Option(False, "--wait", help="With --batch: wait for the batch and finish now.")
MAX_COST = typer.Option(None, "--max-cost", metavar="USD", help="Stop cleanly before spending more than this.")
MAX_TOKENS = typer.Option(None, "--max-tokens", help="Stop cleanly before using more tokens than this.")
DRY_RUN = typer.Option(False, "--dry-run", help="Print the diff; write nothing.")
YES = typer.Option(False, "--yes", "-y", help="Write every page that needs it, even more than max-pages-per-run, without asking.")


def _ask_before_big_writes(what: str):  # type: ignore[no-untyped-def]
    """On a terminal, a question for a pass about to write more than `max-pages-per-run` pages;
    None elsewhere (a hook, a pipe, CI), where the pass writes the first batch only."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def confirm(count: int, limit: int) -> bool:
        return typer.confirm(
            f"{what} would write {count:,} pages, more than max-pages-per-run ({limit:,}). "
            f"Write all of them? (no: the first {limit:,} now, the rest in later runs)",
            default=False,
            err=True,
        )

    return confirm


def _left(what: str, left: tuple[str, ...], limit: int) -> str:
    return (
        f"{what}: {len(left):,} more pages need it: over max-pages-per-run ({limit:,}) a run writes the first ones only; "
        f"run it again for the next {limit:,}, or with --yes for all (next: {left[0]})"
    )


@dataclass(frozen=True)
class ModelChoice:
    """What a model-calling command was asked for, resolved against config."""

    engine: Optional[str]
    batch: bool
    wait: bool
    max_cost: Optional[float]
    max_tokens: Optional[int]

    def budget(self, config):  # type: ignore[no-untyped-def]
        from kbsleep.llm import Budget

        cost = self.max_cost if self.max_cost is not None else (config.llm.max_cost_usd or None)
        tokens = self.max_tokens if self.max_tokens is not None else (config.llm.max_run_tokens or None)
        return Budget(max_cost_usd=cost, max_tokens=tokens)

    def model(self, wiki, hook: bool = False):  # type: ignore[no-untyped-def]
        """The engine, with the response cache and ledger under the wiki's `.kbsleep/`."""
        from kbsleep.llm import select_engine
        from kbsleep.state import ensure_state_dir

        return select_engine(wiki.config.llm, self.engine, state_dir=ensure_state_dir(wiki.root), hook=hook)


@app.command()
def models(ctx: typer.Context, engine: Optional[str] = ENGINE) -> int:
    """List the models the configured endpoint offers."""
    from kbsleep.config import load_config
    from kbsleep.llm import engine_name, list_models
    from kbsleep.report import table

    config = load_config(ctx.obj.wiki)
    if engine_name(config.llm, engine) == "offline":
        echo("offline engine: no model endpoint (set ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL)")
        return Exit.OK
    rows = [(m.id, m.display_name, m.created_at) for m in list_models(config.llm)]
    table(None, ("id", "name", "created"), rows, ctx.obj.color)
    return Exit.OK


@app.command()
def undo(ctx: typer.Context) -> int:
    """Revert the last kbsleep run (all its commits) in one new commit; again to go further back."""
    from kbsleep.git import transaction

    root = ctx.obj.wiki
    done = transaction.undo(root)
    if done is None:
        echo("nothing to undo: no kbsleep run on this branch")
        return Exit.OK
    run, sha = done
    if not ctx.obj.quiet:
        echo(f"reverted run {run.run_id} ({', '.join(run.passes)}; {len(run.commits)} commits) in {sha[:10]}")
    return Exit.OK


# -- anticipate (issue 5) -----------------------------------------------------------------------


@app.command()
def anticipate(
    ctx: typer.Context,
    paths: Optional[List[str]] = typer.Argument(None, help="Only these pages or folders (default: every page that needs it)."),
    force: bool = typer.Option(False, "--force", help="Regenerate every selected page, hand-edited sections included."),
    questions: Optional[int] = typer.Option(None, "--questions", "-n", min=1, help="Questions per page, at most (default: anticipate.questions)."),
    dry_run: bool = DRY_RUN,
    engine: Optional[str] = ENGINE,
    batch: bool = BATCH,
    wait: bool = WAIT,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    yes: bool = YES,
    wiki: Optional[Path] = typer.Option(None, "--wiki", "-w", help="The wiki folder (also accepted before the command)."),
) -> int:
    """Write each page's likely questions, with cited answers, into an `Anticipated questions` section."""
    from kbsleep.git import transaction
    from kbsleep.passes.anticipate import Options
    from kbsleep.passes.anticipate import anticipate as run_pass
    from kbsleep.report import progress

    g = _here(ctx.obj, wiki)
    choice = ModelChoice(engine, batch, wait, max_cost, max_tokens)
    options = Options(tuple(paths or ()), force, dry_run, batch, wait, questions, yes)
    with _writing(g, "anticipate", writes=not dry_run) as loaded, progress("Anticipating", enabled=sys.stderr.isatty() and not g.quiet) as tick:
        hook = (lambda p: tick(p.done, p.total)) if tick else None  # type: ignore[operator]
        confirm = _ask_before_big_writes("anticipate")
        outcome = run_pass(loaded, choice.model(loaded), options, budget=choice.budget(loaded.config), progress=hook, run_id=transaction.new_run_id(), confirm=confirm)
        limit = loaded.config.max_pages_per_run
    for item in outcome.work.kept:
        echo(f"kept {item.path}: {item.reason}", err=True)
    for item in outcome.skipped:
        echo(f"skipped {item.path}: {item.reason}", err=True)
    if outcome.diff:
        echo(outcome.diff, nl=False)
    report = outcome.report
    if report is not None and report.stop_reason and (outcome.stopped or not g.quiet):
        echo(f"stopped: {report.stop_reason}" + (f" ({report.hint})" if report.hint else ""), err=True)
        if outcome.stopped:
            echo(f"{len(report.not_done)} pages not asked", err=True)
    if not g.quiet:
        spent = f"; {len(report.results)} answered, {report.usage.total_tokens:,} tokens, ${report.cost_usd:.4f}" if report else ""
        if outcome.commit is not None:
            echo(f"anticipate: wrote {len(outcome.commit.paths)} pages in {outcome.commit.sha[:10]}{spent}")
        elif dry_run and outcome.written:
            echo(f"anticipate: would write {len(outcome.written)} pages (dry run){spent}", err=True)
        elif outcome.pending_batch:
            echo(f"anticipate: batch {outcome.pending_batch} submitted; run `kbsleep anticipate --batch` again to collect it")
        else:
            echo(f"anticipate: nothing to write{spent}")
        empty = f", {len(outcome.empty)} with nothing to ask" if outcome.empty else ""
        echo(f"{outcome.work.current} pages already up to date, {len(outcome.work.kept)} kept, {len(outcome.skipped)} skipped{empty}")
    if outcome.left:
        echo(_left("anticipate", outcome.left, limit), err=True)
    if outcome.stopped:
        return Exit.ERROR  # the endpoint, not the pages: nothing more could have been done
    return Exit.FINDINGS if outcome.skipped else Exit.OK


# -- ask, index, stats (issue 6) ----------------------------------------------------------------


def _config(g: Globals):  # type: ignore[no-untyped-def]
    """The wiki's config, without loading its pages (ask and stats stay fast on a big wiki)."""
    from kbsleep.config import load_config
    from kbsleep.changes import git_top

    if not g.wiki.is_dir():
        raise KbsleepError(f"wiki folder not found: {g.wiki}")
    return load_config(g.wiki, None, git_top(g.wiki))


@app.command()
def ask(
    ctx: typer.Context,
    question: str = typer.Argument(..., help="The question, in quotes."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer, citations, path, tokens and latency as JSON."),
    engine: Optional[str] = ENGINE,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    no_precomputed: bool = typer.Option(False, "--no-precomputed", help="Skip precomputed answers; always retrieve."),
    no_log: bool = typer.Option(False, "--no-log", help="Do not log this ask or queue it for anticipate."),
) -> int:
    """Answer a question from the wiki, with citations; says so when the wiki does not hold the answer."""
    import json

    from kbsleep.ask import PATHS, ask as answer_question

    g = ctx.obj
    config = _config(g)
    budget = ModelChoice(engine, False, False, max_cost, max_tokens).budget(config)
    answer = answer_question(g.wiki, config, question, engine=engine, budget=budget, fast_path=not no_precomputed, record=not no_log)
    if answer.fallback:
        echo(f"warning: {answer.fallback}; answered offline instead", err=True)
    if as_json:
        echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return Exit.OK
    echo(answer.text)
    if answer.citations:
        echo("")
        for cite in answer.citations:
            echo(f"  {cite.wikilink}  {cite.location}")
    if not g.quiet:
        detail = f"; matched \"{answer.matched}\"" if answer.matched else ""
        tokens = f"{answer.tokens:,} tokens, " if answer.engine == "anthropic" else ""
        echo(f"\n({PATHS[answer.path]}{detail}; {tokens}{answer.latency_s:.2f} s)", err=True)
    return Exit.OK


@app.command("eval")
def eval_command(
    ctx: typer.Context,
    questions: Path = typer.Argument(..., help="A JSONL file: question, gold_pages, answer_substrings, kind.", metavar="QUESTIONS.jsonl"),
    as_json: bool = typer.Option(False, "--json", help="Print the figures and every question's outcome as JSON."),
    engine: Optional[str] = ENGINE,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    no_precomputed: bool = typer.Option(False, "--no-precomputed", help="Skip precomputed answers; always retrieve."),
) -> int:
    """Measure ask on questions with known answers: hit@k, cited, accuracy, "not in the wiki", fast path, tokens."""
    import json

    from kbsleep.ask import ask as answer_question
    from kbsleep.evaluate import evaluate, read_cases, render

    g = ctx.obj
    config = _config(g)
    cases = read_cases(questions)
    budget = ModelChoice(engine, False, False, max_cost, max_tokens).budget(config)
    report = evaluate(cases, lambda q: answer_question(g.wiki, config, q, engine=engine, budget=budget, fast_path=not no_precomputed, record=False))
    if as_json:
        echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return Exit.OK
    echo(render(report))
    return Exit.OK


@app.command("index")
def index_command(
    ctx: typer.Context,
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and build it from scratch."),
) -> int:
    """Build or update the search index (.kbsleep/index.sqlite) for pages that changed."""
    from kbsleep.search.index import Index, index_path

    g = ctx.obj
    config = _config(g)
    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{index_path(g.wiki)}{suffix}").unlink(missing_ok=True)
    with Index(g.wiki, config) as index:
        done = index.refresh()
        counts = index.stats()
    if not g.quiet:
        how = "built" if done.rebuilt else "updated"
        echo(
            f"index {how}: {done.updated} pages indexed, {done.removed} removed; "
            f"{counts['pages']} pages, {counts['sections']} sections, {counts['fresh_questions']} precomputed questions "
            f"({done.seconds:.2f} s)"
        )
    return Exit.OK


@app.command()
def stats(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> int:
    """Does sleep-time compute pay? Precomputed-answer share, tokens per ask, sleep-time spend, break-even."""
    import json

    from kbsleep import usage
    from kbsleep.report import table

    g = ctx.obj
    config = _config(g)
    figures = usage.compute(g.wiki, config.llm.prices)
    if as_json:
        echo(json.dumps(figures.to_json(), indent=2))
        return Exit.OK

    def num(value: float | None, fmt: str = "{:,.0f}") -> str:
        return "n/a" if value is None else fmt.format(value)

    paths = ", ".join(f"{k} {v}" for k, v in figures.by_path.items()) or "none"
    rows = [
        ("asks", f"{figures.asks:,} ({paths})"),
        ("served from precomputed answers", num(figures.precomputed_share, "{:.0%}")),
        ("test-time tokens per ask", num(figures.tokens_per_ask)),
        ("  without precomputed answers", num(figures.tokens_per_ask_without)),
        ("test-time tokens (ledger)", f"{figures.test_tokens:,}"),
        ("sleep-time tokens (ledger)", f"{figures.sleep_tokens:,} (${figures.sleep_cost_usd:.4f})"),
        ("anticipate tokens per pass", f"{num(figures.tokens_per_pass)} over {figures.anticipate_passes} passes"),
        ("break-even asks per pass", num(figures.break_even_asks, "{:,.1f}")),
        ("prompt cache tokens", f"{figures.cache_write_tokens:,} written, {figures.cache_read_tokens:,} read"),
        ("prompt cache net saving", f"${figures.cache_saving_usd:.4f}"),
    ]
    for name, spend in figures.by_pass.items():
        rows.append((f"spend: {name or 'other'}", f"{spend['tokens']:,.0f} tokens, ${spend['cost_usd']:.4f}, {spend['calls']:,.0f} calls"))
    table(None, ("figure", "value"), rows, g.color)
    return Exit.OK


# -- consolidate (issue 7) ----------------------------------------------------------------------


@app.command()
def consolidate(
    ctx: typer.Context,
    only: Optional[str] = typer.Option(None, "--only", metavar="TASKS", help="Comma-separated tasks: links,duplicates,inbox,contradictions,index,log (default: all)."),
    engine: Optional[str] = ENGINE,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    dry_run: bool = DRY_RUN,
    yes: bool = YES,
    wiki: Optional[Path] = typer.Option(None, "--wiki", "-w", help="The wiki folder (also accepted before the command)."),
) -> int:
    """Reorganise the wiki safely: repair links, merge duplicates, fold the inbox, flag conflicts, rebuild the index, log it."""
    from kbsleep.passes.consolidate import Options
    from kbsleep.passes.consolidate import consolidate as run_consolidate
    from kbsleep.passes.consolidate import parse_only

    g = _here(ctx.obj, wiki)
    tasks = parse_only(only)  # bad names fail before the wiki is loaded
    choice = ModelChoice(engine, False, False, max_cost, max_tokens)
    with _writing(g, "consolidate", writes=not dry_run) as loaded:
        confirm = _ask_before_big_writes("consolidate")
        report = run_consolidate(loaded, choice.model(loaded), Options(tasks, dry_run, yes), budget=choice.budget(loaded.config), confirm=confirm)
    for line in report.recovered:
        echo(line, err=True)
    if dry_run:
        for step in report.steps:
            echo(f"# {step.outcome.task}: {step.outcome.summary} (diff against the result of the tasks before it)")
            if step.diff:
                echo(step.diff, nl=False)
    elif not g.quiet:
        for step in report.steps:
            sha = f" ({step.commit[:10]})" if step.commit else ""
            echo(f"{step.outcome.task}: {step.outcome.summary}{sha}")
    for left in report.left:
        echo(f"left {left.path}: {left.task}: {left.reason}", err=True)
    if not dry_run and not g.quiet:
        spent = f"; {report.tokens} tokens, ${report.cost_usd:.4f}" if report.tokens else ""
        if report.commits:
            echo(f"run {report.run_id}: {len(report.commits)} commit{'s' if len(report.commits) != 1 else ''}{spent}; `kbsleep undo` reverts it")
        else:
            echo("nothing to change")
    if report.deferred or report.not_run:
        echo(_deferred("consolidate", report), err=True)
    return Exit.OK


def _deferred(what: str, report) -> str:  # type: ignore[no-untyped-def]
    """What a consolidate run kept to `max-pages-per-run` left for later runs, in one line."""
    parts = []
    for step in report.steps:
        if step.outcome.deferred:
            count = len(step.outcome.deferred)
            parts.append(f"{count:,} piece{'s' if count != 1 else ''} of {step.outcome.task} (next: {step.outcome.deferred[0]})")
    if report.not_run:
        parts.append("the tasks " + ", ".join(report.not_run) if len(report.not_run) > 1 else f"the {report.not_run[0]} task")
    return (
        f"{what}: over max-pages-per-run ({report.limit:,}) a run writes whole pieces of work (a page's repairs, a merge "
        f"with every page it relinks, a note's fold) up to that many pages; left for later runs: {'; '.join(parts)}. "
        "Run it again for the next batch, or with --yes for all"
    )


# -- sleep, status, init, demo (issue 9) --------------------------------------------------------


@app.command("sleep")
def sleep_command(
    ctx: typer.Context,
    engine: Optional[str] = ENGINE,
    batch: bool = BATCH,
    wait: bool = WAIT,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    force: bool = typer.Option(False, "--force", help="Run even if nothing changed since the last sleep."),
    yes: bool = YES,
) -> int:
    """The whole cycle: consolidate, lint, anticipate, index; one run, one budget, one undo."""
    from kbsleep.report import sleep_summary
    from kbsleep.sleep import SleepOptions, sleep

    g: Globals = ctx.obj
    with _writing(g, "sleep") as wiki:
        choice = ModelChoice(engine, batch or wiki.config.llm.batch, wait, max_cost, max_tokens)
        options = SleepOptions(batch=choice.batch, wait=wait, force=force, yes=yes)
        asks = (_ask_before_big_writes("sleep's consolidate step"), _ask_before_big_writes("sleep's anticipate step"))
        report = sleep(wiki, choice.model(wiki), options, budget=choice.budget(wiki.config), confirm=asks[1], confirm_consolidate=asks[0])
    if not g.quiet:
        sleep_summary(report, g.color)
    for failure in report.failed:
        echo(f"skipped {failure}", err=True)
    if report.stopped:
        echo(f"sleep stopped at {report.stopped}", err=True)
        return Exit.ERROR
    return Exit.FINDINGS if report.failed else Exit.OK


@app.command()
def status(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print the status as JSON.")) -> int:
    """What is stale: answers older than their pages, open findings, inbox notes, pending batches."""
    import json

    from kbsleep.report import status_summary
    from kbsleep.status import status as wiki_status

    g: Globals = ctx.obj
    found = wiki_status(_load(g))
    if as_json:
        echo(json.dumps(found.as_dict(), indent=2))
    else:
        status_summary(found, g.color)
    return Exit.OK


@app.command()
def demo(
    ctx: typer.Context,
    engine: Optional[str] = ENGINE,
    keep: Optional[Path] = typer.Option(None, "--into", help="Make the demo copy in this (empty) folder."),
) -> int:
    """Copy sample_wiki/ into a new git repository and run the whole cycle there."""
    from kbsleep.demo import demo as run_demo
    from kbsleep.report import demo_summary

    demo_summary(run_demo(engine, keep), ctx.obj.color)
    return Exit.OK


@app.command()
def init(
    ctx: typer.Context,
    hook: bool = typer.Option(False, "--hook", help="Also install the git pre-commit hook."),
    ci: Optional[str] = typer.Option(None, "--ci", help="Also write a CI workflow: github."),
    force: bool = typer.Option(False, "--force", help="Replace files that exist."),
    agent: bool = typer.Option(False, "--agent", help="Write (or update) the house rules for the wiki's agent in AGENTS.md / CLAUDE.md; keeps a config that exists."),
) -> int:
    """Set up a wiki: a commented kbsleep.toml, the .kbsleep/ folder, optionally hook, CI and agent rules."""
    from kbsleep.init import init as setup

    for item in setup(ctx.obj.wiki, hook=hook, ci=ci, force=force, agent=agent):
        if not ctx.obj.quiet:
            echo(f"{item.verb} {item.path} ({item.what})")
    return Exit.OK


# -- mcp (issue 22) -----------------------------------------------------------------------------


@app.command("mcp")
def mcp_command(
    ctx: typer.Context,
    allow_writes: bool = typer.Option(False, "--allow-writes", help="Add the anticipate and consolidate tools (dry runs unless a call says otherwise; each run is undoable commits)."),
    engine: Optional[str] = ENGINE,
    wiki: Optional[Path] = typer.Option(None, "--wiki", "-w", help="The wiki folder (also accepted before the command)."),
) -> int:
    """Serve the wiki to an agent over MCP (stdio): ask, search, read, lint, status."""
    folder = _here(ctx.obj, wiki).wiki
    if not folder.is_dir():  # said before the SDK's second of imports
        raise KbsleepError(f"wiki folder not found: {folder}")
    from kbsleep.commands import mcp

    return mcp.run(folder, allow_writes=allow_writes, engine=engine)


# -- hooks --------------------------------------------------------------------------------------


@hook_app.command("install")
def hook_install(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite a hook that kbsleep did not write."),
    post_commit: bool = typer.Option(False, "--post-commit", help="Install the post-commit hook that runs `kbsleep sleep`."),
) -> int:
    """Install a git pre-commit hook that runs `kbsleep lint --staged`."""
    from kbsleep import hooks

    path = hooks.install(ctx.obj.wiki, "post-commit" if post_commit else "pre-commit", force=force)
    if not ctx.obj.quiet:
        echo(f"installed {path}")
    return Exit.OK


# -- entry point --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map errors to exit codes: 0 ok, 1 findings, 2 errors, 130 interrupted."""
    try:
        result = app(args=argv, prog_name="kbsleep", standalone_mode=False)
    except KeyboardInterrupt:
        echo("interrupted", err=True)
        return Exit.INTERRUPTED
    except KbsleepError as exc:
        from kbsleep.report import error

        error(exc.message, exc.hint, color=sys.stderr.isatty() and "NO_COLOR" not in os.environ)
        return Exit.ERROR
    except typer.Abort:
        echo("interrupted", err=True)
        return Exit.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into a crash log
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors
            exc.show()
            return int(exc.exit_code)
        return _crash(exc)
    if isinstance(result, int):
        return result
    return Exit.OK


_kept: list[object] | None = None  # under the console script, the last wiki loaded: freed by the exit


def entry() -> None:
    """The console script: run, flush the output, and end the process at once.

    Everything is written and committed by then, so nothing is lost by skipping the
    interpreter's teardown (as mypy does), and two waits are saved: freeing a loaded wiki's
    half a million objects (0.1 s at 10k pages; the last one is kept in `_kept` until the end),
    and, after Ctrl-C, joining the threads of model calls in progress (up to their timeout,
    for each retry), though the work is already rolled back.
    """
    global _kept
    _kept = []
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`kbsleep lint | head`): nothing more to say
            pass
    os._exit(code)


def _crash(exc: BaseException) -> int:
    from kbsleep.crash import log_exception

    log = log_exception(exc)
    echo(f"kbsleep crashed ({type(exc).__name__}: {exc}); details in {log}", err=True)
    return Exit.ERROR
