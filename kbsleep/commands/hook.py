"""`kbsleep hook install` and `kbsleep hook uninstall`: the git hooks that run kbsleep."""

from __future__ import annotations

from kbsleep.commands.common import Globals, folder
from kbsleep.errors import Exit


def install(g: Globals, *, post_commit: bool = False, force: bool = False) -> int:
    from kbsleep import hooks
    from kbsleep.report.summaries import hook_summary

    kind = _kind(post_commit)
    hook_summary(kind, "installed", hooks.install(folder(g), kind, force=force), g.quiet)
    return Exit.OK


def uninstall(g: Globals, *, post_commit: bool = False) -> int:
    """Remove the hook kbsleep installed; say so, and leave a hook kbsleep did not write alone."""
    from kbsleep import hooks
    from kbsleep.report.summaries import hook_summary

    kind = _kind(post_commit)
    done, path = hooks.uninstall(folder(g), kind)
    hook_summary(kind, done, path, g.quiet)
    return Exit.OK


def _kind(post_commit: bool) -> str:
    return "post-commit" if post_commit else "pre-commit"
