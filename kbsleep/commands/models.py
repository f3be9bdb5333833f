"""`kbsleep models`: the models the configured endpoint offers."""

from __future__ import annotations

from typing import Optional

from kbsleep.commands.common import Globals, config
from kbsleep.errors import Exit
from kbsleep.report import echo


def run(g: Globals, engine: Optional[str] = None) -> int:
    from kbsleep.llm import engine_name, list_models
    from kbsleep.report import table

    settings = config(g)
    if engine_name(settings.llm, engine) == "offline":
        echo("offline engine: no model endpoint (set ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL)")
        return Exit.OK
    rows = [(m.id, m.display_name, m.created_at) for m in list_models(settings.llm)]
    table(None, ("id", "name", "created"), rows, g.color)
    return Exit.OK
