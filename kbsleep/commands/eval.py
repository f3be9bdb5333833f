"""`kbsleep eval`: measure ask on questions with known answers."""

from __future__ import annotations

from pathlib import Path

from kbsleep.commands.common import Globals, config
from kbsleep.errors import Exit
from kbsleep.llm.choice import ModelChoice
from kbsleep.report import echo


def run(g: Globals, questions: Path, *, choice: ModelChoice = ModelChoice(), as_json: bool = False, precomputed: bool = True) -> int:
    from kbsleep.ask import ask as answer_question
    from kbsleep.commands.ask import first_index
    from kbsleep.evaluate import evaluate, read_cases, render

    settings = config(g)
    cases = read_cases(questions)
    budget = choice.budget(settings)
    first_index(g, settings, enabled=g.chatty)
    report = evaluate(cases, lambda q: answer_question(g.wiki, settings, q, engine=choice.engine, budget=budget, fast_path=precomputed, record=False))
    if as_json:
        import json

        echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return Exit.OK
    echo(render(report))
    return Exit.OK
