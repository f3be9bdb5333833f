"""`kbsleep lint --deep`: a model judges candidate section pairs; findings come back as diagnostics.

Policy:
- Only candidates are judged (`kbsleep.lint.candidates`): two sections, or a page and one of
  its sources, never the whole wiki. Each prompt holds the two sections with line numbers
  relative to the section, so an unchanged pair sends the same bytes and the response cache
  answers it without a call, wherever the sections move on their pages.
- Findings name a side (A or B) and a line in it; the line is re-found from the quote when the
  quote is on another line, and always kept inside the section. Paths come from the candidate,
  never from the model.
- Missing-page suggestions are kept only if both sections mention the concept and no page,
  title or alias of the wiki matches it.
- The offline engine compares the numeric claims the candidate carries (same entity, same
  attribute, different number or year), so `--deep` is useful without a key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal

from pydantic import BaseModel, Field

from kbsleep.errors import KbsleepError
from kbsleep.lint.candidates import Candidate, Candidates, Chunk, select_candidates
from kbsleep.lint.records import Diagnostic, Location, Rule
from kbsleep.lint.registry import RULES
from kbsleep.llm import Budget, Model, Request, Result, RunReport, collect, offline_result, pending_batches, run, run_batch
from kbsleep.llm.runner import with_spend
from kbsleep.state import batches_dir
from kbsleep.wiki import Wiki
from kbsleep.wiki.resolve import fold

TASK = "judge"
PASS_NAME = "lint-deep"
PAIR_KINDS = ("contradiction", "stale-claim", "missing-page")
SOURCE_KINDS = ("unsupported-claim",)
KINDS = (*PAIR_KINDS, *SOURCE_KINDS)
MAX_REPLY_TOKENS = 1024
CLAIMS_MARK = "Numeric claims found by kbsleep (JSON): "

INSTRUCTIONS = """\
You review two excerpts of a Markdown wiki, section A and section B, for problems a careful
editor would flag. Each line is numbered within its section. Report only these kinds, and only
the kinds the request lists:
- contradiction: a claim in one section that cannot be true if a claim in the other is
  (different numbers, dates, names or facts for the same thing). Differences of wording,
  rounding or units that agree are not contradictions.
- stale-claim: a claim superseded by a newer dated or sourced claim in the other section.
  `at` is the side with the old claim.
- missing-page: a concept (a named thing, not a generic word) that both sections mention and
  that has no wiki page; put its name in `concept`.
- unsupported-claim: a claim in section A (a page) that section B (one of its listed sources)
  does not support or contradicts. `at` is A.
