"""Structured output: JSON of a declared schema, validated; one retry with the error; a skip."""

from __future__ import annotations

import dataclasses
import json

import pytest

from kbsleep.llm import Request
from kbsleep.llm.structured import parse_json_object, validate
from kbsleep.testing import Fault
from tests.llm.support import Answer

GOOD = '{"answer": "1815", "confidence": 0.9}'
REQUEST = Request("ask", "When was Ada born?", instructions="Answer from the wiki.", schema=Answer)


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        f"```json\n{GOOD}\n```",
        f"Sure! Here it is:\n{GOOD}\nAnything else?",
        "{not json} then " + GOOD,
    ],
)
def test_parse_finds_the_first_json_object(text: str) -> None:
    assert parse_json_object(text) == {"answer": "1815", "confidence": 0.9}


def test_parse_without_an_object_says_so() -> None:
    with pytest.raises(ValueError, match="no JSON object"):
        parse_json_object("I cannot answer that.")


def test_validate_names_the_failing_field() -> None:
    output, reason = validate('{"answer": "x"}', Answer)
    assert output is None
    assert reason is not None and "confidence" in reason


def test_valid_output_is_parsed_in_one_call(fake, model) -> None:
    fake.script(f"```json\n{GOOD}\n```")
    result = model.complete(REQUEST)
    assert result.ok and result.calls == 1
    assert result.output == Answer(answer="1815", confidence=0.9)
    body = fake.requests[0].body
    assert body["output_config"]["format"]["schema"]["required"] == ["answer", "confidence"]
    assert body["system"] == [{"type": "text", "text": "Answer from the wiki."}]


def test_the_prompt_form_puts_the_schema_into_the_system_block(fake, config, state) -> None:
    from kbsleep.llm import select_engine

    prompt_form = select_engine(dataclasses.replace(config, structured="prompt"), state_dir=state)
    fake.script(GOOD)
    assert prompt_form.complete(REQUEST).output == Answer(answer="1815", confidence=0.9)
    body = fake.requests[0].body
    assert "output_config" not in body
    assert "JSON Schema" in body["system"][0]["text"] and '"confidence"' in body["system"][0]["text"]


def test_invalid_output_gets_one_retry_with_the_error_appended(fake, model) -> None:
    fake.script('{"answer": "1815"}', GOOD)
    result = model.complete(REQUEST)
    assert result.ok and result.calls == 2
    assert result.output == Answer(answer="1815", confidence=0.9)
    retry = fake.requests[1].body["messages"]
    assert [m["role"] for m in retry] == ["user", "assistant", "user"]
    assert retry[1]["content"] == '{"answer": "1815"}'
    assert "confidence" in retry[2]["content"] and "not valid" in retry[2]["content"]
    first, second = (r.usage for r in fake.requests)
    assert result.usage.output_tokens == first["output_tokens"] + second["output_tokens"]


def test_a_second_invalid_output_skips_the_item(fake, model) -> None:
    fake.script("no json here", '{"answer": 3}')
    result = model.complete(REQUEST)
    assert not result.ok and result.output is None and result.text == ""
    assert result.calls == 2 and fake.count() == 2
    assert result.error is not None and "after one retry" in result.error
    assert result.usage.total_tokens > 0 and result.cost_usd > 0  # the spend is still accounted


def test_a_truncated_reply_is_skipped_without_a_retry(fake, model) -> None:
    fake.script(Fault.max_tokens())
    result = model.complete(REQUEST)
    assert not result.ok and fake.count() == 1
    assert "max_tokens=256" in (result.error or "") and "llm.max-tokens" in (result.error or "")


def test_a_truncated_plain_text_reply_is_skipped_too(fake, model) -> None:
    fake.script(Fault.max_tokens("half a sent"))
    result = model.complete(Request("summarise", "Summarise the page."))
    assert not result.ok and result.text == ""


def test_requests_carry_the_schema_in_the_cache_key(fake, model) -> None:
    fake.script(GOOD, "plain text")
    assert model.complete(REQUEST).ok
    plain = model.complete(Request("ask", REQUEST.prompt, instructions=REQUEST.instructions))
    assert plain.text == "plain text" and fake.count() == 2
    assert json.loads(GOOD) == model.complete(REQUEST).output.model_dump()  # cached
    assert fake.count() == 2


def test_an_empty_reply_is_retried_with_a_turn_the_api_accepts(fake, model) -> None:
    fake.script("", GOOD)
    result = model.complete(REQUEST)
    assert result.ok and [r.status for r in fake.requests] == [200, 200]
    assert fake.requests[1].body["messages"][1] == {"role": "assistant", "content": "(no reply)"}
