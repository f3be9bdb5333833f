"""`kbsleep status`: what is stale and what sleep has done, as data (the CLI renders it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from kbsleep import answers
from kbsleep import missed
from kbsleep.lint import LintReport, lint
from kbsleep.state import STATE_DIR
from kbsleep.wiki import Wiki
from kbsleep.wiki.discovery import glob_match

LAST_SLEEP = "last-sleep.json"


@dataclass(frozen=True)
class Status:
    pages: int
    findings: Mapping[str, int]  # tier -> count
    stale_answers: tuple[str, ...]  # pages whose precomputed answers predate an edit
    unanswered: tuple[str, ...]  # pages with no precomputed answers yet
    inbox: tuple[str, ...]  # notes waiting to be folded in
    pending_batches: tuple[str, ...]
    last_sleep: Mapping[str, Any] | None  # what the last `kbsleep sleep` recorded
    spend: Mapping[str, Any]  # ledger totals: tokens and cost, by phase
    queued: tuple[tuple[str, int], ...] = ()  # questions ask missed, waiting for anticipate: (question, attempts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "findings": dict(self.findings),
            "stale_answers": list(self.stale_answers),
            "unanswered": list(self.unanswered),
            "inbox": list(self.inbox),
            "pending_batches": list(self.pending_batches),
            "last_sleep": self.last_sleep,
            "spend": dict(self.spend),
            "queued_questions": [{"question": q, "attempts": n} for q, n in self.queued],
        }


def status(wiki: Wiki, report: LintReport | None = None) -> Status:
    """What is stale in `wiki`; its findings from `report` when the caller has it (from the lint cache, say)."""
    report = report if report is not None else lint(wiki)
    findings = {tier: report.count(tier) for tier in ("error", "warning", "judgement")}
    stale, unanswered = [], []
    unjudged = wiki.unjudged  # templates, Excluded files, agent files: anticipate never writes them
    for path, page in wiki.pages.items():
        if path in unjudged or _exempt(wiki, path) or not page.parsed:
            continue
        cached = answers.of(wiki, page)
        if cached is None:
            unanswered.append(path)
        elif not cached.fresh:
            stale.append(path)
    inbox_prefix = wiki.config.inbox.strip("/") + "/"
    archive = wiki.config.consolidate.archive.strip("/") + "/"
    # a vault written by hand keeps its own `inbox/` notes: they wait for nothing (passes.consolidate.asked)
    from kbsleep.passes.consolidate.asked import wanted

    inbox = [p for p in wiki.pages if p.startswith(inbox_prefix) and not p.startswith(archive)] if wanted(wiki, "inbox") else []
    state = wiki.root / STATE_DIR
    return Status(
        pages=len(wiki.pages),
        findings=findings,
        stale_answers=tuple(stale),
        unanswered=tuple(unanswered),
        inbox=tuple(inbox),
        pending_batches=_pending(state),
        last_sleep=read_last_sleep(wiki.root),
        spend=_spend(state),
        queued=tuple((question, attempts) for question, _pages, attempts in missed.waiting(state)),
    )


def read_last_sleep(root: Path) -> Mapping[str, Any] | None:
    try:
        return json.loads((root / STATE_DIR / LAST_SLEEP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _exempt(wiki: Wiki, path: str) -> bool:
    return any(glob_match(pattern, path) for pattern in wiki.config.anticipate.exclude)


def _pending(state: Path) -> tuple[str, ...]:
    if not (state / "batches").is_dir():
        return ()
    from kbsleep.llm import pending_batches  # only when there may be batches: keeps status light

    return tuple(pending_batches(state))


def _spend(state: Path) -> dict[str, Any]:
    ledger = state / "ledger.sqlite"
    if not ledger.exists():
        return {}
    from kbsleep.llm import stats

    totals = stats(ledger)
    return {
        phase: {"tokens": t.input_tokens + t.output_tokens + t.cache_read_tokens + t.cache_write_tokens, "cost_usd": round(t.cost_usd, 4), "calls": t.calls}
        for phase, t in totals.by_phase.items()
    }
