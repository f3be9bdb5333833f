"""The command line: parse options, call one core function, render its result.

Nothing here imports the anthropic SDK at module level: `kbsleep --help` and `kbsleep lint`
must stay fast enough for a pre-commit hook.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import typer

from kbsleep import __version__
from kbsleep.errors import Exit, KbsleepError

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
        typer.echo(f"kbsleep {__version__}")
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


def _load(g: Globals, overrides: dict | None = None):  # type: ignore[no-untyped-def]
    """Load the wiki, with a progress bar on stderr for a cold load on a terminal."""
    from kbsleep.report import progress
    from kbsleep.wiki import open_wiki

    with progress("Parsing pages", enabled=sys.stderr.isatty() and not g.quiet) as tick:
        return open_wiki(g.wiki, overrides, progress=tick)  # type: ignore[arg-type]


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
) -> int:
    """Check the wiki: broken links, orphans, duplicates, conflicting facts, stale sections."""
    g = _here(ctx.obj, wiki)
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
            fix=fix, deep=deep,
        ),
        load=lambda: _load(g),
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
        typer.echo("offline engine: no model endpoint (set ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL)")
        return Exit.OK
    rows = [(m.id, m.display_name, m.created_at) for m in list_models(config.llm)]
    table(None, ("id", "name", "created"), rows, ctx.obj.color)
    return Exit.OK


@app.command()
def undo(ctx: typer.Context) -> int:
    """Revert the last kbsleep run (all its commits) in one new commit; again to go further back."""
    from kbsleep import gitops

    root = ctx.obj.wiki
    done = gitops.undo(root)
    if done is None:
        typer.echo("nothing to undo: no kbsleep run on this branch")
        return Exit.OK
    run, sha = done
    if not ctx.obj.quiet:
        typer.echo(f"reverted run {run.run_id} ({', '.join(run.passes)}; {len(run.commits)} commits) in {sha[:10]}")
    return Exit.OK


# -- anticipate (issue 5) -----------------------------------------------------------------------


# -- ask, index, stats (issue 6) ----------------------------------------------------------------


# -- consolidate (issue 7) ----------------------------------------------------------------------


# -- sleep, status, init, demo (issue 9) --------------------------------------------------------


@app.command()
def init(
    ctx: typer.Context,
    hook: bool = typer.Option(False, "--hook", help="Also install the git pre-commit hook."),
    ci: Optional[str] = typer.Option(None, "--ci", help="Also write a CI workflow: github."),
    force: bool = typer.Option(False, "--force", help="Replace files that exist."),
) -> int:
    """Set up a wiki: a commented kbsleep.toml, the .kbsleep/ folder, optionally hook and CI."""
    from kbsleep.init import init as setup

    for item in setup(ctx.obj.wiki, hook=hook, ci=ci, force=force):
        if not ctx.obj.quiet:
            typer.echo(f"wrote {item.path} ({item.what})")
    return Exit.OK


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
        typer.echo(f"installed {path}")
    return Exit.OK


# -- entry point --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map errors to exit codes: 0 ok, 1 findings, 2 errors, 130 interrupted."""
    try:
        result = app(args=argv, prog_name="kbsleep", standalone_mode=False)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        return Exit.INTERRUPTED
    except KbsleepError as exc:
        from kbsleep.report import error

        error(exc.message, exc.hint, color=sys.stderr.isatty() and "NO_COLOR" not in os.environ)
        return Exit.ERROR
    except typer.Abort:
        typer.echo("interrupted", err=True)
        return Exit.INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place that turns a bug into a crash log
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):  # click's usage errors
            exc.show()
            return int(exc.exit_code)
        return _crash(exc)
    if isinstance(result, int):
        return result
    return Exit.OK


def _crash(exc: BaseException) -> int:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kbsleep"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir())
    log = folder / f"crash-{stamp}-{os.getpid()}.log"
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.write_text(f"kbsleep {__version__}\nargv: {sys.argv}\n\n{text}", encoding="utf-8")
    typer.echo(f"kbsleep crashed ({type(exc).__name__}: {exc}); details in {log}", err=True)
    return Exit.ERROR
