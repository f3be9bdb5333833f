"""What the commands share: the global options, and loading the wiki the way every command does."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.report import echo

if TYPE_CHECKING:
    from kbsleep.config import Config
    from kbsleep.wiki import Snapshot, Wiki

# Under the console script, the last wiki loaded: kept alive until `os._exit` ends the process,
# so that its half a million objects are never freed one by one (see `kbsleep.cli.entry`).
KEPT: Optional[list[object]] = None


@dataclass(frozen=True)
class Globals:
    """The options given before the command (`--wiki` may be given after it too)."""

    wiki: Path = Path(".")
    quiet: bool = False
    no_color: bool = False

    @property
    def color(self) -> bool:
        """Colour on stdout: a terminal, and neither --no-color nor NO_COLOR."""
        from kbsleep.report import wants_color

        return wants_color(sys.stdout, self.no_color)

    @property
    def chatty(self) -> bool:
        """Progress and status lines on stderr: a terminal there, and not --quiet."""
        return sys.stderr.isatty() and not self.quiet


# The options given before the command that take a value, and the short help option: what
# `only_the_command` must know of them (tests/cli/test_only_the_command.py checks them against
# the CLI's own).
GLOBAL_VALUES = ("--wiki", "-w")
SHORT_HELP = "-h"


def only_the_command(app: Any, args: Sequence[str]) -> Any:
    """The Typer `app` with only the command the command line `args` runs, for the CLI to build:
    building every command's options costs a warm `ask` or a `lint --staged` 8 ms. Help,
    `--version`, a group of commands, or a command line read with any doubt gets the whole app."""
    import copy

    value = False  # the argument before was an option that takes a value
    for arg in args:
        if value:
            value = False
        elif arg in ("--help", "--version", "--"):
            return app
        elif arg.startswith("--"):
            value = arg in GLOBAL_VALUES
        elif arg.startswith("-") and len(arg) > 1:  # short options: `-q`, `-qw PATH`, `-wPATH`
            flags, named, attached = arg[1:].partition(GLOBAL_VALUES[1][1])
            if SHORT_HELP[1] in flags:
                return app
            value = bool(named) and not attached
        else:
            found = [c for c in app.registered_commands if (c.name or c.callback.__name__.lower().replace("_", "-")) == arg]
            if len(found) != 1:
                return app
            narrow = copy.copy(app)
            narrow.registered_commands, narrow.registered_groups = found, []
            return narrow
    return app


def folder(g: Globals) -> Path:
    """The wiki folder, refused with a clear message when it is missing."""
    if not Path(g.wiki).is_dir():
        raise KbsleepError(f"wiki folder not found: {g.wiki}", hint="pass the wiki's folder with --wiki PATH")
    return Path(g.wiki)


def snapshot(g: Globals) -> Snapshot:
    """The wiki's files; Obsidian settings that could not be read are said once, on stderr."""
    from kbsleep.report import warning
    from kbsleep.wiki import take_snapshot

    taken = take_snapshot(g.wiki)
    if not g.quiet:
        for problem in taken.vault.problems:
            warning(problem)
    return taken


def load(g: Globals, taken: Snapshot | None = None) -> Wiki:
    """Load the wiki, with a progress bar on stderr for a cold load on a terminal."""
    from kbsleep.report import progress
    from kbsleep.wiki import load_wiki

    if taken is None:
        taken = snapshot(g)
    with progress("Parsing pages", enabled=g.chatty, unit="page") as tick:
        wiki = load_wiki(snapshot=taken, progress=tick)  # type: ignore[arg-type]
    if KEPT is not None:
        KEPT[:] = [wiki]  # the last one: a command that loads again (sleep) frees the earlier as it goes
    return wiki


@contextmanager
def writing(g: Globals, what: str, *, writes: bool = True) -> Iterator[Wiki]:
    """Hold the wiki's writer lock, then load the wiki: a second writer is refused before it
    reads anything, and no other kbsleep writes the pages this one reads as it goes. Before
    the load, what a killed kbsleep left is finished or undone (so no page is read half
    written), and, for a run that `writes`, a repository it must not commit to is refused."""
    from kbsleep.git import transaction
    from kbsleep.lock import hold
    from kbsleep.git.runner import recover

    root = folder(g)
    with hold(root, what):
        for line in recover(root):
            echo(line, err=True)
        if writes:
            transaction.writable(root)
        yield load(g)


def config(g: Globals) -> Config:
    """The wiki's config, without loading its pages (ask and stats stay fast on a big wiki)."""
    from kbsleep.changes import git_top
    from kbsleep.config import load_config

    root = folder(g)
    return load_config(root, None, git_top(root))


def confirm_big_writes(what: str) -> Optional[Callable[[int, int], bool]]:
    """On a terminal, a question for a pass about to write more than `max-pages-per-run` pages;
    None elsewhere (a hook, a pipe, CI), where the pass writes the first batch only."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def confirm(count: int, limit: int) -> bool:
        import typer

        return typer.confirm(
            f"{what} would write {count:,} pages, more than max-pages-per-run ({limit:,}). "
            f"Write all of them? (no: the first {limit:,} now, the rest in later runs)",
            default=False,
            err=True,
        )

    return confirm
