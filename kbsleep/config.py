"""Frozen configuration: defaults, then the config file, then command-line overrides.

The file is the first of `kbsleep.toml`, `.kbsleep.toml` in the wiki root, or the
`[tool.kbsleep]` table of the nearest `pyproject.toml` (searched from the wiki root up to the
git work tree's top). Keys are kebab-case in TOML and snake_case here; an unknown key or a
value of the wrong type is a `KbsleepError` naming the file and the key.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from kbsleep.errors import KbsleepError

CONFIG_NAMES = ("kbsleep.toml", ".kbsleep.toml")


@dataclass(frozen=True)
class LinksConfig:
    resolve: typing.Literal["obsidian", "titles"] = "obsidian"


@dataclass(frozen=True)
class LintConfig:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    required_frontmatter: tuple[str, ...] = ()
    orphan_exempt: tuple[str, ...] = ("index.md", "log.md", "inbox/**")
    templates: tuple[str, ...] = ()  # globs of template pages, besides Obsidian's and Templater's templates folders
    fail_on: typing.Literal["error", "warning", "judgement"] = "error"
    output_format: typing.Literal[
        "full", "concise", "json", "json-lines", "github", "sarif", "junit"
    ] = "full"


@dataclass(frozen=True)
class LLMConfig:
    engine: typing.Literal["auto", "anthropic", "offline"] = "auto"
    model: str = "claude-haiku-4-5"
    consolidate_model: str = "claude-sonnet-4-6"
    concurrency: int = 4
    timeout: float = 60.0
    max_retries: int = 2
    # The run's circuit breaker: after this many requests in a row got no reply (each after its
    # retries), stop calling and report the rest as not done; 0 never stops.
    max_failures_in_a_row: int = 5
    max_tokens: int = 2048
    # How a task's JSON schema is sent: "native" as output_config.format, "prompt" in the system
    # prompt, "auto" native until the endpoint rejects it (then the prompt form, remembered).
    structured: typing.Literal["auto", "native", "prompt"] = "auto"
    prices: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    hook_timeout: float = 10.0  # seconds per call when run from a git hook
    batch: bool = False  # send sleep-time work as Message Batches (half price, results later)
    max_cost_usd: float = 0.0  # default budget per run; 0 = no limit
    max_run_tokens: int = 0  # default token budget per run; 0 = no limit
    poll_interval: float = 10.0  # seconds between batch status checks with --wait


@dataclass(frozen=True)
class AnticipateConfig:
    questions: int = 8  # questions per page, at most
    max_answer_chars: int = 1000  # a longer model answer is dropped (the page's own cap is max-page-bytes)
    exclude: tuple[str, ...] = ("index.md", "log.md", "inbox/**")  # pages that get no Q&A section
    linked_pages: int = 8  # pages a page links to that go with it as context (and citable sources), at most
    store: typing.Literal["page", "sidecar"] = "page"  # where the answers live: in each page, or in a file of their own
    sidecar_folder: str = "_kbsleep/answers"  # with store = "sidecar": one file per page here, at the page's path

    @property
    def sidecar_prefix(self) -> str:
        """The sidecar folder as a path prefix ("_kbsleep/answers/"): never pages of the wiki."""
        return self.sidecar_folder.strip("/") + "/"

    def sidecar(self, page: str) -> str:
        """The file that keeps the answers of `page` when `store` is "sidecar"."""
        return self.sidecar_prefix + page


@dataclass(frozen=True)
class AskConfig:
    context_tokens: int = 4000  # retrieval budget for a model-written answer
    fast_path_score: float = 0.5  # how well an anticipated question must match to be served as is
    min_coverage: float = 0.25  # without vectors: share of the question's weight the answering passage and its place must hold


@dataclass(frozen=True)
class SummariesConfig:
    """Per-section summaries, written at sleep time for `ask`'s model path (see `kbsleep.search.summaries`)."""

    # extractive: offline, at every index; model: `sleep` also has the model summarise long
    # sections (`min-words`); off: none, and `ask` sends a model raw sections only
    method: typing.Literal["extractive", "model", "off"] = "extractive"
    min_words: int = 80  # with method = "model": shorter sections keep their extractive summary
    max_words: int = 60  # with method = "model": the longest summary the model is asked for


