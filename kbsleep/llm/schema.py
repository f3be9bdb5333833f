"""A pydantic model as the JSON Schema that native structured output accepts.

The Messages API constrains decoding to `output_config.format.schema`, a subset of JSON Schema
(Anthropic's structured-outputs documentation): every object closed with
`additionalProperties: false`; `type`, `properties`, `required`, `items`, `enum`, `const`,
`anyOf`, `allOf`, local `$ref`/`$defs`, `description` and a few string `format`s; `minItems` of
0 or 1 only. No numeric or length bounds (`minimum`, `maxLength`, ...), and at most 24 optional
properties over the whole schema.

So: every property is required (the model always writes each field, and a pydantic default
stays a default for the prompt form and the offline engine), keywords the API does not take
are dropped and spelled out in the description instead, and pydantic's `title`s and `default`s
are left out. Validation with the pydantic model stays: it still enforces what the schema
could only describe (`line >= 0`).
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

# Keywords kept as they are; anything else is an unsupported constraint (moved to the
# description) or an annotation the model does not need (dropped).
STRUCTURAL = ("type", "properties", "required", "additionalProperties", "items", "enum", "const",
              "anyOf", "allOf", "$ref", "$defs", "description", "format", "minItems")  # fmt: skip
DROPPED = ("title", "default", "examples")
STRING_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)


@functools.lru_cache(maxsize=64)
def _cached(schema: type[BaseModel]) -> str:
    root = strict(schema.model_json_schema())
    # A model's description is its class docstring, written for kbsleep's developers; the
    # model reads the instructions and the fields' own descriptions instead.
    for node in (root, *root.get("$defs", {}).values()):
        node.pop("description", None)
    return json.dumps(root)  # property order is the order the model writes


def native_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """`schema` as `output_config.format.schema`: a fresh dict on every call (callers may keep it)."""
    return json.loads(_cached(schema))  # type: ignore[no-any-return]


def strict(node: dict[str, Any]) -> dict[str, Any]:
    """One JSON Schema node in the form native structured output accepts (see the module doc)."""
    out: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in node.items():
        if key in DROPPED:
            continue
        if key == "$defs":
            out[key] = {name: strict(sub) for name, sub in value.items()}
        elif key == "properties":
            out[key] = {name: strict(sub) for name, sub in value.items()}
        elif key in ("anyOf", "allOf"):
            out[key] = [strict(sub) for sub in value]
        elif key == "oneOf":  # pydantic's discriminated unions; the API takes anyOf
            out["anyOf"] = [strict(sub) for sub in value]
        elif key == "items" and isinstance(value, dict):
            out[key] = strict(value)
        elif key == "format" and value not in STRING_FORMATS:
            notes.append(f"format: {value}")
        elif key == "minItems" and value not in (0, 1):
            notes.append(f"at least {value} items")
        elif key in STRUCTURAL:
            out[key] = value
        else:
            notes.append(f"{key}: {json.dumps(value)}")
    if out.get("type") == "object" or "properties" in out:
        out["required"] = list(out.get("properties", {}))
        out["additionalProperties"] = False
    if notes:
        described = out.get("description", "")
        out["description"] = (described + " " if described else "") + "(" + "; ".join(notes) + ")"
    return out
