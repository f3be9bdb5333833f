"""`kbsleep lint`: load, scope, lint, fix, render, and the exit code."""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from kbsleep import __version__
from kbsleep.errors import Exit, KbsleepError
from kbsleep.lint import LintReport, lint, scope, scoped, selection_from_config
from kbsleep.lint import cache as lint_cache
from kbsleep.lint.formats import FORMATS, Settings, render, render_statistics
from kbsleep.lint.records import Diagnostic, Location
from kbsleep.report import plural, printable

if TYPE_CHECKING:
    from kbsleep.config import Config
    from kbsleep.lint.deep import DeepReport
    from kbsleep.llm.choice import ModelChoice
    from kbsleep.wiki import Snapshot, Wiki

TIERS = ("error", "warning", "judgement")
# GitHub places annotations and code-scanning alerts by path from the repository's top, so
# these formats name files from there when the wiki is a subfolder; the others use wiki paths.
REPOSITORY_FORMATS = ("github", "sarif")


@dataclass(frozen=True)
class LintArgs:
    paths: tuple[str, ...] = ()
    output_format: Optional[str] = None
    output: Optional[Path] = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    staged: bool = False
    changed_since: Optional[str] = None
    fail_on: Optional[str] = None
    exit_zero: bool = False
    statistics: bool = False
    fix: bool = False
    deep: bool = False
    model: Optional[ModelChoice] = None  # with `deep`: the engine, batch and budget options


