"""Message Batches: half-price sleep-time runs, submitted once and collected later.

`run_batch` sends the requests that miss the response cache as one batch and saves its id
and requests under `.kbsleep/batches/<id>.json`; `collect` polls it and reads the results
(JSONL, in any order, matched by `custom_id`). Succeeded items are validated like direct
replies (an invalid one gets its one retry as a direct call); errored, expired and missing
items are retried directly, except requests the API called invalid, which are reported.
An endpoint without a batches API (404, or refusing the connection) gets direct calls.
A batch (or a batch item) refused for native structured output is sent again in the prompt
form, as a direct call would be (`AnthropicModel.fall_back`). Requests are laid out for
prompt caching as a direct run's are (`kbsleep.llm.caching`); the API caches batch items on a
best-effort basis, as it runs them in any order.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kbsleep.errors import KbsleepError
from kbsleep.llm import caching
from kbsleep.llm.anthropic_engine import AnthropicModel, message_of
from kbsleep.llm.budget import Budget, Meter, input_text, local_tokens, worst_case
from kbsleep.llm.model import (
    ItemError,
    Model,
    Passage,
    Progress,
    ProgressHook,
    Request,
    Result,
    resolve,
)
from kbsleep.llm.recorded import RecordedModel, unwrap
from kbsleep.llm.redact import redact
from kbsleep.llm.runner import RunReport, merge, report, run
from kbsleep.state import batches_dir

if TYPE_CHECKING:
    from anthropic.types.messages.batch_create_params import Request as BatchRequest

    from kbsleep.config import LLMConfig


def run_batch(
    model: Model,
    requests: Sequence[Request],
    config: LLMConfig,
    state_dir: Path,
    *,
    budget: Budget | None = None,
    wait: bool = False,
    poll_interval: float | None = None,  # None: `llm.poll-interval`
    progress: ProgressHook | None = None,
) -> RunReport:
    """Submit `requests` as one batch; with `wait`, poll until it ends and return its results."""
    engine = unwrap(model)
    if not isinstance(engine, AnthropicModel):
        return run(model, requests, config, budget=budget, progress=progress)
    requests = [resolve(r, config) for r in requests]
    hits = [model.lookup(r) if isinstance(model, RecordedModel) else None for r in requests]
    parts = [report(hit for hit in hits if hit is not None)]
    todo = [r for r, hit in zip(requests, hits) if hit is None]
    fits: list[Request] = []
    meter = Meter(budget)
    for request in todo:
        tokens = local_tokens(input_text(request))
        worst = worst_case(request, tokens, model.engine, config, batched=True, marked=True)  # (the cache marks are planned for the items that fit)
        stop = meter.reserve(worst, request.model or "")
        if stop is not None:
            parts.append(report((), todo[len(fits) :], stop, "raise the budget to finish"))
            break
        fits.append(request)
    if not fits:
        return merge(*parts)
    fits = caching.plan(fits, config)
    batch_id, refused = _submit(engine, fits, state_dir)
    if refused is not None:
        reason = f"the batch was not submitted: {refused.message}"
        parts.append(report((), fits, reason, refused.hint))
    elif batch_id is None:  # no batches API here (local servers): call directly
        parts.append(run(model, fits, config, budget=meter.remaining(), progress=progress))
    else:
        parts.append(
            collect(model, config, state_dir, batch_id, wait=wait, poll_interval=poll_interval,
                    budget=meter.remaining(), progress=progress)
        )  # fmt: skip
    return merge(*parts)


def _submit(
    engine: AnthropicModel, requests: list[Request], state_dir: Path
) -> tuple[str | None, KbsleepError | None]:
    """Submit and save a batch: (its id, None); (None, None) to call directly instead; or
    (None, the error) when direct calls would fail too (a bad key, a rate limit)."""
    import anthropic

    items = {f"r{i}": request for i, request in enumerate(requests)}
    try:
        try:
            batch = _create(engine, items)
        except anthropic.BadRequestError as exc:
            native = {r.model or "" for r in requests if engine.native(r)}
            if not native or not engine.rejects_native(str(exc)):
                raise
            for model in sorted(native):
                engine.fall_back(model, message_of(exc))
            batch = _create(engine, items)  # now in the prompt form
    except KbsleepError as error:  # native output refused with `llm.structured = "native"`
        return None, error
    except anthropic.APIError as exc:
        error = engine.translate(exc)
        no_batches = isinstance(exc, (anthropic.NotFoundError, anthropic.APIConnectionError))
        if isinstance(error, KbsleepError) and not no_batches:
            return None, error
        return None, None
    folder = batches_dir(state_dir)
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "id": batch.id,
        "created": _now(),
        "endpoint": engine.url,
        "collected": None,
        "items": {cid: _request_data(r) for cid, r in items.items()},
    }
    (folder / f"{batch.id}.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    return batch.id, None


def _create(engine: AnthropicModel, items: dict[str, Request]) -> Any:
    body: list[BatchRequest] = [{"custom_id": cid, "params": engine.params(r)} for cid, r in items.items()]
    return engine.client.messages.batches.create(requests=body)


def pending_batches(state_dir: Path) -> tuple[str, ...]:
    """Ids of submitted batches not yet collected, oldest first."""
    folder = batches_dir(state_dir)
    if not folder.is_dir():
        return ()
    files = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    return tuple(p.stem for p in files if not json.loads(p.read_text("utf-8")).get("collected"))


def collect(
    model: Model,
    config: LLMConfig,
    state_dir: Path,
    batch_id: str,
    *,
    wait: bool = False,
    poll_interval: float | None = None,  # None: `llm.poll-interval`
    budget: Budget | None = None,
    progress: ProgressHook | None = None,
) -> RunReport:
    """Read a submitted batch's results; while it runs, a report with `pending_batch` set.

    If reading fails midway, the items read so far are kept (cached and logged) and the batch
    stays pending, so collecting it again finishes the rest.
    """
    import anthropic

    engine = unwrap(model)
    if not isinstance(engine, AnthropicModel):
        raise KbsleepError(f"batch {batch_id} needs the anthropic engine to collect")
    path = batches_dir(state_dir) / f"{batch_id}.json"
    if not path.exists():
        raise KbsleepError(f"no batch {batch_id} under {batches_dir(state_dir)}")
    saved = json.loads(path.read_text("utf-8"))
    requests = {cid: _request(data) for cid, data in saved["items"].items()}
    outcomes: list[Result] = []
    retry: list[Request] = []
    try:
        while engine.client.messages.batches.retrieve(batch_id).processing_status != "ended":
            if not wait:
                reason = f"batch {batch_id} is still running"
                return report((), list(requests.values()), reason, pending_batch=batch_id)
            time.sleep(config.poll_interval if poll_interval is None else poll_interval)
        for entry in engine.client.messages.batches.results(batch_id):
            request = requests.pop(entry.custom_id, None)
            if request is None:
                continue  # not ours, or a duplicate line
            result = _outcome(engine, request, entry.result)
            if result is None:
                retry.append(request)
                continue
            if isinstance(model, RecordedModel):
                model.record(result)
            outcomes.append(result)
            if progress is not None:
                spent = sum(r.cost_usd for r in outcomes)
                progress(Progress(len(outcomes), len(saved["items"]), spent, result))
    except (anthropic.APIError, json.JSONDecodeError) as exc:
        error = engine.translate(exc) if isinstance(exc, anthropic.APIError) else None
        reason = f"collecting {batch_id}: {error or 'malformed results'}"
        left = [*retry, *requests.values()]
        return report(outcomes, left, reason, "collect it again later", pending_batch=batch_id)
    retry += requests.values()  # never reported by the batch: try them directly
    saved["collected"] = _now()
    path.write_text(json.dumps(saved, indent=1), encoding="utf-8")
    meter = Meter(budget)
    for result in outcomes:
        meter.add(result)
    retried = run(model, retry, config, budget=meter.remaining()) if retry else RunReport()
    return merge(report(outcomes), retried)


def _outcome(engine: AnthropicModel, request: Request, item: Any) -> Result | None:
    """The result of one batch item, or None to retry it directly."""
    if item.type == "succeeded":
        try:
            raw = engine.raw(request, item.message, 0.0, batched=True, native=engine.native(request))
        except ItemError as exc:
            return _failed(engine, request, str(exc))
        return engine.finish(request, raw)
    error = getattr(getattr(item, "error", None), "error", None)
    if item.type == "errored" and getattr(error, "type", "") == "invalid_request_error":
        message = getattr(error, "message", "") or "invalid request"
        if engine.native(request) and engine.rejects_native(message):
            try:
                engine.fall_back(request.model or "", message)
            except KbsleepError as refused:  # `llm.structured = "native"`
                return _failed(engine, request, refused.message)
            return None  # directly, in the prompt form
        return _failed(engine, request, f"the batch API rejected the request: {message}")
    return None  # otherwise errored, expired or canceled: worth a direct call


def _failed(engine: AnthropicModel, request: Request, error: str) -> Result:
    model = request.model or ""
    return Result(request, engine=engine.engine, model=model, batched=True, error=redact(error))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _request_data(request: Request) -> dict[str, Any]:
    data = dataclasses.asdict(request)
    del data["layout"]  # how it was sent; a direct retry is sent as written
    data["context"] = [[p.source, p.text] for p in request.context]
    schema = request.schema
    data["schema"] = f"{schema.__module__}:{schema.__qualname__}" if schema is not None else None
    return data


def _request(data: dict[str, Any]) -> Request:
    data = dict(data)
    data["context"] = tuple(Passage(source, text) for source, text in data["context"])
    if data["schema"] is not None:
        module, _, name = data["schema"].partition(":")
        try:
            schema: Any = importlib.import_module(module)
            for part in name.split("."):
                schema = getattr(schema, part)
        except (ImportError, AttributeError):
            message = f"cannot import the schema {data['schema']} of a batched request"
            raise KbsleepError(message) from None
        data["schema"] = schema
    return Request(**data)
