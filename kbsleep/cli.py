"""The command line: Typer declarations, and the one top-level error handler.

Each command hands its options, as explicit arguments, to the `run` of its module in
`kbsleep.commands`, imported when the command runs: `kbsleep --help` and `kbsleep lint` stay fast
enough for a pre-commit hook, and never import the anthropic SDK.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from kbsleep import __version__
from kbsleep.commands import common
from kbsleep.commands.common import Globals
from kbsleep.errors import Exit, KbsleepError
from kbsleep.report import echo  # every line the CLI prints goes through `report.printable`

EXIT_CODES = "Exit codes: 0 done, nothing found; 1 findings (lint) or pages skipped; 2 usage, config or tool error; 130 interrupted."
CHECK, SLEEP, ASK, SET_UP = "Check", "Sleep (write to the wiki, undoably)", "Ask", "Set up"

app = typer.Typer(
    name="kbsleep",
    help="Sleep-time compute for LLM-maintained Markdown wikis: lint, consolidate, anticipate, ask.",
    epilog=EXIT_CODES,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
hook_app = typer.Typer(help="Install or remove the git hooks that run kbsleep.", no_args_is_help=True, epilog=EXIT_CODES)
app.add_typer(hook_app, name="hook", rich_help_panel=SET_UP)


def _plain(name: str):  # type: ignore[no-untyped-def]
    """A text argument whose help shows only its metavar (PATH, TEXT), not also `<str>`."""
    click = getattr(typer, "_click", None) or __import__("click")  # typer 0.2x carries its own click
    plain = type("Plain", (click.types.StringParamType,), {"name": name, "get_metavar": lambda self, param, ctx: ""})
    return plain()


def _positive(value: Optional[int]) -> Optional[int]:
    """N options: a whole number of at least 1 (checked here, so that help shows `N`, not a range)."""
    if value is not None and value < 1:
        raise typer.BadParameter(f"must be at least 1, not {value}")
    return value


def _version(value: bool) -> None:
    if value:
        echo(f"kbsleep {__version__}")
        raise typer.Exit()


@app.callback()
def _globals(
    ctx: typer.Context,
    wiki: Path = typer.Option(Path("."), "--wiki", "-w", metavar="PATH", help="The wiki folder (inside a git work tree); also accepted after the command.", show_default=True),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only findings and errors."),
    no_color: bool = typer.Option(False, "--no-color", help="No colour (NO_COLOR is honoured too)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    ctx.obj = Globals(wiki, quiet, no_color)


def _g(ctx: typer.Context, wiki: Optional[Path]) -> Globals:
    """The global options, with a command's own `--wiki` (`kbsleep lint --wiki W`, as pre-commit passes it)."""
    g: Globals = ctx.obj if isinstance(ctx.obj, Globals) else Globals()
    return g if wiki is None else dataclasses.replace(g, wiki=wiki)


# -- options several commands share -------------------------------------------------------------

WIKI = typer.Option(None, "--wiki", "-w", metavar="PATH", help="The wiki folder (also accepted before the command).")
ENGINE = typer.Option(None, "--engine", metavar="ENGINE", help="auto, anthropic or offline (default: llm.engine).")
BATCH = typer.Option(False, "--batch", help="Send model work as a Message Batch (half price; results later).")
WAIT = typer.Option(False, "--wait", help="With --batch: wait for the batch and finish now.")
MAX_COST = typer.Option(None, "--max-cost", metavar="USD", help="Stop cleanly before spending more than USD.")
MAX_TOKENS = typer.Option(None, "--max-tokens", metavar="N", callback=_positive, help="Stop cleanly before using more than N tokens.")
DRY_RUN = typer.Option(False, "--dry-run", help="Print the diff; write nothing.")
YES = typer.Option(False, "--yes", "-y", help="Write every page that needs it, even more than max-pages-per-run, without asking.")
JSON = typer.Option(False, "--json", help="Print data as JSON instead of a summary.")


def _choice(engine: Optional[str], batch: bool = False, wait: bool = False, max_cost: Optional[float] = None, max_tokens: Optional[int] = None):  # type: ignore[no-untyped-def]
    return __import__("kbsleep.llm.choice", fromlist=["ModelChoice"]).ModelChoice(engine, batch, wait, max_cost, max_tokens)


