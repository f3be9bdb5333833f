#!/usr/bin/env python3
"""Evaluate `kbsleep ask` before and after `anticipate`, over sample_wiki/ and a synthetic vault.

Usage::

    python benchmarks/eval_ask.py [--synthetic-pages 300] [--skip-synthetic] [--json OUT]

Each wiki is copied into a temporary git repository. A local `FakeAnthropic` server stands in
for the model and counts every token; its replies are simulated with kbsleep's offline logic
(`ask.offline_answer` for answers, `anticipate.offline_anticipate` for the precompute), so
the figures measure retrieval, the fast path and token use, not a real model's prose.

1. before: every question is asked (retrieval + model); misses are queued for anticipate;
2. precompute: the real `kbsleep.passes.anticipate` pass runs through the same fake server
   (sleep-time tokens); when that module is missing, the harness writes the Q&A sections itself
   with the offline extraction and says so;
3. after: the same questions again, and each question's paraphrase (the honest figure: a
   reader rarely repeats a question word for word).

Reported per run: retrieval hit@1 and hit@5 (a gold page among the first pages retrieved),
answer accuracy (a gold string in the answer), correct "not in the wiki" replies, fast-path
rate, wrong fast-path answers, and test-time model tokens per question.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from kbsleep import ask as ask_module  # noqa: E402
from kbsleep.config import load_config  # noqa: E402
from kbsleep.search.index import Index  # noqa: E402
from kbsleep.llm import Passage, Request  # noqa: E402
from kbsleep.testing import FakeAnthropic  # noqa: E402

VERBOSE = False
_SOURCE = re.compile(r'<source id="([^"]*)">\n(.*?)\n</source>', re.S)
GIT = {"GIT_AUTHOR_NAME": "eval", "GIT_AUTHOR_EMAIL": "eval@example.invalid",
       "GIT_COMMITTER_NAME": "eval", "GIT_COMMITTER_EMAIL": "eval@example.invalid"}  # fmt: skip


# -- the simulated model --------------------------------------------------------------------


def _text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(block.get("text", "") for block in content if isinstance(block, dict))
    return ""


def simulated_model(body: dict) -> str:
    """The fake server's reply: kbsleep's offline logic applied to exactly what was sent."""
    system = body.get("system") or []
    blocks = [b.get("text", "") for b in system] if isinstance(system, list) else [str(system)]
    instructions = blocks[0] if blocks else ""
    context = tuple(Passage(html.unescape(m.group(1)), m.group(2)) for b in blocks[1:] for m in _SOURCE.finditer(b))
    prompt = _text(body["messages"][-1]["content"])
    if instructions.startswith(ask_module.INSTRUCTIONS[:60]):
        result = ask_module.offline_answer(Request("answer", prompt, context=context))
    else:
        result = simulated_anticipate(Request("anticipate", prompt, context=context))
    assert result.output is not None
    return result.output.model_dump_json()


def simulated_anticipate(request: Request):  # type: ignore[no-untyped-def]
    """anticipate's offline questions for the page; the queued questions answered the way the
    simulated model answers at test time (`offline_answer`), so before and after compare one answerer."""
    from kbsleep.passes.anticipate import AnsweredQuestion, offline_anticipate
    from kbsleep.passes.offline_questions import asked_questions

    result = offline_anticipate(request)
    asked = asked_questions(request.prompt)
    own = [q for q in result.output.questions if q.question not in asked]
    for question in asked:
        out = ask_module.offline_answer(Request("answer", question, context=request.context)).output
        if out.found:
            cites = " ".join(f"[[{c}]]" for c in out.citations)
            own.insert(0, AnsweredQuestion(question=question, answer=f"{out.answer} {cites}", citations=out.citations))
    result.output.questions = own
    return result


def spent(fake: FakeAnthropic, since: int) -> int:
    return sum(sum(r.usage.values()) for r in fake.requests[since:] if r.usage)


# -- metrics ----------------------------------------------------------------------------------


@dataclass
class Metrics:
    label: str
    questions: int = 0
    answerable: int = 0
    hit1: float = 0.0
    hit5: float = 0.0
    accuracy: float = 0.0  # answerable questions whose answer holds a gold string
    not_found_correct: float = 0.0  # unanswerable questions answered "not in the wiki"
    fast_path_rate: float = 0.0
    fast_path_wrong: int = 0  # precomputed answers served without a gold string
    tokens_per_question: float = 0.0  # test-time model tokens, counted by the fake server
    seconds_per_question: float = 0.0


def evaluate(root: Path, items: list[dict], key: str, label: str, fake: FakeAnthropic) -> Metrics:
    config = load_config(root)
    # Each run starts without the response cache, so a repeated question costs what it would
    # cost without anticipate (the cache would otherwise serve it for free and flatter the figure).
    for suffix in ("", "-wal", "-shm"):
        Path(f"{root}/.kbsleep/responses.sqlite{suffix}").unlink(missing_ok=True)
    m = Metrics(label, questions=len(items))
    hits1 = hits5 = accurate = refused = fast = tokens = 0
    seconds = 0.0
    for item in items:
        question = item[key]
        gold = set(item["pages"])
        with Index(root, config) as index:
            index.refresh()
            ranked = list(dict.fromkeys(hit.page for hit in ask_module.retrieve(index, question)))
        before = len(fake.requests)
        started = time.perf_counter()
        got = ask_module.ask(root, config, question, engine="anthropic")
        seconds += time.perf_counter() - started
        tokens += spent(fake, before)
        text = got.text.casefold()
        right = any(a.casefold() in text for a in item["answers"]) if gold else got.path == "not-found"
        fast += got.path == "precomputed"
        m.fast_path_wrong += got.path == "precomputed" and not right
        if VERBOSE:
            print(f"{label} | {'OK ' if right else 'BAD'} | {got.path} | {question} | matched={got.matched!r} | {got.text[:150]!r}", file=sys.stderr)
        if gold:
            m.answerable += 1
            hits1 += bool(gold & set(ranked[:1]))
            hits5 += bool(gold & set(ranked[:5]))
            accurate += right
        else:
            refused += right
    n, a, u = len(items), m.answerable or 1, (len(items) - m.answerable) or 1
    m.hit1, m.hit5, m.accuracy = hits1 / a, hits5 / a, accurate / a
    m.not_found_correct = refused / u
    m.fast_path_rate = fast / n
    m.tokens_per_question = tokens / n
    m.seconds_per_question = seconds / n
    return m


# -- the precompute ----------------------------------------------------------------------------


def precompute(root: Path) -> str:
    """Run anticipate through the fake server (engine anthropic); returns how it was done."""
    from kbsleep.llm import select_engine
    from kbsleep.state import ensure_state_dir
    from kbsleep.wiki import open_wiki

    try:
        from kbsleep.passes import anticipate as pass_module
    except ImportError:
        return fallback_precompute(root)
    wiki = open_wiki(root)
    model = select_engine(wiki.config.llm, "anthropic", state_dir=ensure_state_dir(root))
    outcome = pass_module.anticipate(wiki, model, pass_module.Options())
    return f"kbsleep.passes.anticipate: {len(outcome.written)} pages written, {len(outcome.skipped)} skipped"


def fallback_precompute(root: Path) -> str:
    """No anticipate pass yet: answer the queued misses into each page with the offline extraction."""
    from kbsleep import answers
    from kbsleep import missed
    from kbsleep.git import transaction
    from kbsleep.answers import QA
    from kbsleep.state import ensure_state_dir
    from kbsleep.wiki import open_wiki
    from kbsleep.wiki.fences import source_hash

    state = ensure_state_dir(root)
    wiki = open_wiki(root)
    edits = []
    with Index(root, wiki.config) as index:
        index.refresh()
        for path, asked in missed.pending(state).items():
            page = wiki.pages.get(path)
            if page is None:
                continue
            qas = []
            for question in asked:
                hits = [h for h in ask_module.retrieve(index, question) if h.page == path][:3]
                context = tuple(Passage(h.target, h.text) for h in hits)
                out = ask_module.offline_answer(Request("answer", question, context=context)).output
                if out is not None and out.found and question.endswith("?"):
                    qas.append(QA(question, f"{out.answer} " + " ".join(f"[[{c}]]" for c in out.citations), tuple(out.citations)))
            if qas:
                block = answers.render(qas, {"source": source_hash(page), "model": "offline"})
                edits.append(transaction.Edit(path, answers.replace(page.text, block), "eval precompute"))
    if edits:
        transaction.apply(root, transaction.Plan("anticipate", "eval precompute", tuple(edits)), transaction.new_run_id())
    return f"harness fallback (kbsleep.passes.anticipate missing): offline extraction into {len(edits)} pages"


# -- wikis and question sets ----------------------------------------------------------------------


def git_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".git", ".kbsleep"))
    env = {**os.environ, **GIT}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "initial"]):
        subprocess.run(["git", *args], cwd=target, check=True, env=env, capture_output=True)
    return target


FAKE_NAMES = ("Zanthe Quorrow", "Belamy Oxtrude", "Ferrin Vashti", "Oriel Mastrand", "Quillon Hestreth", "Yvaine Dorrowick")


def synthetic_questions(root: Path, count: int = 24) -> list[dict]:
    """Questions about facts the synthetic vault states in prose ("X was born in 1978.")."""
    from kbsleep.wiki import open_wiki

    wiki = open_wiki(root)
    items: list[dict] = []
    for path, page in wiki.pages.items():
        for field, verb, paraphrase in (("born", "born", "What year was {t} born in?"), ("founded", "founded", "In what year was {t} established?")):
            value = page.frontmatter.get(field)
            if value is not None and f"{page.title} was {verb} in {value}." in page.text:
                items.append({
                    "question": f"When was {page.title} {verb}?", "paraphrase": paraphrase.format(t=page.title),
                    "pages": [path], "answers": [str(value)],
                })  # fmt: skip
                break
    picked = items[:: max(1, len(items) // count)][:count]
    for name in FAKE_NAMES:
        if not any(name.casefold() in p.text.casefold() for p in wiki.pages.values()):
            picked.append({"question": f"When was {name} born?", "paraphrase": f"What year was {name} born in?", "pages": [], "answers": []})
    return picked


def run_wiki(label: str, root: Path, items: list[dict], fake: FakeAnthropic) -> dict:
    before = evaluate(root, items, "question", f"{label}: before", fake)
    mark = len(fake.requests)
    started = time.perf_counter()
    how = precompute(root)
    sleep_seconds = time.perf_counter() - started
    sleep_tokens = spent(fake, mark)
    same = evaluate(root, items, "question", f"{label}: after, same questions", fake)
    para = evaluate(root, items, "paraphrase", f"{label}: after, paraphrased", fake)
    saved = before.tokens_per_question - para.tokens_per_question
    return {
        "wiki": label,
        "precompute": how,
        "sleep_tokens": sleep_tokens,
        "sleep_seconds": round(sleep_seconds, 2),
        "runs": [asdict(before), asdict(same), asdict(para)],
        "reduction_same": before.tokens_per_question / same.tokens_per_question if same.tokens_per_question else float("inf"),
        "reduction_paraphrased": before.tokens_per_question / para.tokens_per_question if para.tokens_per_question else float("inf"),
        "break_even_questions": sleep_tokens / saved if saved > 0 else None,
    }


def table(results: list[dict]) -> str:
    lines = [
        "| run | n | hit@1 | hit@5 | accuracy | not-in-wiki correct | fast path | wrong fast | tokens/q | s/q |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        for r in result["runs"]:
            lines.append(
                f"| {r['label']} | {r['questions']} | {r['hit1']:.2f} | {r['hit5']:.2f} | {r['accuracy']:.2f} | "
                f"{r['not_found_correct']:.2f} | {r['fast_path_rate']:.2f} | {r['fast_path_wrong']} | "
                f"{r['tokens_per_question']:,.0f} | {r['seconds_per_question']:.3f} |"
            )
    lines.append("")
    for result in results:
        be = result["break_even_questions"]
        lines.append(
            f"- {result['wiki']}: precompute by {result['precompute']}; sleep-time tokens {result['sleep_tokens']:,} "
            f"({result['sleep_seconds']} s); test-time tokens per question {result['reduction_same']:.1f}x fewer "
            f"(same questions), {result['reduction_paraphrased']:.1f}x fewer (paraphrased); break-even "
            f"{'n/a' if be is None else f'{be:,.0f}'} paraphrased questions"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic-pages", type=int, default=300)
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--verbose", action="store_true", help="print every question, path and answer on stderr")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    results = []
    with tempfile.TemporaryDirectory(prefix="kbsleep-eval-") as tmp, FakeAnthropic(responder=simulated_model) as fake:
        os.environ.update({"ANTHROPIC_API_KEY": "sk-ant-eval-dummy", "ANTHROPIC_BASE_URL": fake.base_url, **GIT})
        os.environ["ANTHROPIC_CONFIG_DIR"] = str(Path(tmp) / "anthropic-config")
        spec = json.loads((HERE / "eval" / "sample_wiki.json").read_text(encoding="utf-8"))
        root = git_copy(REPO / spec["wiki"], Path(tmp) / "sample_wiki")
        results.append(run_wiki("sample_wiki", root, spec["questions"], fake))
        if not args.skip_synthetic:
            vault = Path(tmp) / "synthetic"
            subprocess.run(
                [sys.executable, str(HERE / "generate_vault.py"), str(vault), "--pages", str(args.synthetic_pages), "--seed", "1", "--git", "--quiet"],
                check=True,
            )
            results.append(run_wiki(f"synthetic {args.synthetic_pages}", vault, synthetic_questions(vault), fake))
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
