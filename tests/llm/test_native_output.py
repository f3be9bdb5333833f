"""Native structured output: the schema as `output_config.format`, single and batched; the prompt
form after an endpoint refuses it, remembered per endpoint and model; refusals."""

from __future__ import annotations

import dataclasses
import json

import pytest
from pydantic import BaseModel, Field

from kbsleep.errors import KbsleepError
from kbsleep.llm import Request, run, run_batch, select_engine
from kbsleep.llm.schema import native_schema
from kbsleep.state import endpoints_path
from kbsleep.testing import Fault
from tests.llm.support import Answer

GOOD = '{"answer": "1815", "confidence": 0.9}'
ASK = Request("ask", "When was Ada born?", instructions="Answer from the wiki.", schema=Answer)
REQUESTS = [dataclasses.replace(ASK, prompt=f"Question {i}?") for i in range(3)]
REFUSED = "output_config: Extra inputs are not permitted"


def forms(fake) -> list[str]:
    """How each request to /v1/messages sent its schema, and what came back."""
    return [
        ("native" if "output_config" in r.body else "prompt") + f" {r.status}"
        for r in fake.requests
        if r.path == "/v1/messages"
    ]


def test_a_structured_request_sends_its_schema_as_output_config(fake, model) -> None:
    result = model.complete(ASK)  # nothing scripted: the fake answers an object of the format
    assert result.ok and result.output == Answer(answer="fake", confidence=0.0) and result.calls == 1
    body = fake.requests[0].body
    assert body["output_config"] == {"format": {"type": "json_schema", "schema": native_schema(Answer)}}
    assert native_schema(Answer) == {
        "additionalProperties": False,
        "properties": {"answer": {"type": "string"}, "confidence": {"type": "number"}},
        "required": ["answer", "confidence"],
        "type": "object",
    }
    assert "JSON" not in body["system"][0]["text"]  # the schema is not repeated in the prompt


def test_a_plain_request_has_no_output_config(fake, model) -> None:
    model.complete(Request("summarise", "Summarise the page."))
    assert "output_config" not in fake.requests[0].body


class Line(BaseModel):
    line: int = Field(ge=0)


def test_a_native_reply_failing_a_bound_the_schema_only_describes_is_retried_in_the_prompt_form(fake, model, state) -> None:
    fake.script('{"line": -1}', '{"line": 3}')
    result = model.complete(Request("locate", "Which line?", "Find the line.", schema=Line))
    assert result.output == Line(line=3) and result.calls == 2
    assert forms(fake) == ["native 200", "prompt 200"]  # the retry states the schema
    assert "greater than or equal to 0" in fake.requests[1].body["messages"][-1]["content"]
    assert not endpoints_path(state).exists()  # a constrained reply may do that: nothing learnt


@pytest.mark.parametrize("reply", ["The answer is 1815.", '{"answer": "1815"}', '{"answer": 1815, "confidence": "high"}'], ids=["prose", "missing field", "wrong types"])
def test_an_endpoint_ignoring_the_format_gets_the_prompt_form_from_then_on(fake, model, config, state, reply) -> None:
    """A server that takes output_config and ignores it (as one ignoring unknown fields does):
    its first reply is something constrained decoding never produces."""
    fake.structured_output = "ignore"
    fake.script(reply, GOOD, GOOD)
    assert model.complete(ASK).output == Answer(answer="1815", confidence=0.9)
    assert model.complete(dataclasses.replace(ASK, prompt="Again?")).ok
    assert forms(fake) == ["native 200", "prompt 200", "prompt 200"]
    remembered = json.loads(endpoints_path(state).read_text())[fake.base_url]["prompt-form"]["claude-haiku-4-5"]
    assert remembered.startswith("a reply ignored output_config.format (")


def test_with_structured_native_the_retry_stays_native(fake, config, state) -> None:
    fake.script('{"answer": "1815"}', GOOD)
    native = select_engine(dataclasses.replace(config, structured="native"), state_dir=state)
    assert native.complete(ASK).ok
    assert forms(fake) == ["native 200", "native 200"] and not endpoints_path(state).exists()


def test_an_endpoint_refusing_native_output_gets_the_prompt_form_for_the_rest_of_the_run(fake, model, config, state) -> None:
    fake.structured_output = "refuse"
    fake.responder = lambda body: GOOD
    report = run(model, REQUESTS, dataclasses.replace(config, concurrency=1))
    assert len(report.results) == 3 and report.skipped == ()
    assert forms(fake) == ["native 400", "prompt 200", "prompt 200", "prompt 200"]
    assert "JSON Schema" in fake.requests[1].body["system"][0]["text"]
    saved = json.loads(endpoints_path(state).read_text())
    assert saved == {fake.base_url: {"prompt-form": {"claude-haiku-4-5": REFUSED}}}


def test_the_prompt_form_is_remembered_on_the_next_run(fake, config, state) -> None:
    fake.structured_output = "refuse"
    fake.responder = lambda body: GOOD
    select_engine(config, state_dir=state).complete(ASK)
    again = select_engine(config, state_dir=state).complete(dataclasses.replace(ASK, prompt="Again?"))
    assert again.ok and forms(fake) == ["native 400", "prompt 200", "prompt 200"]
    # per model: another model of the same endpoint is still asked natively first
    other = select_engine(dataclasses.replace(config, model="claude-sonnet-4-5"), state_dir=state)
    other.complete(dataclasses.replace(ASK, prompt="Sonnet?"))
    assert forms(fake)[3:] == ["native 400", "prompt 200"]


def test_without_a_state_dir_the_prompt_form_lasts_for_the_engine(fake, config) -> None:
    fake.structured_output = "refuse"
    fake.responder = lambda body: GOOD
    engine = select_engine(config)
    engine.complete(ASK)
    engine.complete(dataclasses.replace(ASK, prompt="Again?"))
    assert forms(fake) == ["native 400", "prompt 200", "prompt 200"]