@dataclass(frozen=True)
class EmbeddingsConfig:
    """Vectors for `ask`'s retrieval and fast path (see `kbsleep.search.vectors`)."""

    backend: typing.Literal["auto", "static", "endpoint", "off"] = "auto"  # auto: static when installed, else off
    url: str = ""  # endpoint: the OpenAI-compatible API base, e.g. "http://localhost:11434/v1"
    model: str = ""  # endpoint: the embedding model's name
    api_key_env: str = ""  # endpoint: an environment variable holding its bearer token, if it needs one
    timeout: float = 30.0  # endpoint: seconds per request


@dataclass(frozen=True)
class ConsolidateConfig:
    archive: str = "inbox/archive"  # where folded inbox notes move
    max_shrink: float = 0.5  # reject a rewrite that loses more than this share of a page
    index_group: typing.Literal["folder", "tag", "type"] = "folder"  # how the index catalogue groups pages


@dataclass(frozen=True)
class DeepConfig:
    max_candidates: int = 200  # section groups judged per run, at most
    max_section_chars: int = 3000  # characters of one section shown to the model, at most


@dataclass(frozen=True)
class Config:
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()  # globs of files Obsidian sets aside (hidden `.` names, Excluded files) to judge anyway
    # Globs of pages kbsleep reads and never writes, gitignore-style as `exclude`: an LLM wiki's
    # immutable sources (`raw/`, at any depth). They stay pages: linted, searched, link targets.
    read_only: tuple[str, ...] = ("raw/",)
    max_page_bytes: int = 5_000_000
    max_pages_per_run: int = 500  # a pass that would change more asks first (or writes this many); 0 = no limit
    index_page: str = "index.md"
    log_page: str = "log.md"
    inbox: str = "inbox"
    links: LinksConfig = field(default_factory=LinksConfig)
    lint: LintConfig = field(default_factory=LintConfig)
    llm: LLMConfig = field(default_factory=LLMConfig)
    anticipate: AnticipateConfig = field(default_factory=AnticipateConfig)
    ask: AskConfig = field(default_factory=AskConfig)
    embeddings: EmbeddingsConfig = field(default_factory=EmbeddingsConfig)
    summaries: SummariesConfig = field(default_factory=SummariesConfig)
    consolidate: ConsolidateConfig = field(default_factory=ConsolidateConfig)
    deep: DeepConfig = field(default_factory=DeepConfig)
    source: Path | None = None  # the file the values came from, if any
    # The keys the config file or the command line set, snake_case, a section's dotted
    # ("index_page", "lint.select"): a default and a value written out are the same value, but only the second
    # is a request (consolidate creates the index and log pages only when asked). Not in the
    # repr, which keys lint's result cache: a set's order differs from one process to the next.
    given: frozenset[str] = field(default=frozenset(), repr=False)


