"""`kbsleep --help` and every command's help: groups, exit codes, one metavar style, `--wiki` everywhere."""

from __future__ import annotations

import re

import pytest

from kbsleep.cli import app, main

WIKI_COMMANDS = ("lint", "status", "sleep", "consolidate", "anticipate", "undo", "ask", "index", "eval", "stats", "mcp", "init", "models")
HOOK_COMMANDS = ("install", "uninstall")


def help_of(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main([*args, "--help"]) == 0
    return capsys.readouterr().out


def test_the_commands_are_grouped_check_sleep_ask_set_up_in_that_order(capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys)
    panels = re.findall(r"╭─ (.+?) ─", text)
    assert panels == ["Options", "Check", "Sleep (write to the wiki, undoably)", "Ask", "Set up"]
    section = {name: text.split(f"╭─ {name} ")[1].split("╰")[0] for name in panels}
    assert all(f"│ {c} " in section["Check"] for c in ("lint", "rule", "status"))
    assert all(f"│ {c} " in section["Sleep (write to the wiki, undoably)"] for c in ("sleep", "consolidate", "anticipate", "undo"))
    assert all(f"│ {c} " in section["Ask"] for c in ("ask", "index", "eval", "stats", "mcp"))
    assert all(f"│ {c} " in section["Set up"] for c in ("init", "hook", "demo", "models"))


def test_the_exit_codes_are_in_the_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    text = " ".join(help_of(capsys).split())
    assert "Exit codes: 0 done, nothing found; 1 findings (lint) or pages skipped; 2 usage, config or tool error; 130 interrupted." in text


@pytest.mark.parametrize("command", [*WIKI_COMMANDS, *(f"hook {c}" for c in HOOK_COMMANDS)])
def test_every_command_that_reads_a_wiki_takes_wiki_after_the_command_too(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, *command.split())
    assert re.search(r"--wiki\s+-w\s+PATH\s", text), text


def _metavars(text: str) -> list[str]:
    """The placeholders a help text shows: in the usage line and in the options' type column."""
    return re.findall(r"<[^>]*>|\[x[<>]=?[^\]]*\]|\b(?:INTEGER|FLOAT|TEXT|FILENAME|DIRECTORY)\b(?: RANGE)?", text)


@pytest.mark.parametrize("command", sorted({*WIKI_COMMANDS, "rule", "demo", "hook install", "hook uninstall"}))
def test_help_shows_plain_placeholders_never_click_types_or_ranges(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_of(capsys, *command.split())
    # TEXT is ours (the question of `ask`), shown as its argument's name; click's TEXT type is not.
    shown = [m for m in _metavars(text) if not (m == "TEXT" and command == "ask")]
    assert shown == [], shown


def test_the_placeholders_are_the_same_words_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    words = set()
    for command in sorted({*WIKI_COMMANDS, "rule", "demo"}):
        text = help_of(capsys, command)
        words |= set(re.findall(r"│ +--[a-z-]+(?: +-[a-z])? +([A-Z]+)\b", text))
    assert words <= {"PATH", "REF", "N", "USD", "CODE", "TEXT", "ENGINE", "FORMAT", "TIER", "TASKS", "NAME"}, words


def test_a_count_below_one_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["anticipate", "--questions", "0"]) == 2
    assert "must be at least 1, not 0" in capsys.readouterr().err


def test_the_typer_app_declares_every_command_with_a_panel() -> None:
    panels = {c.name or c.callback.__name__: c.rich_help_panel for c in app.registered_commands}  # type: ignore[union-attr]
    assert all(panels.values()), panels
