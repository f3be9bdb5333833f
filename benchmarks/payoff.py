#!/usr/bin/env python3
"""The payoff of sleep-time compute on unseen questions: test-time tokens with and without
precomputed answers, through kbsleep's fake Messages API, and offline accuracy for each.

Usage::

    python benchmarks/payoff.py WIKI QUESTIONS.jsonl [--no-summaries-row] [--context-idf]

WIKI must be a git work tree where `kbsleep anticipate` has run once (the questions were never
asked there before: nothing is served from a cache filled by asking them). Each question is
asked twice through the anthropic engine pointed at a local `FakeAnthropic`, whose replies are
kbsleep's offline answerer applied to exactly what was sent (so tokens measure the context, not
a model's prose). It stands for a model, which knows how rare a word is in general, not only
within what it was sent: it weighs each word of the question by its idf over the wiki's pages
(`search.rarity`, from the search index), one table for every run; with `--context-idf`, by
its idf among the passages sent, as before 2026-12-06 (a compact context focused on one page
then makes that page's name worthless). Each question is asked once as `kbsleep ask` does by
default, once with `--no-precomputed`. Then `kbsleep eval` with the offline engine gives the
accuracy of each way. Asks are not logged.
A third run asks with precomputed answers but `summaries.method = "off"` (the anticipated Q&A
and raw sections only), to show what the summaries add.

Tokens are what the fake server reports in each reply's `usage` (input, output, cache reads
and writes, summed: `Usage.total_tokens`), about 1.3 tokens a whitespace-separated word of
everything sent (the output format's schema, the system blocks, the question) and replied.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from kbsleep import ask as ask_module  # noqa: E402
from kbsleep.config import load_config  # noqa: E402
from kbsleep.evaluate import evaluate, read_cases  # noqa: E402
from kbsleep.llm import Passage, Request  # noqa: E402
from kbsleep.search.index import Index  # noqa: E402
from kbsleep.search.question import analyse  # noqa: E402
from kbsleep.search.rarity import Rarity, word_rarity  # noqa: E402
from kbsleep.testing import FakeAnthropic  # noqa: E402

_SOURCE = re.compile(r'<source id="([^"]*)">\n(.*?)\n</source>', re.S)


def simulated(body: dict, rarity: Rarity | None = None) -> str:
    system = body.get("system") or []
    blocks = [b.get("text", "") for b in system] if isinstance(system, list) else [str(system)]
    context = tuple(Passage(html.unescape(m.group(1)), m.group(2)) for b in blocks[1:] for m in _SOURCE.finditer(b))
    content = body["messages"][-1]["content"]
    prompt = content if isinstance(content, str) else "\n".join(c.get("text", "") for c in content if isinstance(c, dict))
    result = ask_module.offline_answer(Request("answer", prompt, context=context), rarity)
    assert result.output is not None
    return result.output.model_dump_json()


def main() -> int:
    wiki, questions = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    config = load_config(wiki)
    cases = read_cases(questions)
    runs = [(True, config), (False, config)]
    if "--no-summaries-row" not in sys.argv:
        runs.append((True, load_config(wiki, {"summaries": {"method": "off"}})))
    rows = []
    # how rare each word of the questions is in the wiki, from its index: the same table for every run
    with Index(wiki, config) as index:
        index.refresh()
        rarity = None if "--context-idf" in sys.argv else word_rarity(index, [t for c in cases for q in [analyse(c.question)] for t in (*q.terms, *q.named)])
    with FakeAnthropic(responder=lambda body: simulated(body, rarity)) as fake:
        os.environ["ANTHROPIC_API_KEY"] = "sk-ant-payoff-fake"
        os.environ["ANTHROPIC_BASE_URL"] = fake.base_url
        for fast, settings in runs:
            (wiki / ".kbsleep" / "responses.sqlite").unlink(missing_ok=True)  # no reply served from an earlier run
            sent = len(fake.requests)
            model = evaluate(cases, lambda q: ask_module.ask(wiki, settings, q, engine="anthropic", fast_path=fast, record=False))
            offline = evaluate(cases, lambda q: ask_module.ask(wiki, settings, q, engine="offline", fast_path=fast, record=False))
            f, o = model.overall, offline.overall
            served = [x for x in offline.outcomes if x.path == "precomputed"]
            usage = [r.usage for r in fake.requests[sent:] if r.usage]
            rows.append({
                "precomputed": fast, "summaries": settings.summaries.method, "questions": f.n, "tokens_per_question": f.tokens / f.n,
                "input_tokens_per_question": sum(u["input_tokens"] + u["cache_read_input_tokens"] + u["cache_creation_input_tokens"] for u in usage) / f.n,
                "output_tokens_per_question": sum(u["output_tokens"] for u in usage) / f.n,
                "simulated_model_right_answerable": f.right_answerable, "simulated_model_abstained": f.abstained,
                "simulated_model_abstained_right": f.abstained_right,
                "model_calls": sum(1 for x in model.outcomes if x.tokens), "simulated_model_right": f.right, "simulated_model_cited": f.cited, "fast_path": o.fast,
                "fast_path_right": sum(x.right for x in served), "offline_right": o.right,
                "offline_cited": o.cited, "answerable": o.answerable,
            })  # fmt: skip
    print(json.dumps(rows, indent=2))
    with_, without = rows[:2]
    if with_["tokens_per_question"]:
        print(f"saving: {without['tokens_per_question'] / with_['tokens_per_question']:.1f}x fewer test-time tokens per question")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