def test_a_damaged_memory_file_is_forgotten_not_fatal(fake, config, state) -> None:
    endpoints_path(state).write_text("{not json", encoding="utf-8")
    assert select_engine(config, state_dir=state).complete(ASK).ok
    assert forms(fake) == ["native 200"]


def test_another_bad_request_is_an_item_error_not_a_fall_back(fake, model, state) -> None:
    fake.script(Fault.invalid_request("prompt is too long"))
    result = model.complete(ASK)
    assert not result.ok and "prompt is too long" in (result.error or "")
    assert forms(fake) == ["native 400"] and not endpoints_path(state).exists()


def test_structured_native_stops_the_run_when_the_endpoint_refuses(fake, config, state) -> None:
    fake.structured_output = "refuse"
    native = dataclasses.replace(config, structured="native")
    report = run(select_engine(native, state_dir=state), REQUESTS, native)
    assert report.results == () and len(report.not_done) == 3
    assert report.stop_reason is not None and "does not accept native structured output for claude-haiku-4-5" in report.stop_reason
    assert report.hint is not None and 'llm.structured = "auto"' in report.hint
    assert not endpoints_path(state).exists()


def test_structured_native_ignores_the_memory(fake, config, state) -> None:
    endpoints_path(state).write_text(json.dumps({fake.base_url: {"prompt-form": {"claude-haiku-4-5": "old"}}}))
    select_engine(dataclasses.replace(config, structured="native"), state_dir=state).complete(ASK)
    assert forms(fake) == ["native 200"]


def test_structured_prompt_never_sends_output_config(fake, config, state) -> None:
    fake.script(GOOD)
    select_engine(dataclasses.replace(config, structured="prompt"), state_dir=state).complete(ASK)
    assert forms(fake) == ["prompt 200"]


def test_a_refusal_skips_the_item_without_a_retry(fake, model) -> None:
    fake.script(Fault.refusal("The request could enable harm."))
    result = model.complete(ASK)
    assert not result.ok and result.calls == 1 and fake.count() == 1
    assert result.error == "the model declined to answer: The request could enable harm."


def test_a_batch_sends_the_schema_natively(fake, model, config, state) -> None:
    report = run_batch(model, REQUESTS, config, state, wait=True, poll_interval=0.01)
    assert len(report.results) == 3 and all(r.batched for r in report.results)
    items = fake.requests[0].body["requests"]
    assert all(item["params"]["output_config"]["format"]["schema"] == native_schema(Answer) for item in items)
    assert all(r.output == Answer(answer="fake", confidence=0.0) for r in report.results)


def test_a_batch_refused_for_native_output_is_sent_again_in_the_prompt_form(fake, model, config, state) -> None:
    fake.structured_output = "refuse"
    fake.responder = lambda body: GOOD
    report = run_batch(model, REQUESTS, config, state, wait=True, poll_interval=0.01)
    assert len(report.results) == 3 and all(r.batched for r in report.results)
    creates = [r for r in fake.requests if r.path == "/v1/messages/batches" and r.method == "POST"]
    assert [c.status for c in creates] == [400, 200]
    assert "output_config" not in creates[1].body["requests"][0]["params"]
    assert "claude-haiku-4-5" in json.loads(endpoints_path(state).read_text())[fake.base_url]["prompt-form"]


def test_a_batch_item_refused_for_native_output_is_retried_directly_in_the_prompt_form(fake, model, config, state) -> None:
    def reply(body):
        if body["messages"][0]["content"] == "Question 1?" and "output_config" in body:
            return Fault.invalid_request("output_config.format: not supported for this model")
        return GOOD

    fake.responder = reply
    report = run_batch(model, REQUESTS, config, state, wait=True, poll_interval=0.01)
    assert len(report.results) == 3 and report.skipped == ()
    direct = [r for r in fake.requests if r.path == "/v1/messages"]
    assert len(direct) == 1 and "output_config" not in direct[0].body
    retried = next(r for r in report.results if r.request.prompt == "Question 1?")
    assert not retried.batched and retried.output == Answer(answer="1815", confidence=0.9)


@pytest.mark.parametrize("mode", ["auto", "native", "prompt", "nope"])
def test_llm_structured_is_checked_by_the_config(tmp_path, mode) -> None:
    from kbsleep.config import load_config

    (tmp_path / "kbsleep.toml").write_text(f'[llm]\nstructured = "{mode}"\n')
    if mode == "nope":
        with pytest.raises(KbsleepError, match="structured"):
            load_config(tmp_path)
    else:
        assert load_config(tmp_path).llm.structured == mode


def test_batch_items_from_an_endpoint_ignoring_the_format_are_retried_in_the_prompt_form(fake, model, config, state) -> None:
    fake.structured_output = "ignore"
    fake.responder = lambda body: GOOD if "output_config" not in body else "Born in 1815."
    report = run_batch(model, REQUESTS, config, state, wait=True, poll_interval=0.01)
    assert len(report.results) == 3 and all(r.calls == 2 for r in report.results)
    assert forms(fake) == ["prompt 200"] * 3  # each item's one retry, directly
    assert "claude-haiku-4-5" in json.loads(endpoints_path(state).read_text())[fake.base_url]["prompt-form"]
    again = run_batch(model, [dataclasses.replace(ASK, prompt="Later?")], config, state, wait=True, poll_interval=0.01)
    batches = [r.body for r in fake.requests if r.path == "/v1/messages/batches" and r.method == "POST"]
    assert again.results[0].calls == 1 and "output_config" not in batches[-1]["requests"][0]["params"]