For each finding give the side it is on (`at`), the line and a short exact quote in each
section (line 0 and an empty quote when a side has none), and a one-line reason. Report nothing
you are not sure of; an empty list is the usual answer."""


class Finding(BaseModel):
    kind: Literal["contradiction", "stale-claim", "missing-page", "unsupported-claim"]
    at: Literal["A", "B"] = "A"  # the side that is wrong, stale or unsupported
    line_a: int = Field(0, ge=0)  # within section A; 0: none
    line_b: int = Field(0, ge=0)
    quote_a: str = ""
    quote_b: str = ""
    concept: str = ""  # missing-page only
    reason: str


class Judgement(BaseModel):
    findings: list[Finding] = Field(default_factory=list)


@dataclass(frozen=True)
class DeepReport:
    diagnostics: tuple[Diagnostic, ...]
    candidates: Candidates
    run: RunReport = field(default_factory=RunReport)
    engine: str = ""


def judge(
    wiki: Wiki,
    model: Model,
    kinds: Iterable[str],
    *,
    scope: Iterable[str] | None = None,
    budget: Budget | None = None,
    batch: bool = False,
    wait: bool = False,
    state_dir: Path | None = None,
) -> DeepReport:
    """Judge the best candidates of `wiki` for the `kinds` asked (rule names) and return findings."""
    wanted = tuple(k for k in KINDS if k in set(kinds))
    pair_kinds = tuple(k for k in wanted if k in PAIR_KINDS)
    source_kinds = tuple(k for k in wanted if k in SOURCE_KINDS)
    config = wiki.config.deep
    if config.max_candidates < 0 or config.max_section_chars < 1:
        raise KbsleepError("`deep.max-candidates` must be 0 or more and `deep.max-section-chars` 1 or more")
    found = select_candidates(wiki, config.max_candidates, scope, pairs=bool(pair_kinds), sources=bool(source_kinds))
    requests = []
    by_prompt: dict[str, Candidate] = {}
    for candidate in found.chosen:
        request = build_request(wiki, candidate, pair_kinds if candidate.kind == "pair" else source_kinds, config.max_section_chars)
        by_prompt[request.prompt] = candidate
        requests.append(request)
    if not requests:
        return DeepReport((), found, engine=model.engine)
    llm = wiki.config.llm
    if batch and state_dir is not None:
        earlier = _collect_earlier(model, wiki, state_dir, wait)
        if earlier and earlier[-1].pending_batch:
            return DeepReport((), found, with_spend(earlier[-1], earlier[:-1]), model.engine)  # never submit the same work twice
        done = with_spend(run_batch(model, requests, llm, state_dir, budget=budget, wait=wait, poll_interval=llm.poll_interval), earlier)
    else:
        done = run(model, requests, llm, budget=budget)
    diagnostics: list[Diagnostic] = []
    for result in done.results:
        candidate = by_prompt.get(result.request.prompt)
        if candidate is not None and isinstance(result.output, Judgement):
            diagnostics.extend(findings_to_diagnostics(wiki, candidate, result.output, wanted))
    return DeepReport(tuple(diagnostics), found, done, model.engine)


def _collect_earlier(model: Model, wiki: Wiki, state_dir: Path, wait: bool) -> list[RunReport]:
    """Collect judgement batches an earlier `--batch` run left running, up to one still running
    (the last); their results land in the response cache, so the requests they answered are not
    sent again."""
    if model.engine != "anthropic":
        return []
    collected = []
    for batch_id in pending_batches(state_dir):
        saved = json.loads((batches_dir(state_dir) / f"{batch_id}.json").read_text("utf-8"))
        if all(item.get("task") == TASK for item in saved.get("items", {}).values()):
            collected.append(collect(model, wiki.config.llm, state_dir, batch_id, wait=wait, poll_interval=wiki.config.llm.poll_interval))
            if collected[-1].pending_batch:
                break
    return collected


def build_request(wiki: Wiki, candidate: Candidate, kinds: tuple[str, ...], max_chars: int) -> Request:
    """The prompt for one candidate: what to report, then both sections and their numeric claims."""
    names = [_name(wiki, s) for s in candidate.shared[:8]]
    parts = [
        "Report these kinds only: " + ", ".join(kinds) + ".",
        "Both sections mention: " + "; ".join(names) + ".",
        _section(wiki, "A", candidate.a, max_chars),
        _section(wiki, "B", candidate.b, max_chars),
    ]
    if candidate.claims:
        rows = [
            {"section": "A" if c.path == candidate.a.path else "B", "line": c.line - (candidate.a if c.path == candidate.a.path else candidate.b).start + 1,
             "entity": wiki.pages[c.entity].title, "attribute": c.key.replace("_", " "), "value": c.value, "text": c.text}
            for c in candidate.claims
        ]  # fmt: skip
        parts.append(CLAIMS_MARK + json.dumps(rows, ensure_ascii=False, sort_keys=True))
    return Request(
        task=TASK,
        prompt="\n\n".join(parts),
        instructions=INSTRUCTIONS,
        schema=Judgement,
        max_tokens=MAX_REPLY_TOKENS,
        pass_name=PASS_NAME,
        page=candidate.a.path,
    )


def offline_judge(request: Request) -> Result:
    """The offline engine's judgement: numeric claims on one entity and attribute that differ."""
    rows: list[dict] = []
    for line in request.prompt.splitlines():
        if line.startswith(CLAIMS_MARK):
            rows = json.loads(line[len(CLAIMS_MARK) :])
    findings = []
    a_rows = [r for r in rows if r["section"] == "A"]
    b_rows = [r for r in rows if r["section"] == "B"]
    reported: set[tuple] = set()
    for a in a_rows:
        for b in b_rows:
            same = (a["entity"], a["attribute"]) == (b["entity"], b["attribute"])
            key = (a["entity"], a["attribute"], a["line"], a["value"], b["value"])
            if not same or a["value"] == b["value"] or key in reported:
                continue
            reported.add(key)
            reason = f"{a['entity']} {a['attribute']} {a['value']:g} here, {b['value']:g} there"
            findings.append(Finding(kind="contradiction", line_a=a["line"], line_b=b["line"], quote_a=a["text"], quote_b=b["text"], reason=reason))
    wanted = "contradiction" in request.prompt.split("\n", 1)[0]
    return offline_result(request, output=Judgement(findings=findings if wanted else []))


