"""Message Batches: submit, save the id, collect out-of-order results, retry or report failures."""

from __future__ import annotations

import json

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.llm import Budget, Request, collect, pending_batches, run_batch, select_engine, stats
from kbsleep.state import batches_dir, ledger_path
from kbsleep.testing import Fault
from tests.llm.support import Answer

REQUESTS = [
    Request("anticipate", f"page {i}", pass_name="anticipate", page=f"p{i}.md") for i in range(4)
]


def by_prompt(replies: dict[str, object]):
    """A responder answering by prompt (so order does not matter); a list is a queue."""

    def reply(body):
        scripted = replies.get(body["messages"][-1]["content"], "fallback")
        return scripted.pop(0) if isinstance(scripted, list) else scripted

    return reply


def test_a_batch_is_submitted_saved_and_collected_later(fake, model, config, state) -> None:
    fake.responder = by_prompt({f"page {i}": f"answer {i}" for i in range(4)})
    submitted = run_batch(model, REQUESTS, config, state)
    assert submitted.pending_batch is not None and not submitted.finished
    assert len(submitted.not_done) == 4 and submitted.results == ()
    assert pending_batches(state) == (submitted.pending_batch,)
    saved = json.loads((batches_dir(state) / f"{submitted.pending_batch}.json").read_text())
    assert sorted(saved["items"]) == ["r0", "r1", "r2", "r3"] and saved["collected"] is None
    assert fake.count() == 0 and fake.count("/v1/messages/batches") == 1

    collected = collect(
        model, config, state, submitted.pending_batch, wait=True, poll_interval=0.01
    )
    assert collected.finished and pending_batches(state) == ()
    # results came back reversed; they are matched by custom_id
    assert sorted((r.request.prompt, r.text) for r in collected.results) == [
        (f"page {i}", f"answer {i}") for i in range(4)
    ]
    assert all(r.batched for r in collected.results) and fake.count() == 0


def test_batched_items_cost_half_and_are_logged_as_batched(fake, model, config, state) -> None:
    direct = model.complete(Request("anticipate", "page x"))
    report = run_batch(
        model, [Request("anticipate", "page y")], config, state, wait=True, poll_interval=0.01
    )
    batched = report.results[0]
    assert batched.usage == direct.usage and batched.cost_usd == direct.cost_usd / 2
    assert stats(ledger_path(state)).total.batched == 1


def test_errored_and_expired_items_are_retried_directly(fake, model, config, state) -> None:
    fake.responder = by_prompt({
        "page 0": "answer 0",
        "page 1": [Fault.overloaded(), "answer 1"],
        "page 2": [Fault.expired(), "answer 2"],
        "page 3": Fault.invalid_request("bad prompt"),
    })  # fmt: skip
    report = run_batch(model, REQUESTS, config, state, wait=True, poll_interval=0.01)
    assert fake.count() == 2  # pages 1 and 2 again, directly
    assert [r.request.prompt for r in report.skipped] == ["page 3"]
    assert "the batch API rejected the request: bad prompt" in (report.skipped[0].error or "")
    ok = {r.request.prompt: r for r in report.results}
    assert set(ok) == {"page 0", "page 1", "page 2"}
    assert [ok[f"page {i}"].text for i in range(3)] == ["answer 0", "answer 1", "answer 2"]
    assert ok["page 0"].batched and not ok["page 1"].batched


def test_an_invalid_batched_reply_gets_its_one_retry_directly(fake, model, config, state) -> None:
    fake.script('{"answer": "no confidence"}', '{"answer": "yes", "confidence": 1}')
    request = Request("ask", "q", schema=Answer)
    report = run_batch(model, [request], config, state, wait=True, poll_interval=0.01)
    assert report.results[0].output == Answer(answer="yes", confidence=1)
    assert report.results[0].calls == 2 and fake.count() == 1


@pytest.mark.parametrize("batches", [False, Fault.drop()], ids=["404", "connection dropped"])
def test_without_a_batches_api_the_requests_are_sent_directly(
    fake, model, config, state, batches
) -> None:
    fake.batches = batches  # False answers 404, like Ollama, vLLM and llama.cpp
    report = run_batch(model, REQUESTS, config, state)
    assert report.finished and len(report.results) == 4
    assert not any(r.batched for r in report.results) and fake.count() == 4
    assert pending_batches(state) == ()


def test_cached_requests_stay_out_of_the_batch(fake, model, config, state) -> None:
    model.complete(REQUESTS[0])
    report = run_batch(model, REQUESTS, config, state, wait=True, poll_interval=0.01)
    assert report.finished and sum(r.from_cache for r in report.results) == 1
    assert len(fake.requests[1].body["requests"]) == 3


def test_a_budget_trims_the_batch(fake, model, config, state) -> None:
    report = run_batch(
        model, REQUESTS, config, state, budget=Budget(max_tokens=600), wait=True, poll_interval=0.01
    )
    assert len(report.results) == 2 and len(report.not_done) == 2
    assert (report.stop_reason or "").startswith("budget:")


def test_the_offline_engine_runs_a_batch_directly(config, state) -> None:
    offline = select_engine(config, "offline", state_dir=state)
    report = run_batch(offline, [Request("extract", "anything")], config, state)
    assert report.finished and report.results[0].engine == "offline"


def test_a_batch_refused_for_the_key_is_not_retried_directly(fake, model, config, state) -> None:
    fake.batches = Fault.unauthorized()
    report = run_batch(model, REQUESTS, config, state)
    assert len(report.not_done) == 4 and fake.count() == 0
    assert (report.stop_reason or "").startswith("the batch was not submitted: http://127.0.0.1")
    assert report.hint == "check ANTHROPIC_API_KEY" and pending_batches(state) == ()


def test_collecting_an_unknown_batch_is_a_clear_error(fake, model, config, state) -> None:
    with pytest.raises(KbsleepError, match="no batch msgbatch_nope under"):
        collect(model, config, state, "msgbatch_nope")
