"""A run-time check of a value against the anthropic SDK's typed params (TypedDicts).

It stands in for a type checker over `kbsleep/llm/` (mypy takes ~10 s cold here, most of the
suite's margin): the bodies kbsleep really sends are checked against the SDK's own types,
`MessageCreateParamsNonStreaming` and the batch `Request`, key by key and value by value.
"""

from __future__ import annotations

import collections.abc
import types
import typing
from typing import Any

import typing_extensions

WRAPPERS = {typing_extensions.Required, typing_extensions.NotRequired, typing_extensions.ReadOnly}


def problems(value: Any, annotation: Any, where: str = "body") -> list[str]:
    """Every way `value` does not fit `annotation` ("where: why"); empty when it fits."""
    origin = typing_extensions.get_origin(annotation)
    args = typing_extensions.get_args(annotation)
    if annotation in (Any, object):
        return []
    if origin in WRAPPERS or origin is typing_extensions.Annotated:
        return problems(value, args[0], where)
    if typing_extensions.is_typeddict(annotation):
        return _typed_dict(value, annotation, where)
    if origin in (typing.Union, types.UnionType):
        found = [problems(value, arg, where) for arg in args]
        if any(not f for f in found):
            return []
        return [f"{where}: fits none of {annotation}: " + "; ".join(f[0] for f in found)]
    if origin in (typing.Literal, typing_extensions.Literal):
        return [] if value in args else [f"{where}: {value!r} is not one of {args}"]
    if annotation is type(None):
        return [] if value is None else [f"{where}: {value!r} is not None"]
    if origin in (dict, collections.abc.Mapping) or annotation is dict:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__} is not a dict"]
        item = args[1] if args else Any
        return [p for key, sub in value.items() for p in problems(sub, item, f"{where}.{key}")]
    if origin in (list, collections.abc.Iterable, collections.abc.Sequence) or _sequence_not_str(annotation):
        if not isinstance(value, (list, tuple)):
            return [f"{where}: {type(value).__name__} is not a list"]
        item = args[0] if args else Any
        return [p for n, sub in enumerate(value) for p in problems(sub, item, f"{where}.{n}")]
    if annotation is bool:
        return [] if isinstance(value, bool) else [f"{where}: {value!r} is not a bool"]
    if annotation in (int, float):
        fits = isinstance(value, (int, float) if annotation is float else int) and not isinstance(value, bool)
        return [] if fits else [f"{where}: {value!r} is not {annotation.__name__}"]
    if annotation is str:
        return [] if isinstance(value, str) else [f"{where}: {value!r} is not a str"]
    if isinstance(annotation, type):
        return [] if isinstance(value, annotation) else [f"{where}: {value!r} is not {annotation.__name__}"]
    raise TypeError(f"{where}: no check for {annotation!r}")  # extend the checker, never pass it


def _typed_dict(value: Any, annotation: Any, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: {type(value).__name__} is not a dict"]
    hints = typing_extensions.get_type_hints(annotation, include_extras=True)
    # `__required_keys__` misses `Required[...]` written as a string annotation on some Pythons
    required = {k for k, hint in hints.items() if typing_extensions.get_origin(hint) is typing_extensions.Required}
    required |= set(annotation.__required_keys__)
    found = [f"{where}.{key}: not a key of {annotation.__name__}" for key in value if key not in hints]
    found += [f"{where}.{key}: required by {annotation.__name__}" for key in sorted(required) if key not in value]
    for key, sub in value.items():
        if key in hints:
            found += problems(sub, hints[key], f"{where}.{key}")
    return found


def _sequence_not_str(annotation: Any) -> bool:
    return getattr(typing_extensions.get_origin(annotation) or annotation, "__name__", "") == "SequenceNotStr"
