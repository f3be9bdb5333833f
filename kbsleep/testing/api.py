"""What the Messages API accepts and how it bills, as `FakeAnthropic` plays it.

Written from Anthropic's API reference and the anthropic SDK 2.x's typed params, on purpose
independently of how kbsleep builds its requests: a request the real API would refuse gets the
400 `invalid_request_error` it would get, so the suite fails when kbsleep's requests drift.

- `problem(body, ...)`: the first thing the API would refuse in a body, or None. Top-level
  parameters, system and message content blocks, `cache_control` (at most four), and
  `output_config.format`'s schema against the subset of JSON Schema that structured outputs
  take (every object closed with `additionalProperties: false`; no numeric or length bounds;
  at most 24 optional properties; no recursion).
- `instance(schema)`: an object of a JSON Schema, which the fake answers when a request asks
  for `output_config.format` and no reply is scripted.
- `usage(...)`: input tokens split into plain input, cache reads and cache writes, with the
  prompt cache's minimum cacheable length per model (a shorter marked prefix is not cached).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping
from typing import Any

# Top-level body parameters (anthropic SDK 2.17's MessageCreateParams, less the two it sends as
# headers, user_profile_id and workspace_id).
MESSAGE_PARAMS = frozenset({
    "model", "messages", "max_tokens", "cache_control", "container", "diagnostics",
    "inference_geo", "metadata", "output_config", "service_tier", "speed", "stop_sequences",
    "stream", "system", "thinking", "tool_choice", "tools",
})  # fmt: skip
COUNT_TOKENS_PARAMS = frozenset({
    "model", "messages", "cache_control", "output_config", "speed", "system", "thinking",
    "tool_choice", "tools",
})  # fmt: skip
REQUIRED = {"messages": ("model", "messages", "max_tokens"), "count_tokens": ("model", "messages")}
TEXT_BLOCK_KEYS = frozenset({"type", "text", "cache_control", "citations"})
# Content block types a user or assistant turn may hold; only text blocks are checked in depth.
BLOCK_TYPES = frozenset({
    "text", "image", "document", "search_result", "tool_use", "tool_result", "thinking",
    "redacted_thinking", "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
    "code_execution_tool_result", "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result", "tool_search_tool_result", "mcp_tool_use",
    "mcp_tool_result", "container_upload",
})  # fmt: skip
ROLES = frozenset({"user", "assistant", "system"})
MAX_CACHE_MARKS = 4
OUTPUT_CONFIG_KEYS = frozenset({"format", "effort"})
EFFORTS = frozenset({"low", "medium", "high", "xhigh", "max"})
# The JSON Schema that structured outputs take (Anthropic's structured-outputs documentation).
SCHEMA_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf",
    "allOf", "$ref", "$defs", "definitions", "description", "title", "default", "format",
    "minItems", "pattern",
})  # fmt: skip
STRING_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)
MAX_OPTIONAL_PROPERTIES = 24
# The prompt cache's minimum cacheable prefix, in tokens (Anthropic's prompt-caching
# documentation); models not listed: 1024.
MIN_CACHE_TOKENS = {
    "claude-opus-4-6": 4096, "claude-opus-4-5": 4096, "claude-haiku-4-5": 4096,
    "claude-3-5-haiku": 2048, "claude-3-haiku": 2048,
}  # fmt: skip
DEFAULT_MIN_CACHE_TOKENS = 1024


def problem(body: Any, endpoint: str = "messages", *, native_output: bool = True) -> str | None:
    """What the API would refuse in `body` ("<where>: <why>"), or None when it takes it."""
    if not isinstance(body, dict):
        return "body: Input should be a valid dictionary"
    allowed = MESSAGE_PARAMS if endpoint == "messages" else COUNT_TOKENS_PARAMS
    if not native_output:
        allowed = allowed - {"output_config"}
    for key in body:
        if key not in allowed:
            return f"{key}: Extra inputs are not permitted"
    for key in REQUIRED[endpoint]:
        if key not in body:
            return f"{key}: Field required"
    if not isinstance(body["model"], str) or not body["model"]:
        return "model: Input should be a valid string"
    if endpoint == "messages" and (not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1):
        return "max_tokens: Input should be a positive integer"
    checks: list[Callable[[], str | None]] = [
        lambda: _system(body.get("system")),
        lambda: _messages(body["messages"]),
        lambda: _marks(body),
        lambda: _output_config(body["output_config"]) if "output_config" in body else None,
    ]
    return next((found for check in checks if (found := check()) is not None), None)


def _system(system: Any) -> str | None:
    if system is None or isinstance(system, str):
        return None
    if not isinstance(system, list):
        return "system: Input should be a valid string or list of text blocks"
    for n, block in enumerate(system):
        found = _text_block(block, f"system.{n}")
        if found:
            return found
    return None


def _messages(messages: Any) -> str | None:
    if not isinstance(messages, list) or not messages:
        return "messages: at least one message is required"
    for n, message in enumerate(messages):
        where = f"messages.{n}"
        if not isinstance(message, dict):
            return f"{where}: Input should be a valid dictionary"
        extra = set(message) - {"role", "content"}
        if extra:
            return f"{where}.{sorted(extra)[0]}: Extra inputs are not permitted"
        if message.get("role") not in ROLES:
            return f"{where}.role: Input should be 'user' or 'assistant'"
        content = message.get("content")
        if not content and n < len(messages) - 1:
            return f"{where}: all messages must have non-empty content except for the optional final assistant message"
        if isinstance(content, str):
            continue
        if not isinstance(content, list):
            return f"{where}.content: Input should be a valid string or list of content blocks"
        for m, block in enumerate(content):
            kind = block.get("type") if isinstance(block, dict) else None
            if kind not in BLOCK_TYPES:
                return f"{where}.content.{m}.type: Input tag '{kind}' does not match any of the expected tags"
            found = _text_block(block, f"{where}.content.{m}") if kind == "text" else None
            if found:
                return found
    if messages[0].get("role") == "assistant" and len(messages) == 1:
        return "messages: the conversation must not end with only an assistant turn"
    return None


def _text_block(block: Any, where: str) -> str | None:
    if not isinstance(block, dict) or block.get("type") != "text":
        return f"{where}.type: Input should be 'text'"
    extra = set(block) - TEXT_BLOCK_KEYS
    if extra:
        return f"{where}.{sorted(extra)[0]}: Extra inputs are not permitted"
    if not isinstance(block.get("text"), str):
        return f"{where}.text: Field required"
    if not block["text"]:
        return f"{where}.text: text content blocks must be non-empty"
    return _cache_control(block.get("cache_control"), f"{where}.cache_control")


def _cache_control(mark: Any, where: str) -> str | None:
    if mark is None:
        return None
    if not isinstance(mark, dict) or mark.get("type") != "ephemeral":
        return f"{where}.type: Input should be 'ephemeral'"
    if set(mark) - {"type", "ttl"}:
        return f"{where}.{sorted(set(mark) - {'type', 'ttl'})[0]}: Extra inputs are not permitted"
    if "ttl" in mark and mark["ttl"] not in ("5m", "1h"):
        return f"{where}.ttl: Input should be '5m' or '1h'"
    return None


def _marks(body: dict[str, Any]) -> str | None:
    found = sum(1 for block in _blocks(body) if block.get("cache_control") is not None)
    found += 1 if body.get("cache_control") is not None else 0
    if found > MAX_CACHE_MARKS:
        return f"A maximum of {MAX_CACHE_MARKS} blocks with cache_control may be provided. Found {found}."
    return _cache_control(body.get("cache_control"), "cache_control")


def _blocks(body: dict[str, Any]) -> list[dict[str, Any]]:
    system = body.get("system")
    blocks = [b for b in system if isinstance(b, dict)] if isinstance(system, list) else []
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            blocks += [b for b in content if isinstance(b, dict)]
    blocks += [t for t in body.get("tools") or [] if isinstance(t, dict)]
    return blocks


def _output_config(config: Any) -> str | None:
    if not isinstance(config, dict):
        return "output_config: Input should be a valid dictionary"
    extra = set(config) - OUTPUT_CONFIG_KEYS
    if extra:
        return f"output_config.{sorted(extra)[0]}: Extra inputs are not permitted"
    if config.get("effort") is not None and config["effort"] not in EFFORTS:
        return "output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'"
    form = config.get("format")
    if form is None:
        return None
    if not isinstance(form, dict) or form.get("type") != "json_schema":
        return "output_config.format.type: Input should be 'json_schema'"
    if set(form) - {"type", "schema"}:
        return f"output_config.format.{sorted(set(form) - {'type', 'schema'})[0]}: Extra inputs are not permitted"
    if not isinstance(form.get("schema"), dict):
        return "output_config.format.schema: Field required"
    return _schema(form["schema"])


def _schema(root: dict[str, Any]) -> str | None:
    where = "output_config.format.schema"
    optional = 0
    for path, node in _nodes(root, "#"):
        for key in node:
            if key not in SCHEMA_KEYWORDS:
                return f"{where}: {path}: property '{key}' is not supported"
        is_object = node.get("type") == "object" or "properties" in node
        if is_object and node.get("additionalProperties") is not False:
            return f"{where}: {path}: For 'object' type, 'additionalProperties' must be explicitly set to false"
        if "minItems" in node and node["minItems"] not in (0, 1):
            return f"{where}: {path}: minItems values other than 0 or 1 are not supported"
        if "format" in node and node["format"] not in STRING_FORMATS:
            return f"{where}: {path}: format '{node['format']}' is not supported"
        optional += len(set(node.get("properties", {})) - set(node.get("required", [])))
    if optional > MAX_OPTIONAL_PROPERTIES:
        return f"{where}: at most {MAX_OPTIONAL_PROPERTIES} optional properties are supported, found {optional}"
    if _recursive(root):
        return f"{where}: recursive schemas are not supported"
    return None


def _nodes(node: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    """Every schema node under `node`, with a JSON pointer to it."""
    if not isinstance(node, dict):
        return []
    found = [(path, node)]
    for key in ("$defs", "definitions", "properties"):
        for name, sub in (node.get(key) or {}).items():
            found += _nodes(sub, f"{path}/{key}/{name}")
    for key in ("anyOf", "allOf"):
        for n, sub in enumerate(node.get(key) or []):
            found += _nodes(sub, f"{path}/{key}/{n}")
    if isinstance(node.get("items"), dict):
        found += _nodes(node["items"], f"{path}/items")
    return found


def _recursive(root: dict[str, Any]) -> bool:
    defs = {**(root.get("definitions") or {}), **(root.get("$defs") or {})}
    refs = {name: {r.rsplit("/", 1)[-1] for _, n in _nodes(sub, "") for r in [n.get("$ref", "")] if r} for name, sub in defs.items()}

    def reaches(start: str, seen: frozenset[str]) -> bool:
        return any(ref in seen or reaches(ref, seen | {ref}) for ref in refs.get(start, ()) if ref in refs)

    return any(reaches(name, frozenset({name})) for name in refs)


def instance(schema: dict[str, Any], root: dict[str, Any] | None = None) -> Any:
    """A value of `schema` (the first choice wherever there is one): the fake's native reply."""
    root = root if root is not None else schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return instance({**(root.get("$defs") or {}), **(root.get("definitions") or {})}[name], root)
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if "anyOf" in schema:
        choices = [s for s in schema["anyOf"] if s.get("type") != "null"] or schema["anyOf"]
        return instance(choices[0], root)
    kind = schema.get("type")
    if kind == "object":
        return {name: instance(sub, root) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [instance(schema["items"], root)] if isinstance(schema.get("items"), dict) else []
    return {"string": "fake", "integer": 0, "number": 0.0, "boolean": False}.get(str(kind))


def tokens(text: str) -> int:
    """The fake's tokenizer: about 1.3 tokens a word."""
    return math.ceil(len(text.split()) * 1.3)


def min_cache_tokens(model: str, table: Mapping[str, int] | int | None = None) -> int:
    """The shortest prefix `model`'s cache keeps: `table` as an int for every model, else by id."""
    if isinstance(table, int):
        return table
    table = MIN_CACHE_TOKENS if table is None else table
    names = [name for name in table if model == name or model.startswith(name + "-")]
    return table[max(names, key=len)] if names else DEFAULT_MIN_CACHE_TOKENS


def usage(body: dict[str, Any], output: str, cache: set[str], minimum: int) -> dict[str, int]:
    """The reply's usage. A marked prefix seen before is read; a new one long enough is written
    (and remembered in `cache`); the rest of the input is plain input."""
    pieces = segments(body)
    total = sum(tokens(text) for text, _ in pieces)
    read = write = prefix = 0
    digest = hashlib.sha256(str(body.get("model", "")).encode())
    for text, marked in pieces:
        digest.update(text.encode())
        prefix += tokens(text)
        if not marked:
            continue
        key = digest.hexdigest()
        if key in cache:
            read, write = prefix, 0
        elif prefix >= minimum:
            cache.add(key)
            write = prefix - read
    return {
        "input_tokens": total - read - write,
        "output_tokens": max(1, tokens(output)),
        "cache_read_input_tokens": read,
        "cache_creation_input_tokens": write,
    }


def segments(body: dict[str, Any]) -> list[tuple[str, bool]]:
    """The prompt as (text, marked with cache_control) pieces, in the order the API caches them:
    the output format's own system prompt (its schema), the system blocks, then the turns."""
    pieces: list[tuple[str, bool]] = []
    form = (body.get("output_config") or {}).get("format")
    if form:
        pieces.append((json.dumps(form.get("schema"), sort_keys=True), False))
    system = body.get("system") or []
    for block in [{"text": system}] if isinstance(system, str) else system:
        pieces.append((block.get("text", ""), block.get("cache_control") is not None))
    for message in body.get("messages", []):
        content = message.get("content", "")
        for block in [{"text": content}] if isinstance(content, str) else content:
            pieces.append((text_of(block), block.get("cache_control") is not None))
    return pieces


def text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return " ".join(text_of(block) for block in content)