def run(args: LintArgs, *, quiet: bool, color: bool, snapshot: Callable[[], Snapshot], load: Callable[[Snapshot], Wiki]) -> int:
    """The lint command: read the files (`snapshot`), build the Wiki only when needed (`load`);
    `quiet` prints findings and errors only, `color` colours the full format."""
    fmt = args.output_format or os.environ.get("KBSLEEP_OUTPUT_FORMAT") or None
    wiki = Lazy(snapshot(), load)
    fmt = fmt or wiki.config.lint.output_format
    if fmt not in FORMATS:
        raise KbsleepError(f"unknown output format `{fmt}`", hint="one of: " + ", ".join(FORMATS))
    fail_on = args.fail_on or wiki.config.lint.fail_on
    if fail_on not in TIERS:
        raise KbsleepError(f"--fail-on must be one of {', '.join(TIERS)}, not `{fail_on}`")
    report, deep = findings(wiki, args)
    if args.fix:
        from kbsleep.lint.fix import apply_fixes, held  # it writes files: not imported by a plain run
        from kbsleep.lock import hold

        with hold(wiki.root, "lint --fix"):
            fixed = apply_fixes(wiki.wiki, report.diagnostics)
        kept = held(wiki.wiki, report.diagnostics)
        if kept and not quiet:
            print(f"Left {plural(len(kept), 'read-only page')} as {'it is' if len(kept) == 1 else 'they are'} (the config's `read-only`, or a plugin's own file: an Excalidraw drawing, a Kanban board): their findings are reported, not fixed.", file=sys.stderr)
        if fixed:
            wiki = Lazy(snapshot(), load)
            report, deep = findings(wiki, args)
            if not quiet:
                print(f"Fixed {plural(sum(fixed.values()), 'problem')} in {plural(len(fixed), 'page')}.", file=sys.stderr)
    stopped = deep is not None and deep.run.stop_kind == "endpoint"  # a rejected key, an outage: no judgement made
    if deep is not None and (not quiet or stopped):
        for line in deep_summary(deep):
            print(printable(line), file=sys.stderr)
    to_file = args.output is not None
    color = color and not to_file and fmt == "full"
    diagnostics = report.diagnostics
    if fmt in REPOSITORY_FORMATS:
        diagnostics = tuple(_from_repository_top(d, wiki) for d in diagnostics)
    empty = _nothing_found(report, wiki, args)
    text = render(
        diagnostics, report.rules, fmt, tool_version=__version__, color=color, pages=report.pages,
        settings=_settings(wiki.config), empty=empty, width=_terminal_width() if not to_file else None,
    )  # fmt: skip
    if empty is not None and (fmt != "full" or to_file) and not quiet:  # on a terminal, the full format says so itself
        print(printable(f"warning: {empty}: nothing was checked"), file=sys.stderr)
    if args.statistics:
        text = render_statistics(report.diagnostics) if fmt in ("full", "concise") else text
    if fmt == "full" and not report.diagnostics and quiet:
        text = ""
    _emit(text, args.output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        from kbsleep.lint.formats.github import write_github_summary

        write_github_summary(diagnostics, report.rules, summary)
    if stopped:
        return Exit.ERROR  # as any model-calling command the endpoint stopped: the check was not made
    if args.exit_zero or not report.fails(fail_on):
        return Exit.OK
    return Exit.FINDINGS


class Lazy:
    """The wiki as lint sees it: files read, the Wiki built on first need.

    A warm run over unchanged files takes its findings from the lint cache and never builds the
    Wiki (parsing state, resolving every link), which is most of the time of a large wiki.
    """

    def __init__(self, snapshot: Snapshot, load: Callable[[Snapshot], Wiki]) -> None:
        self._snapshot: Snapshot | None = snapshot
        self._load, self._wiki = load, None
        self.root, self.config, self.git_top = snapshot.root, snapshot.config, snapshot.git_top
        self.fingerprint = snapshot.fingerprint
        self.pages = dict.fromkeys(snapshot.pages)  # paths only: membership and iteration

    @property
    def wiki(self) -> Wiki:
        if self._wiki is None:
            assert self._snapshot is not None
            self._wiki = self._load(self._snapshot)
            self._snapshot = None  # the files' bytes are in the Wiki now: don't hold them twice
        return self._wiki

    def links(self):  # type: ignore[no-untyped-def]
        return self.wiki.links()


def findings(wiki: Lazy, args: LintArgs) -> tuple[LintReport, DeepReport | None]:
    """The report on what `args` scope (and `--deep`'s run); from the lint cache when the files are as last linted."""
    selection = selection_from_config(wiki, args.select, args.ignore, args.extend_select)  # type: ignore[arg-type]
    wanted: set[str] | None = None
    if args.paths:
        wanted = scope.from_paths(wiki, args.paths)  # type: ignore[arg-type]
    if args.staged or args.changed_since:
        found = scope.from_git(wiki, staged=args.staged, since=args.changed_since)  # type: ignore[arg-type]
        wanted = found if wanted is None else wanted | found
    if wanted is not None and not wanted and not args.deep:
        return LintReport((), tuple(selection.rules()), len(wiki.pages), 0), None  # nothing to report on: no Wiki built
    if args.deep:
        deep = _deep(wiki.wiki, args, [r.name for r in selection.rules(True) if r.severity == "judgement"], wanted)
        return lint(wiki.wiki, selection, wanted, deep=True, judged=deep.diagnostics), deep
    key = lint_cache.key(wiki.fingerprint, wiki.config, selection)
    cached = None if args.fix else lint_cache.read(wiki.root, key)
    if cached is not None:
        full = LintReport(cached, tuple(selection.rules()), len(wiki.pages), len(wiki.pages))
    elif wanted is not None:
        return lint(wiki.wiki, selection, wanted), None  # a pre-commit run: only what it reports on
    else:
        full = lint(wiki.wiki, selection)
        lint_cache.write(wiki.root, key, full.diagnostics)
    return scoped(full, wanted, wiki.pages), None


def _deep(wiki: Wiki, args: LintArgs, kinds: list[str], wanted: set[str] | None) -> DeepReport:
    """The model-judged findings; imported here so that plain `kbsleep lint` never loads a model."""
    from kbsleep.lint import deep
    from kbsleep.state import ensure_state_dir

    choice = args.model
    if choice is None:
        from kbsleep.llm.choice import ModelChoice

        choice = ModelChoice()
    model = choice.model(wiki)
    # Only --batch batches: `llm.batch` is for sleep-time passes, and a lint run that returns
    # "results later" without being asked would surprise.
    return deep.judge(
        wiki, model, kinds, scope=wanted, budget=choice.budget(wiki.config), batch=choice.batch,
        wait=choice.wait, state_dir=ensure_state_dir(wiki.root),
    )  # fmt: skip


def _nothing_found(report: LintReport, wiki: Lazy, args: LintArgs) -> str | None:
    """What was not found ("no Markdown page found under PATH"), when that is why nothing was checked.

    As ruff does with no Python file, this is a warning and exit 0, not an error: a wiki just
    set up has no pages yet, and its pre-commit hook must not block the commit. A missing folder
    or file is an error (2) before this. A `--staged` or `--changed-since` run with nothing to
    report on is a normal commit, and says nothing."""
    if report.pages == 0:
        return f"no Markdown page found under {wiki.root}"
    if args.paths and not (args.staged or args.changed_since) and report.checked == 0:
        return f"no page of the wiki ({wiki.root}) found in {', '.join(args.paths)}"
    return None


def _terminal_width() -> int | None:
    """The terminal's columns when stdout is one: the full format fits source lines to it."""
    if not sys.stdout.isatty():
        return None
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return None


def deep_summary(deep: DeepReport) -> list[str]:
    """What `--deep` did, for stderr: pairs judged, from the cache, the cost, and any stop."""
    done = deep.run
    judged = len(done.results)
    cached = sum(1 for r in done.results if r.from_cache)
    chosen, considered = len(deep.candidates.chosen), deep.candidates.considered
    line = f"deep: judged {judged:,} of {plural(chosen, 'candidate')} ({considered:,} ranked, {cached:,} from cache) with the {deep.engine} engine"
    if deep.engine == "offline":
        line += " (numeric claims only)"
    elif done.cost_usd:
        line += f"; ${done.cost_usd:.4f}"
    lines = [line]
    if done.skipped:
        lines.append(f"deep: {len(done.skipped)} not judged: {done.skipped[0].error}")
    if done.pending_batch:
        lines.append(f"deep: batch {done.pending_batch} is still running; run the same command again to collect it (or add --wait)")
    elif done.stop_reason:
        hint = f" ({done.hint})" if done.hint else ""
        lines.append(f"deep: stopped early, {len(done.not_done)} not judged: {done.stop_reason}{hint}")
    return lines


def _settings(config: Config) -> Settings:
    """Where this wiki's rule selection lives, for the advice on a noisy rule."""
    source = config.source
    if source is not None and source.name == "pyproject.toml":
        return Settings("pyproject.toml", "[tool.kbsleep.lint]", config.lint.ignore)
    return Settings(source.name if source is not None else "kbsleep.toml", "[lint]", config.lint.ignore)


def _from_repository_top(diagnostic: Diagnostic, wiki: Wiki) -> Diagnostic:
    if wiki.git_top is None:
        return diagnostic
    prefix = wiki.root.resolve().relative_to(wiki.git_top.resolve()).as_posix()
    if prefix in ("", "."):
        return diagnostic

    def moved(location: Location) -> Location:
        return dataclasses.replace(location, path=f"{prefix}/{location.path}")

    return dataclasses.replace(diagnostic, location=moved(diagnostic.location), related=tuple(moved(r) for r in diagnostic.related))


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        if text:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise KbsleepError(f"cannot write {output}: {exc.strerror or exc}") from None
