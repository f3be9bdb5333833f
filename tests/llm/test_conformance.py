"""Conformance: every body kbsleep sends fits the SDK's typed params, and the fake refuses what
the real Messages API refuses, so the suite fails when kbsleep's requests drift from the API."""

from __future__ import annotations

import dataclasses
import json
import urllib.error
import urllib.request
from typing import Any

import jsonschema
import pytest
from anthropic.types.message_count_tokens_params import MessageCountTokensParams
from anthropic.types.message_create_params import MessageCreateParamsNonStreaming
from anthropic.types.messages.batch_create_params import Request as BatchRequest

from kbsleep.ask import AnswerOutput
from kbsleep.llm import Passage, Request, estimate, run, run_batch, select_engine
from kbsleep.llm.schema import native_schema
from kbsleep.lint.deep import Judgement
from kbsleep.passes.anticipate import Anticipated
from kbsleep.passes.consolidate.contradictions import ResolveOutput
from kbsleep.passes.consolidate.duplicates import MergeOutput
from kbsleep.passes.consolidate.inbox import FoldOutput
from kbsleep.testing import FakeAnthropic, api
from tests.conftest import TEST_KEY
from tests.llm.conformance import problems
from tests.llm.support import Answer

HEADER_PARAMS = {"user_profile_id", "workspace_id"}  # typed as params, sent as headers
SCHEMAS = (Anticipated, AnswerOutput, Judgement, MergeOutput, ResolveOutput, FoldOutput, Answer)
HUB = Passage("Hub", "The hub page, linked from everywhere. " * 40)


def keys(typed_dict: Any) -> set[str]:
    return set(typed_dict.__annotations__) | {k for base in typed_dict.__mro__ for k in getattr(base, "__annotations__", {})}


def test_the_fake_takes_the_parameters_the_sdk_types_name() -> None:
    assert api.MESSAGE_PARAMS == keys(MessageCreateParamsNonStreaming) - HEADER_PARAMS
    assert api.COUNT_TOKENS_PARAMS == keys(MessageCountTokensParams) - HEADER_PARAMS


def test_every_body_kbsleep_sends_fits_the_sdk_types(fake, config, state) -> None:
    """Native and prompt forms, context with cache marks, a retry turn, a batch, count_tokens."""
    fake.cache_minimum = 0
    cheap = dataclasses.replace(config, prices={"claude-haiku-4-5": {"input": 1, "output": 5, "min-cache-tokens": 0}})
    model = select_engine(cheap, state_dir=state)
    pages = [Request("anticipate", f"Questions about page {i}?", "Write questions.", (HUB, Passage(f"P{i}", f"Page {i}.")), Anticipated) for i in range(3)]
    fake.script('{"questions": "not a list"}')  # the first reply is invalid: a retry turn follows
    run(model, pages, cheap)
    model.complete(Request("summarise", "Summarise.", context=(HUB,)))
    select_engine(dataclasses.replace(cheap, structured="prompt"), state_dir=state).complete(
        Request("answer", "Who?", "Answer.", (HUB,), AnswerOutput)
    )
    estimate(model, [dataclasses.replace(r, prompt=r.prompt + " (count)") for r in pages], cheap)
    run_batch(model, [dataclasses.replace(r, prompt=r.prompt + " (batch)") for r in pages], cheap, state, wait=True, poll_interval=0.01)
    sent = {"messages": [], "count_tokens": [], "batch": []}
    for logged in fake.requests:
        if logged.path == "/v1/messages":
            sent["messages"].append(logged.body)
        elif logged.path == "/v1/messages/count_tokens":
            sent["count_tokens"].append(logged.body)
        elif logged.path == "/v1/messages/batches" and logged.method == "POST":
            sent["batch"] += logged.body["requests"]
    assert all(sent.values()) and all(r.status == 200 for r in fake.requests)
    assert any(len(b["messages"]) == 3 for b in sent["messages"])  # the retry turn
    assert any("output_config" in b for b in sent["messages"]) and any("output_config" not in b for b in sent["messages"])
    assert any("cache_control" in block for b in sent["messages"] for block in b["system"])
    found = [p for b in sent["messages"] for p in problems(b, MessageCreateParamsNonStreaming)]
    found += [p for b in sent["count_tokens"] for p in problems(b, MessageCountTokensParams)]
    found += [p for b in sent["batch"] for p in problems(b, BatchRequest)]
    assert found == []


def test_the_type_check_catches_drift() -> None:
    body = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    assert problems(body, MessageCreateParamsNonStreaming) == []
    assert problems({**body, "temperature": 0.5}, MessageCreateParamsNonStreaming) == ["body.temperature: not a key of MessageCreateParamsNonStreaming"]
    bad_block = {**body, "system": [{"type": "text", "text": "x", "cache": True}]}
    assert "body.system" in problems(bad_block, MessageCreateParamsNonStreaming)[0]
    bad_mark = {**body, "system": [{"type": "text", "text": "x", "cache_control": {"type": "persistent"}}]}
    assert problems(bad_mark, MessageCreateParamsNonStreaming) != []
    bad_format = {**body, "output_config": {"format": {"type": "json", "schema": {}}}}
    assert problems(bad_format, MessageCreateParamsNonStreaming) != []
    assert problems({"max_tokens": 5, "messages": []}, MessageCreateParamsNonStreaming) == ["body.model: required by MessageCreateParamsNonStreaming"]


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: s.__name__)
def test_every_schema_kbsleep_asks_for_is_one_the_api_takes(schema) -> None:
    sent = native_schema(schema)
    assert api.problem(body_with(sent)) is None
    for _, node in api._nodes(sent, "#"):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert node["required"] == list(node["properties"])  # every property required
    # the fake's reply for it is an object of the schema, valid for the pydantic model too
    reply = api.instance(sent)
    jsonschema.validate(reply, sent)
    schema.model_validate(reply)


