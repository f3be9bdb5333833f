"""`kbsleep eval QUESTIONS.jsonl`: how well `ask` answers a set of questions with known answers.

One JSON object a line: `question`; `gold_pages`, the wiki-relative pages that hold the answer
(empty: the wiki cannot answer it, and "Not in the wiki" is the right reply); `answer_substrings`,
strings of which a right answer holds at least one (case-insensitive); `kind`, any label to
break the figures down by (default "answerable", or "absent" without gold pages); `id`, optional.

Figures, overall and by kind: gold-page hit@1 and hit@5 (a gold page among the first pages
retrieved), cited (a gold page among the answer's citations), answer accuracy (a gold string in
the answer; "Not in the wiki" for a question without gold pages), abstention precision and
recall ("Not in the wiki" said, and said when right), the fast-path rate and its accuracy, and
test-time model tokens per question. Asks are neither logged nor queued.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kbsleep.errors import KbsleepError

ABSENT = "absent"


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    gold_pages: tuple[str, ...]
    answers: tuple[str, ...]
    kind: str

    @property
    def answerable(self) -> bool:
        return bool(self.gold_pages)


@dataclass(frozen=True)
class Outcome:
    case: Case
    answer: str
    path: str  # the ask path: precomputed, offline, model, not-found
    cited: tuple[str, ...]  # pages cited
    retrieved: tuple[str, ...]  # pages retrieved, best first
    tokens: int
    latency_s: float
    why: str = ""

    @property
    def abstained(self) -> bool:
        return self.path == "not-found"

    @property
    def right(self) -> bool:
        if not self.case.answerable:
            return self.abstained
        text = self.answer.casefold()
        return not self.abstained and any(s.casefold() in text for s in self.case.answers)

    def hit(self, k: int) -> bool:
        return bool(set(self.case.gold_pages) & set(self.retrieved[:k]))

    @property
    def gold_cited(self) -> bool:
        return bool(set(self.case.gold_pages) & set(self.cited))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.case.id, "question": self.case.question, "kind": self.case.kind, "path": self.path,
            "right": self.right, "cited_gold": self.gold_cited, "hit1": self.hit(1), "hit5": self.hit(5),
            "cited": list(self.cited), "retrieved": list(self.retrieved[:5]), "answer": self.answer,
            "tokens": self.tokens, "latency_s": round(self.latency_s, 4), **({"why": self.why} if self.why else {}),
        }  # fmt: skip


@dataclass(frozen=True)
class Figures:
    """The figures of one group of outcomes."""

    n: int
    answerable: int
    hit1: int
    hit5: int
    cited: int
    right: int  # of all questions: right answers and right abstentions
    right_answerable: int
    abstained: int
    abstained_right: int  # abstained on a question without gold pages
    absent: int
    fast: int
    fast_right: int
    tokens: int
    latency_s: float

    @property
    def abstention_precision(self) -> float | None:
        return self.abstained_right / self.abstained if self.abstained else None

    @property
    def abstention_recall(self) -> float | None:
        return self.abstained_right / self.absent if self.absent else None

    @property
    def wrongly_abstained(self) -> int:
        return self.abstained - self.abstained_right

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n, "answerable": self.answerable, "hit1": self.hit1, "hit5": self.hit5, "cited": self.cited,
            "right": self.right, "right_answerable": self.right_answerable, "absent": self.absent,
            "abstained": self.abstained, "abstained_right": self.abstained_right,
            "abstention_precision": self.abstention_precision, "abstention_recall": self.abstention_recall,
            "wrongly_abstained": self.wrongly_abstained, "fast_path": self.fast, "fast_path_right": self.fast_right,
            "tokens": self.tokens, "tokens_per_question": self.tokens / self.n if self.n else 0.0,
            "latency_s": round(self.latency_s, 4),
        }  # fmt: skip


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    overall: Figures
    by_kind: dict[str, Figures] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "by_kind": {kind: figures.to_json() for kind, figures in self.by_kind.items()},
            "questions": [o.to_json() for o in self.outcomes],
        }


def read_cases(path: Path) -> list[Case]:
    """The questions of a JSONL file; a bad line is an error naming the file and the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise KbsleepError(f"cannot read the question set {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise KbsleepError(f"{path} is not UTF-8 text") from None
    cases: list[Case] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise KbsleepError(f"{where}: not a JSON object: {exc}") from None
        if not isinstance(item, dict):
            raise KbsleepError(f"{where}: not a JSON object")
        question = item.get("question")
        if not isinstance(question, str) or not question.strip():
            raise KbsleepError(f"{where}: `question` must be a non-empty string")
        gold = _strings(item, "gold_pages", where)
        answers = _strings(item, "answer_substrings", where)
        kind = item.get("kind", "answerable" if gold else ABSENT)
        if not isinstance(kind, str) or not kind:
            raise KbsleepError(f"{where}: `kind` must be a string")
        if gold and not answers:
            raise KbsleepError(f"{where}: a question with gold pages needs `answer_substrings`")
        cases.append(Case(str(item.get("id", number)), question, gold, answers, kind))
    if not cases:
        raise KbsleepError(f"{path} holds no questions", hint='one JSON object a line: {"question": ..., "gold_pages": [...], "answer_substrings": [...]}')
    return cases


def _strings(item: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KbsleepError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


Ask = Callable[[str], Any]  # question -> kbsleep.ask.Answer


def evaluate(cases: Sequence[Case], ask: Ask, progress: Callable[[int, int], None] | None = None) -> Report:
    """Ask every case through `ask` and score the answers."""
    outcomes = []
    for done, case in enumerate(cases, 1):
        answer = ask(case.question)
        outcomes.append(Outcome(case, answer.text, answer.path, tuple(dict.fromkeys(c.path for c in answer.citations)),
                                tuple(answer.retrieved), answer.tokens, answer.latency_s, answer.why))  # fmt: skip
        if progress is not None:
            progress(done, len(cases))
    kinds = sorted({o.case.kind for o in outcomes}, key=lambda k: [o.case.kind for o in outcomes].index(k))
    return Report(tuple(outcomes), figures(outcomes), {k: figures([o for o in outcomes if o.case.kind == k]) for k in kinds})


def figures(outcomes: Sequence[Outcome]) -> Figures:
    answerable = [o for o in outcomes if o.case.answerable]
    return Figures(
        n=len(outcomes),
        answerable=len(answerable),
        hit1=sum(o.hit(1) for o in answerable),
        hit5=sum(o.hit(5) for o in answerable),
        cited=sum(o.gold_cited for o in answerable),
        right=sum(o.right for o in outcomes),
        right_answerable=sum(o.right for o in answerable),
        abstained=sum(o.abstained for o in outcomes),
        abstained_right=sum(o.abstained and not o.case.answerable for o in outcomes),
        absent=len(outcomes) - len(answerable),
        fast=sum(o.path == "precomputed" for o in outcomes),
        fast_right=sum(o.path == "precomputed" and o.right for o in outcomes),
        tokens=sum(o.tokens for o in outcomes),
        latency_s=sum(o.latency_s for o in outcomes),
    )


def rows(report: Report) -> list[tuple[str, ...]]:
    """The summary table: one row overall, then one per kind."""
    def row(name: str, f: Figures) -> tuple[str, ...]:
        def share(part: int, whole: int) -> str:
            return f"{part}/{whole}" if whole else "-"

        precision = "-" if f.abstention_precision is None else f"{f.abstention_precision:.2f}"
        recall = "-" if f.abstention_recall is None else f"{f.abstention_recall:.2f}"
        return (name, str(f.n), share(f.hit1, f.answerable), share(f.hit5, f.answerable), share(f.cited, f.answerable),
                share(f.right, f.n), share(f.abstained, f.n), precision, recall, share(f.fast, f.n),
                f"{f.tokens / f.n:,.0f}" if f.n else "-")  # fmt: skip

    return [row("all", report.overall), *(row(kind, f) for kind, f in report.by_kind.items())]


COLUMNS = ("kind", "n", "hit@1", "hit@5", "cited", "right", "not in wiki", "abst. P", "abst. R", "fast path", "tokens/q")


def render(report: Report) -> str:
    """The summary table as aligned plain text, every cell whole whatever the terminal's width."""
    table = [COLUMNS, *rows(report)]
    widths = [max(len(row[i]) for row in table) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))).rstrip() for row in table]
    return "\n".join(lines)