@app.command(rich_help_panel=CHECK)
def lint(
    ctx: typer.Context,
    paths: Optional[List[str]] = typer.Argument(None, metavar="[PATH]...", click_type=_plain("path"), help="Report only on these pages or folders (judged against the whole wiki)."),
    output_format: Optional[str] = typer.Option(None, "--output-format", metavar="FORMAT", help="full, concise, json, json-lines, github, sarif or junit."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="PATH", help="Write the report to PATH."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="CODE", help="Rules to run: code, code prefix or name (repeatable)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="CODE", help="Rules to skip (repeatable)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", metavar="CODE", help="Rules to add to the selection."),
    staged: bool = typer.Option(False, "--staged", help="Report on the pages staged for commit."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REF", help="Report on pages changed since REF."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="TIER", help="Lowest tier that fails: error, warning or judgement."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even with findings."),
    statistics: bool = typer.Option(False, "--statistics", help="Show counts per rule."),
    fix: bool = typer.Option(False, "--fix", help="Apply safe fixes (files are written, not committed)."),
    list_rules: bool = typer.Option(False, "--list-rules", help="List the rules and exit."),
    deep: bool = typer.Option(False, "--deep", help="Add model-judged findings (judgement tier)."),
    wiki: Optional[Path] = WIKI,
    engine: Optional[str] = typer.Option(None, "--engine", metavar="ENGINE", help="With --deep: auto, anthropic or offline (default: llm.engine)."),
    batch: bool = typer.Option(False, "--batch", help="With --deep: send the judgements as a Message Batch."),
    wait: bool = typer.Option(False, "--wait", help="With --deep --batch: wait for the batch and finish now."),
    max_cost: Optional[float] = typer.Option(None, "--max-cost", metavar="USD", help="With --deep: stop cleanly before spending more than USD."),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", metavar="N", callback=_positive, help="With --deep: stop cleanly before using more than N tokens."),
) -> int:
    """Check the wiki: broken links, orphans, duplicates, conflicting facts, stale sections."""
    from kbsleep.commands import lint as command
    from kbsleep.lint.command import LintArgs

    args = LintArgs(
        paths=tuple(paths or ()), output_format=output_format, output=output, select=tuple(select or ()),
        ignore=tuple(ignore or ()), extend_select=tuple(extend_select or ()), staged=staged,
        changed_since=changed_since, fail_on=fail_on, exit_zero=exit_zero, statistics=statistics,
        fix=fix, deep=deep, model=_choice(engine, batch, wait, max_cost, max_tokens) if deep else None,
    )  # fmt: skip
    deep_options = {"--engine": engine, "--batch": batch or None, "--wait": wait or None, "--max-cost": max_cost, "--max-tokens": max_tokens}
    return command.run(_g(ctx, wiki), args, list_rules=list_rules, deep_options=deep_options)


@app.command(rich_help_panel=CHECK)
def rule(ctx: typer.Context, code: str = typer.Argument(..., metavar="CODE", click_type=_plain("code"), help="A rule code or name, e.g. KB103 or alias-link.")) -> int:
    """Explain a lint rule: what it does, why it matters, an example and the fix."""
    from kbsleep.commands import rule as command

    return command.run(_g(ctx, None), code)


@app.command(rich_help_panel=CHECK)
def status(ctx: typer.Context, as_json: bool = JSON, wiki: Optional[Path] = WIKI) -> int:
    """What is stale: answers older than their pages, open findings, inbox notes, pending batches."""
    from kbsleep.commands import status as command

    return command.run(_g(ctx, wiki), as_json)


@app.command("sleep", rich_help_panel=SLEEP)
def sleep_command(
    ctx: typer.Context,
    engine: Optional[str] = ENGINE,
    batch: bool = BATCH,
    wait: bool = WAIT,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    force: bool = typer.Option(False, "--force", help="Run even if nothing changed since the last sleep."),
    yes: bool = YES,
    wiki: Optional[Path] = WIKI,
) -> int:
    """The whole cycle: consolidate, lint, anticipate, index; one run, one budget, one undo."""
    from kbsleep.commands import sleep as command

    return command.run(_g(ctx, wiki), choice=_choice(engine, batch, wait, max_cost, max_tokens), force=force, yes=yes)


@app.command(rich_help_panel=SLEEP)
def consolidate(
    ctx: typer.Context,
    only: Optional[str] = typer.Option(None, "--only", metavar="TASKS", help="Comma-separated tasks: links,duplicates,inbox,contradictions,index,log (default: all)."),
    engine: Optional[str] = ENGINE,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    dry_run: bool = DRY_RUN,
    yes: bool = YES,
    wiki: Optional[Path] = WIKI,
) -> int:
    """Reorganise the wiki safely: repair links, merge duplicates, fold the inbox, flag conflicts, rebuild the index, log it."""
    from kbsleep.commands import consolidate as command

    return command.run(_g(ctx, wiki), only, choice=_choice(engine, max_cost=max_cost, max_tokens=max_tokens), dry_run=dry_run, yes=yes)


@app.command(rich_help_panel=SLEEP)
def anticipate(
    ctx: typer.Context,
    paths: Optional[List[str]] = typer.Argument(None, metavar="[PATH]...", click_type=_plain("path"), help="Only these pages or folders (default: every page that needs it)."),
    force: bool = typer.Option(False, "--force", help="Regenerate every selected page, hand-edited sections included."),
    questions: Optional[int] = typer.Option(None, "--questions", "-n", metavar="N", callback=_positive, help="At most N questions per page (default: anticipate.questions)."),
    dry_run: bool = DRY_RUN,
    engine: Optional[str] = ENGINE,
    batch: bool = BATCH,
    wait: bool = WAIT,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    yes: bool = YES,
    wiki: Optional[Path] = WIKI,
) -> int:
    """Write each page's likely questions, with cited answers, into an `Anticipated questions` section."""
    from kbsleep.commands import anticipate as command

    choice = _choice(engine, batch, wait, max_cost, max_tokens)
    return command.run(_g(ctx, wiki), tuple(paths or ()), choice=choice, force=force, questions=questions, dry_run=dry_run, yes=yes)


@app.command(rich_help_panel=SLEEP)
def undo(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what would be reverted (the run, its commits and files); change nothing."),
    wiki: Optional[Path] = WIKI,
) -> int:
    """Revert the last kbsleep run (all its commits) in one new commit; again to go further back."""
    from kbsleep.commands import undo as command

    return command.run(_g(ctx, wiki), dry_run)


@app.command(rich_help_panel=ASK)
def ask(
    ctx: typer.Context,
    question: str = typer.Argument(..., metavar="TEXT", click_type=_plain("text"), help="The question, in quotes."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer, citations, path, tokens and latency as JSON."),
    engine: Optional[str] = ENGINE,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    no_precomputed: bool = typer.Option(False, "--no-precomputed", help="Skip precomputed answers; always retrieve."),
    no_log: bool = typer.Option(False, "--no-log", help="Do not log this ask or queue it for anticipate."),
    wiki: Optional[Path] = WIKI,
) -> int:
    """Answer a question from the wiki, with citations; says so when the wiki does not hold the answer."""
    from kbsleep.changes import looking_ahead
    from kbsleep.commands import ask as command

    g, choice = _g(ctx, wiki), _choice(engine, max_cost=max_cost, max_tokens=max_tokens)
    with looking_ahead(g.wiki):  # git looks for changed pages while ask imports what it needs
        return command.run(g, question, choice=choice, as_json=as_json, precomputed=not no_precomputed, log=not no_log)


@app.command("index", rich_help_panel=ASK)
def index_command(
    ctx: typer.Context,
    rebuild: bool = typer.Option(False, "--rebuild", help="Drop the index and build it from scratch."),
    wiki: Optional[Path] = WIKI,
) -> int:
    """Build or update the search index (.kbsleep/index.sqlite) for pages that changed."""
    from kbsleep.commands import index as command

    return command.run(_g(ctx, wiki), rebuild)


@app.command("eval", rich_help_panel=ASK)
def eval_command(
    ctx: typer.Context,
    questions: str = typer.Argument(..., metavar="PATH", click_type=_plain("path"), help="A JSONL file of questions: question, gold_pages, answer_substrings, kind."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures and every question's outcome as JSON."),
    engine: Optional[str] = ENGINE,
    max_cost: Optional[float] = MAX_COST,
    max_tokens: Optional[int] = MAX_TOKENS,
    no_precomputed: bool = typer.Option(False, "--no-precomputed", help="Skip precomputed answers; always retrieve."),
    wiki: Optional[Path] = WIKI,
) -> int:
    """Measure ask on questions with known answers: hit@k, cited, accuracy, "not in the wiki", fast path, tokens."""
    from kbsleep.commands import eval as command

    choice = _choice(engine, max_cost=max_cost, max_tokens=max_tokens)
    return command.run(_g(ctx, wiki), Path(questions), choice=choice, as_json=as_json, precomputed=not no_precomputed)


@app.command(rich_help_panel=ASK)
def stats(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."), wiki: Optional[Path] = WIKI) -> int:
    """Does sleep-time compute pay? Precomputed-answer share, tokens per ask, sleep-time spend, break-even."""
    from kbsleep.commands import stats as command

    return command.run(_g(ctx, wiki), as_json)


@app.command("mcp", rich_help_panel=ASK)
def mcp_command(
    ctx: typer.Context,
    allow_writes: bool = typer.Option(False, "--allow-writes", help="Add the anticipate and consolidate tools (dry runs unless a call says otherwise; each run is undoable commits)."),
    engine: Optional[str] = ENGINE,
    wiki: Optional[Path] = WIKI,
) -> int:
    """Serve the wiki to an agent over MCP (stdio): ask, search, read, lint, status."""
    root = common.folder(_g(ctx, wiki))  # said before the SDK's second of imports
    from kbsleep.commands import mcp

    return mcp.run(root, allow_writes=allow_writes, engine=engine)


@app.command(rich_help_panel=SET_UP)
def init(
    ctx: typer.Context,
    hook: bool = typer.Option(False, "--hook", help="Also install the git pre-commit hook."),
    ci: Optional[str] = typer.Option(None, "--ci", metavar="NAME", help="Also write a CI workflow: github."),
    force: bool = typer.Option(False, "--force", help="Replace files that exist."),
    agent: bool = typer.Option(False, "--agent", help="Write (or update) the house rules for the wiki's agent in AGENTS.md / CLAUDE.md; keeps a config that exists."),
    wiki: Optional[Path] = WIKI,
) -> int:
    """Set up a wiki: a commented kbsleep.toml, the .kbsleep/ folder, optionally hook, CI and agent rules."""
    from kbsleep.commands import init as command

    return command.run(_g(ctx, wiki), hook=hook, ci=ci, force=force, agent=agent)


@app.command(rich_help_panel=SET_UP)
def demo(
    ctx: typer.Context,
    engine: Optional[str] = ENGINE,
    into: Optional[Path] = typer.Option(None, "--into", metavar="PATH", help="Make the demo copy in this (empty) folder."),
) -> int:
    """Copy sample_wiki/ into a new git repository and run the whole cycle there."""
    from kbsleep.commands import demo as command

    return command.run(_g(ctx, None), engine, into)


@app.command(rich_help_panel=SET_UP)
def models(ctx: typer.Context, engine: Optional[str] = ENGINE, wiki: Optional[Path] = WIKI) -> int:
    """List the models the configured endpoint offers."""
    from kbsleep.commands import models as command

    return command.run(_g(ctx, wiki), engine)


POST_COMMIT = typer.Option(False, "--post-commit", help="The post-commit hook that runs `kbsleep sleep`, not the pre-commit hook.")


@hook_app.command("install")
def hook_install(
    ctx: typer.Context,
    force: bool = typer.Option(False, "--force", help="Overwrite a hook that kbsleep did not write."),
    post_commit: bool = POST_COMMIT,
    wiki: Optional[Path] = WIKI,
) -> int:
    """Install a git pre-commit hook that runs `kbsleep lint --staged`."""
    from kbsleep.commands import hook

    return hook.install(_g(ctx, wiki), post_commit=post_commit, force=force)


@hook_app.command("uninstall")
def hook_uninstall(ctx: typer.Context, post_commit: bool = POST_COMMIT, wiki: Optional[Path] = WIKI) -> int:
    """Remove the git hook kbsleep installed; a hook kbsleep did not write is left alone."""
    from kbsleep.commands import hook

    return hook.uninstall(_g(ctx, wiki), post_commit=post_commit)


# -- entry point --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map errors to exit codes: 0 ok, 1 findings, 2 errors, 130 interrupted."""
    try:
        result = common.only_the_command(app, sys.argv[1:] if argv is None else argv)(args=argv, prog_name="kbsleep", standalone_mode=False)
        if result == Exit.INTERRUPTED:  # typer 0.2x hands Ctrl-C back as a silent 130 (older ones raise Abort)
            raise KeyboardInterrupt
    except (KeyboardInterrupt, typer.Abort):
        echo("interrupted", err=True)
        return Exit.INTERRUPTED
    except KbsleepError as exc:
        from kbsleep.report import error

        error(exc.message, exc.hint, color=sys.stderr.isatty() and "NO_COLOR" not in os.environ)
        return Exit.ERROR
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into a crash log
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors
            exc.show()
            return int(exc.exit_code)
        return _crash(exc)
    return result if isinstance(result, int) else Exit.OK


def entry() -> None:
    """The console script: run, flush the output, and end the process at once. Everything is
    written and committed by then, so nothing is lost by skipping the interpreter's teardown (as
    mypy does), and two waits are saved: freeing a loaded wiki's half a million objects (0.1 s at
    10k pages; the last one is kept in `common.KEPT` until the end), and, after Ctrl-C, joining the
    threads of model calls in progress (up to their timeout, each retry), though the work is
    already rolled back."""
    # numpy's OpenBLAS threads sleep when idle, not spin 0.1 s of CPU first (a third of a warm ask's)
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")  # 2**4 cycles, the shortest; a user's value wins
    gc.set_threshold(100_000)  # new objects between collections, not 700: re-scanning what a command imports and keeps was 3% of a warm `ask`
    common.KEPT = []
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
