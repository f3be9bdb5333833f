"""`kbsleep lint`: check the wiki (the work is `kbsleep.lint.command`'s; this checks the options)."""

from __future__ import annotations

from typing import Optional

from kbsleep.commands.common import Globals, load, snapshot
from kbsleep.errors import Exit, KbsleepError
from kbsleep.lint import command


def run(g: Globals, args: command.LintArgs, *, list_rules: bool = False, deep_options: Optional[dict[str, object]] = None) -> int:
    """Lint the wiki at `g.wiki` as `args` say; `deep_options` are the model options given, by flag."""
    given = [name for name, value in (deep_options or {}).items() if value is not None]
    if given and not args.deep:
        raise KbsleepError(f"{given[0]} works only with --deep")
    if args.model is not None and args.model.wait and not args.model.batch:
        raise KbsleepError("--wait works only with --batch")
    if list_rules:
        from kbsleep.lint.registry import RULES
        from kbsleep.report import rules_table

        rules_table(list(RULES.values()), g.color)
        return Exit.OK
    return command.run(args, quiet=g.quiet, color=g.color, snapshot=lambda: snapshot(g), load=lambda taken: load(g, taken))