def findings_to_diagnostics(wiki: Wiki, candidate: Candidate, judgement: Judgement, kinds: Iterable[str]) -> list[Diagnostic]:
    """The model's findings as diagnostics at real lines of the two sections, others dropped."""
    allowed = set(kinds) & set(PAIR_KINDS if candidate.kind == "pair" else SOURCE_KINDS)
    rules = {rule.name: rule for rule in RULES.values() if rule.severity == "judgement"}
    out: list[Diagnostic] = []
    for finding in judgement.findings:
        rule = rules.get(finding.kind)
        if rule is None or finding.kind not in allowed:
            continue
        if finding.kind == "missing-page":
            out.extend(_missing_page(wiki, rule, candidate, finding))
            continue
        at = "A" if finding.kind == "unsupported-claim" else finding.at
        sides = {"A": (candidate.a, finding.line_a, finding.quote_a), "B": (candidate.b, finding.line_b, finding.quote_b)}
        here, line, quote = sides[at]
        there, other_line, other_quote = sides["B" if at == "A" else "A"]
        line = _locate(wiki, here, line, quote)
        other_line = _locate(wiki, there, other_line, other_quote)
        reason = _one_line(finding.reason)
        where = f"{there.path}:{other_line}"
        message = {
            "contradiction": f"contradicts {where}: {reason}",
            "stale-claim": f"superseded by {where}: {reason}",
            "unsupported-claim": f"not supported by its source {there.path}: {reason}",
        }[finding.kind]
        page = wiki.pages[here.path]
        column, span = _column(page.line_text(line), quote)
        shown = _one_line(other_quote) or wiki.pages[there.path].line_text(other_line).strip()
        related = (Location(there.path, other_line, 1, shown[:200]),)
        out.append(rule.at(page, line, column, message, hint=HINTS[finding.kind], span=span, related=related))
    return out


HINTS = {
    "contradiction": "check the sources and correct the wrong claim, or say why both hold",
    "stale-claim": "update the old claim, or date it",
    "missing-page": "create the page, or add the name as an alias of the page that covers it",
    "unsupported-claim": "correct the claim, or cite the source that supports it",
}


def _missing_page(wiki: Wiki, rule: Rule, candidate: Candidate, finding: Finding) -> list[Diagnostic]:
    concept = _one_line(finding.concept).strip("[]# ")
    key = fold(concept)
    if len(key) < 3 or _page_named(wiki, key):
        return []  # empty, or a page (title, alias, file name) already covers it
    line_a = _line_with(wiki, candidate.a, key)
    line_b = _line_with(wiki, candidate.b, key)
    if line_a is None or line_b is None:
        return []  # the model named something the sections do not both say
    page = wiki.pages[candidate.a.path]
    column, span = _column(page.line_text(line_a), concept)
    message = f"`{concept}` is discussed here and on {candidate.b.path} but has no page: {_one_line(finding.reason)}"
    related = (Location(candidate.b.path, line_b, 1, f"mentions {concept}"),)
    return [rule.at(page, line_a, column, message, hint=HINTS["missing-page"], span=span, related=related)]


def _page_named(wiki: Wiki, key: str) -> bool:
    resolver = wiki.resolver
    stripped = key.removesuffix(".md")
    return stripped in resolver.by_path or stripped in resolver.by_name or key in resolver.by_title


def _line_with(wiki: Wiki, chunk: Chunk, key: str) -> int | None:
    page = wiki.pages[chunk.path]
    for line in range(chunk.start, chunk.end + 1):
        if line not in page.generated_lines and key in fold(page.line_text(line)):
            return line
    return None


def _locate(wiki: Wiki, chunk: Chunk, relative: int, quote: str) -> int:
    """An absolute line inside `chunk`: the quote's line if found, else the given line, clamped."""
    page = wiki.pages[chunk.path]
    line = min(max(chunk.start + relative - 1, chunk.start), chunk.end)
    needle = " ".join(quote.split())[:80]
    if needle and needle not in " ".join(page.line_text(line).split()):
        for candidate in range(chunk.start, chunk.end + 1):
            if candidate not in page.generated_lines and needle in " ".join(page.line_text(candidate).split()):
                return candidate
    return line


def _column(text: str, quote: str) -> tuple[int, int]:
    quote = quote.strip()
    index = text.find(quote) if quote else -1
    return (index + 1, len(quote)) if index >= 0 else (1, 1)


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 240 else line[:239] + "…"


def _name(wiki: Wiki, entity: str) -> str:
    if entity.startswith("term:"):
        return entity[5:]
    page = wiki.pages.get(entity)
    return f"{page.title} ({entity})" if page is not None else entity


def _section(wiki: Wiki, label: str, chunk: Chunk, max_chars: int) -> str:
    page = wiki.pages[chunk.path]
    where = chunk.path + (f" > {chunk.heading}" if chunk.heading else "")
    updated = page.frontmatter.get("updated")
    head = f"## Section {label}: {where}" + (f" (page updated {updated})" if updated else "")
    # kbsleep's own lines (a page's anticipated Q&A) are left out: they restate the page, and
    # the numbers of the lines shown stay those of the section
    shown = [line for line in range(chunk.start, chunk.end + 1) if line not in page.generated_lines]
    while len(shown) > 1 and not page.line_text(shown[-1]).strip():
        shown.pop()  # blank lines at the end say nothing (and one comes with every appended section)
    lines, size = [head], 0
    for count, line in enumerate(shown):
        text = page.line_text(line)
        if size + len(text) > max_chars and count:
            lines.append(f"[{len(shown) - count} more lines not shown]")
            break
        size += len(text) + 1
        lines.append(f"{line - chunk.start + 1}| {text}")
    return "\n".join(lines)
