"""`kbsleep ask`: answer a question from the wiki, with citations, or say it does not hold one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kbsleep.commands.common import Globals, config
from kbsleep.errors import Exit, KbsleepError
from kbsleep.llm.choice import ModelChoice
from kbsleep.report import echo

if TYPE_CHECKING:
    from kbsleep.config import Config
    from kbsleep.llm.budget import Budget


def run(g: Globals, question: str, *, choice: ModelChoice = ModelChoice(), as_json: bool = False, precomputed: bool = True, log: bool = True) -> int:
    from kbsleep.ask import PATHS
    from kbsleep.ask import ask as answer_question

    settings = config(g)
    first_index(g, settings, enabled=g.chatty and not as_json)
    answer = answer_question(g.wiki, settings, question, engine=choice.engine, budget=_budget(choice, settings), fast_path=precomputed, record=log)
    if answer.fallback:
        echo(f"warning: {answer.fallback}; answered offline instead", err=True)
    if as_json:
        import json

        echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return Exit.OK
    from kbsleep.report.summaries import answer as show

    show(answer, PATHS[answer.path], g.quiet)
    return Exit.OK


def _budget(choice: ModelChoice, settings: Config) -> Budget | None:
    """The run's budget; None when the offline engine answers, which calls no model: an offline
    `ask` then never imports `kbsleep.llm.budget` (its records are 1% of a warm ask's work)."""
    from kbsleep.llm import engine_name

    try:
        offline = engine_name(settings.llm, choice.engine) == "offline"
    except KbsleepError:  # an unknown engine: `ask` says so, after it has checked the question
        offline = False
    return None if offline else choice.budget(settings)


def first_index(g: Globals, settings: object, enabled: bool) -> None:
    """Build the search index the first time, saying so on a terminal: on a large wiki that
    takes a while (14 s for 6,500 pages), and a silent command looks hung. Later asks update
    the index themselves, quickly (only the pages that changed)."""
    from kbsleep.search.index import index_path

    if not enabled or index_path(Path(g.wiki)).exists():
        return
    build(g, settings, "Building the search index (the first time on this wiki; later runs reuse it)", enabled=True)


def build(g: Globals, settings: object, label: str, enabled: bool, rebuild: bool = False):  # type: ignore[no-untyped-def]
    """Refresh (or `rebuild`) the index under a status line; (what changed, the index's counts)."""
    from kbsleep.report import plural, seconds, status
    from kbsleep.search.index import Index, index_path

    if rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{index_path(Path(g.wiki))}{suffix}").unlink(missing_ok=True)
        for cached in index_path(Path(g.wiki)).parent.glob("endpoint-*.sqlite"):  # an embeddings endpoint's vectors (search/endpoint.py)
            cached.unlink(missing_ok=True)
    with status(label, enabled=enabled) as line, Index(Path(g.wiki), settings) as index:  # type: ignore[arg-type]
        done = index.refresh()
        counts = index.stats()
        line.after = f"Search index: {plural(done.updated, 'page')} indexed in {seconds(done.seconds)}"
    return done, counts