def find_config_file(root: Path, top: Path | None = None) -> tuple[Path, Mapping[str, Any]] | None:
    """Return the config file that applies to the wiki at `root` and its kbsleep table."""
    for name in CONFIG_NAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate, _read_toml(candidate)
    for folder in (root, *root.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            table = _read_toml(candidate).get("tool", {}).get("kbsleep")
            if table is not None:
                return candidate, table
        if top is not None and folder == top:
            break
    return None


def load_config(
    root: Path, overrides: Mapping[str, Any] | None = None, top: Path | None = None
) -> Config:
    """Defaults, then the config file, then `overrides` (TOML-shaped: {"lint": {"select": [...]}})."""
    found = find_config_file(root, top)
    config = Config()
    if found is not None:
        path, table = found
        config = _merge(config, table, str(path), "")
        config = dataclasses.replace(config, source=path, given=_keys(table))
    if overrides:
        config = _merge(config, overrides, "the command line", "")
        config = dataclasses.replace(config, given=config.given | _keys(overrides))
    _check_folder(config.anticipate.sidecar_folder, str(config.source or "the command line"), "anticipate.sidecar-folder")
    return config


def _check_folder(folder: str, origin: str, key: str) -> None:
    """A folder setting must name a folder inside the wiki that is not kbsleep's or git's state."""
    parts = [p for p in folder.strip("/").split("/") if p]
    if not parts or folder.startswith("/") or "\\" in folder or any(p in (".", "..") for p in parts) or parts[0] in (".git", ".kbsleep"):
        raise KbsleepError(f"{origin}: `{key}` must be a folder inside the wiki (such as \"_kbsleep/answers\"), not {folder!r}")


def _keys(table: Mapping[str, Any]) -> frozenset[str]:
    """The keys a checked table sets, as `Config.given` names them: a section's keys dotted."""
    defaults = Config()
    keys: set[str] = set()
    for key, value in table.items():
        name = key.replace("-", "_")
        if dataclasses.is_dataclass(getattr(defaults, name)):  # a section ([lint]) sets its keys, if any
            keys |= {f"{name}.{inner.replace('-', '_')}" for inner in value}
        else:
            keys.add(name)
    return frozenset(keys)


def _read_toml(path: Path) -> dict[str, Any]:
    # The TOML parser is imported when there is a file to read: its import (and the patterns it
    # compiles) costs a warm `ask` on a wiki without one 1% of its instructions.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise KbsleepError(f"{path}: invalid TOML: {exc}") from None


def _merge(obj: Any, table: Mapping[str, Any], origin: str, prefix: str) -> Any:
    """Return a copy of dataclass `obj` with the values of `table`, checked against its types."""
    if not isinstance(table, Mapping):
        raise KbsleepError(f"{origin}: `{prefix.rstrip('.')}` must be a table")
    fields = {f.name: f for f in dataclasses.fields(obj) if f.name not in ("source", "given")}
    hints = typing.get_type_hints(type(obj))
    changes: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        dotted = f"{prefix}{key}"
        if name not in fields:
            known = ", ".join(sorted(f.replace("_", "-") for f in fields))
            raise KbsleepError(f"{origin}: unknown config key `{dotted}` (known: {known})")
        current = getattr(obj, name)
        if dataclasses.is_dataclass(current):
            changes[name] = _merge(current, value, origin, dotted + ".")
        else:
            changes[name] = _coerce(value, hints[name], origin, dotted)
    return dataclasses.replace(obj, **changes)


def _coerce(value: Any, hint: Any, origin: str, key: str) -> Any:
    """Check `value` against the type `hint`; lists become tuples, tables stay mappings."""
    base = typing.get_origin(hint)
    args = typing.get_args(hint)
    if base is typing.Literal:
        if value not in args:
            allowed = ", ".join(repr(a) for a in args)
            raise KbsleepError(f"{origin}: `{key}` must be one of {allowed}, not {value!r}")
        return value
    if base is tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise KbsleepError(f"{origin}: `{key}` must be a list of strings")
        return tuple(value)
    if base in (Mapping, dict) or base is typing.get_origin(Mapping[str, str]):
        if not isinstance(value, Mapping):
            raise KbsleepError(f"{origin}: `{key}` must be a table")
        return {str(k): _coerce(v, args[1], origin, f"{key}.{k}") for k, v in value.items()}
    if hint is bool:
        if not isinstance(value, bool):
            raise KbsleepError(f"{origin}: `{key}` must be true or false")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise KbsleepError(f"{origin}: `{key}` must be a number")
        return float(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise KbsleepError(f"{origin}: `{key}` must be an integer")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise KbsleepError(f"{origin}: `{key}` must be a string")
        return value
    raise TypeError(f"unsupported config type for {key}: {hint!r}")  # a bug in Config, not input
