"""kbsleep's advice in the terms of an agent's tools (`kbsleep mcp`).

kbsleep's hints and notes are written for a terminal: "run `kbsleep consolidate --only index`",
"use --dry-run". An agent calling the MCP tools has those commands as tools and their options as
arguments: it reads "call the `consolidate` tool with `only: ["index"]`" and "`dry_run: true`".
`for_agent` rewrites the commands and options the tools take, by the table below (a command's
quoted argument too: `kbsleep ask "..."` is `question: "..."`; an option to leave out is the
argument's name, "without `staged`"; a terminal's "run kbsleep again" is "call the tool again"); a command no
tool runs (`kbsleep undo`, `kbsleep index --rebuild`) stays as written, for a terminal, and an
option of the server's own command line (`--engine`) is said to be the server's.
"""

from __future__ import annotations

import json
import re
from typing import Any

# The commands a tool runs: command -> (tool, its options -> (argument, "flag" or "list")).
TOOLS: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "ask": ("ask", {}),
    "lint": ("lint", {"--staged": ("staged", "flag")}),
    "status": ("status", {}),
    "anticipate": ("anticipate", {"--dry-run": ("dry_run", "flag"), "--force": ("force", "flag")}),
    "consolidate": ("consolidate", {"--only": ("only", "list"), "--dry-run": ("dry_run", "flag")}),
}
POSITIONAL = {"ask": "question"}  # a command's quoted argument -> the tool's argument
WRITE_TOOLS = ("anticipate", "consolidate")  # only on a server started with --allow-writes
SERVER_OPTIONS = ("--engine",)  # options of `kbsleep mcp` itself: set when the server starts
ADVICE = frozenset({"hint", "note", "summary", "reason", "stopped"})  # the result fields kbsleep writes as advice

_COMMAND = re.compile(r'(?:\b(?P<verb>run|use|try)\s+)?`(?P<kbsleep>kbsleep\s+)?(?P<command>[a-z]+)(?P<options>(?:\s+--?[a-z][\w-]*(?:\s+[^`\s-][^`\s]*)?)*)(?:\s+"(?P<positional>[^"`]*)")?`')
_OPTION = re.compile(r"(--?[a-z][\w-]*)(?:\s+([^`\s-][^`\s]*))?")
# "without `--staged`": the argument's name alone (`staged: true` is what to leave out, not to pass)
_WITHOUT = re.compile(r"\bwithout `(?P<flag>--[a-z][\w-]*)`")
# A terminal's "run it again": the agent calls the tool again.
_AGAIN = re.compile(r"\brun (?:kbsleep|the command|the pass)(?: again)?\b|\brun again\b")
_FLAG = re.compile(r"(?P<tick>`?)(?<![\w-])(?<!mcp )(?P<flag>--[a-z][\w-]*)(?:\s+(?P<value>[^`\s-][^`\s,;)]*))?(?P=tick)")


def for_agent(text: str, writes: bool) -> str:
    """`text` (a hint, a note, an error) with each command a tool runs said as that tool's call,
    and each option a tool takes as its argument; `writes`: the server has the write tools."""
    text = _COMMAND.sub(lambda found: _call(found, writes), text)
    text = _WITHOUT.sub(_left_out, text)
    text = _AGAIN.sub("call the tool again", text)
    return _FLAG.sub(_argument, text)


def advice_for_agent(data: Any, writes: bool) -> Any:
    """`data` (a tool's result) with its advice fields (`ADVICE`) said for the agent, at any depth."""
    if isinstance(data, dict):
        return {key: for_agent(value, writes) if key in ADVICE and isinstance(value, str) else advice_for_agent(value, writes) for key, value in data.items()}
    if isinstance(data, list):
        return [advice_for_agent(item, writes) for item in data]
    return data


def _call(found: re.Match[str], writes: bool) -> str:
    command, positional = found.group("command"), found.group("positional")
    entry = TOOLS.get(command)
    options = _OPTION.findall(found.group("options"))
    if not (found.group("kbsleep") or options or found.group("verb")):
        return found.group(0)  # a bare `status` may be a word of the page's, not the command
    if entry is None or any(option not in entry[1] for option, _ in options) or (positional is not None and command not in POSITIONAL):
        return found.group(0)  # a command, or an option, no tool has: for a terminal
    tool, takes = entry
    arguments = [_value(takes[option], value) for option, value in options]
    if positional is not None:
        arguments.insert(0, f"`{POSITIONAL[command]}: {json.dumps(positional, ensure_ascii=False)}`")
    said = ("call " if found.group("verb") else "") + f"the `{tool}` tool" + (" with " + ", ".join(arguments) if arguments else "")
    if tool in WRITE_TOOLS and not writes:
        said += " (on a server started with `kbsleep mcp --allow-writes`)"
    return said


def _left_out(found: re.Match[str]) -> str:
    for _, takes in TOOLS.values():
        if found.group("flag") in takes:
            return f"without `{takes[found.group('flag')][0]}`"
    return found.group(0)


def _argument(found: re.Match[str]) -> str:
    flag, value = found.group("flag"), found.group("value")
    if flag in SERVER_OPTIONS:
        return f"a server started with `kbsleep mcp {flag}{' ' + value if value else ''}`"
    for _, takes in TOOLS.values():
        if flag in takes:
            shown = _value(takes[flag], value if takes[flag][1] == "list" else None)
            rest = f" {value}" if value and takes[flag][1] == "flag" else ""  # a flag takes no value: the word after is the text's
            return shown + rest
    return found.group(0)


def _value(argument: tuple[str, str], given: str | None) -> str:
    name, kind = argument
    if kind == "list":
        return f"`{name}: {json.dumps([part for part in (given or '').split(',') if part])}`"
    return f"`{name}: true`"