def test_a_bound_the_api_cannot_enforce_is_described_and_still_validated() -> None:
    finding = native_schema(Judgement)["$defs"]["Finding"]["properties"]["line_a"]
    assert finding == {"type": "integer", "description": "(minimum: 0)"}
    with pytest.raises(ValueError):
        Judgement.model_validate({"findings": [{"kind": "contradiction", "line_a": -1, "reason": "x"}]})


def body_with(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"model": "claude-haiku-4-5", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}],
            "output_config": {"format": {"type": "json_schema", "schema": schema}}, **extra}  # fmt: skip


def post(fake: FakeAnthropic, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        fake.base_url + path, json.dumps(body).encode(), {"x-api-key": TEST_KEY, "content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


OPEN = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
CLOSED = {**OPEN, "additionalProperties": False}
MARK = {"type": "ephemeral"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"temperature": 0.2}, "temperature: Extra inputs are not permitted"),
        ({"system": [{"type": "text", "text": "x", "cache": MARK}]}, "system.0.cache: Extra inputs are not permitted"),
        ({"system": [{"type": "txt", "text": "x"}]}, "system.0.type: Input should be 'text'"),
        ({"system": [{"type": "text", "text": "x", "cache_control": {"type": "forever"}}]}, "system.0.cache_control.type"),
        ({"system": [{"type": "text", "text": f"block {n}", "cache_control": MARK} for n in range(5)]},
         "A maximum of 4 blocks with cache_control may be provided. Found 5."),
        ({"messages": [{"role": "user", "content": [{"type": "markdown", "text": "x"}]}]}, "messages.0.content.0.type"),
        ({"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": ""}, {"role": "user", "content": "again"}]},
         "messages.1: all messages must have non-empty content"),
        ({"output_config": {"format": {"type": "json_schema", "schema": OPEN}}}, "'additionalProperties' must be explicitly set to false"),
        ({"output_config": {"format": {"type": "json_schema", "schema": {**CLOSED, "properties": {"a": {"type": "integer", "minimum": 0}}}}}},
         "property 'minimum' is not supported"),
        ({"output_config": {"format": {"type": "json_schema", "schema": {**CLOSED, "properties": {"a": {"type": "string", "maxLength": 9}}}}}},
         "property 'maxLength' is not supported"),
        ({"output_config": {"format": {"type": "json_schema", "schema": {"$ref": "#/$defs/N", "$defs": {"N": {
            "type": "object", "properties": {"next": {"$ref": "#/$defs/N"}}, "required": ["next"], "additionalProperties": False}}}}}},
         "recursive schemas are not supported"),
        ({"output_config": {"format": {"type": "json_schema", "schema": CLOSED}, "verbosity": "low"}}, "output_config.verbosity"),
    ],
    ids=["parameter", "block key", "block type", "mark type", "five marks", "content block", "empty turn", "open object",
         "minimum", "maxLength", "recursive", "output_config key"],  # fmt: skip
)
def test_the_fake_refuses_what_the_api_refuses(fake, body, message) -> None:
    base = {"model": "claude-haiku-4-5", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}
    status, reply = post(fake, "/v1/messages", {**base, **body})
    assert status == 400 and reply["error"]["type"] == "invalid_request_error"
    assert message in reply["error"]["message"]
    assert fake.count() == 1 and fake.requests[0].usage is None


def test_the_fake_refuses_a_bad_batch_item_naming_it(fake) -> None:
    good = {"model": "claude-haiku-4-5", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}
    items = [{"custom_id": "a", "params": good}, {"custom_id": "b", "params": {**good, "top_k": 3}}]
    status, reply = post(fake, "/v1/messages/batches", {"requests": items})
    assert (status, reply["error"]["message"]) == (400, "requests.1.params.top_k: Extra inputs are not permitted")


def test_a_server_without_native_output_refuses_output_config(fake) -> None:
    fake.structured_output = "refuse"
    status, reply = post(fake, "/v1/messages", body_with(CLOSED))
    assert (status, reply["error"]["message"]) == (400, "output_config: Extra inputs are not permitted")


def test_the_fake_answers_an_object_of_the_requested_format(fake) -> None:
    status, reply = post(fake, "/v1/messages", body_with(native_schema(AnswerOutput)))
    assert status == 200
    assert AnswerOutput.model_validate_json(reply["content"][0]["text"]) == AnswerOutput(answer="fake", citations=["fake"], found=False)
