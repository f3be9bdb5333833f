"""`kbsleep hook install` and `kbsleep hook uninstall`: the git hooks that run kbsleep."""

from __future__ import annotations

from kbsleep.commands.common import Globals, folder
from kbsleep.errors import Exit
from kbsleep.report import echo


def install(g: Globals, *, post_commit: bool = False, force: bool = False) -> int:
    from kbsleep import hooks

    path = hooks.install(folder(g), _kind(post_commit), force=force)
    if not g.quiet:
        echo(f"installed {path}")
    return Exit.OK


def uninstall(g: Globals, *, post_commit: bool = False) -> int:
    """Remove the hook kbsleep installed; say so, and leave a hook kbsleep did not write alone."""
    from kbsleep import hooks

    kind = _kind(post_commit)
    done, path = hooks.uninstall(folder(g), kind)
    if done == "removed":
        if not g.quiet:
            echo(f"removed {path}")
    elif done == "absent":
        echo(f"no {kind} hook to remove ({path} does not exist)")
    else:
        echo(f"left {path} alone: kbsleep did not write it (it has no `{hooks.MARKER}` line)", err=True)
    return Exit.OK


def _kind(post_commit: bool) -> str:
    return "post-commit" if post_commit else "pre-commit"
