"""`kbsleep rule CODE`: explain a lint rule: what it does, why it matters, an example, the fix."""

from __future__ import annotations

from kbsleep.commands.common import Globals
from kbsleep.errors import Exit


def run(g: Globals, code: str) -> int:
    from kbsleep.lint.registry import find_rule
    from kbsleep.report import rule_page

    rule_page(find_rule(code), g.color)
    return Exit.OK
