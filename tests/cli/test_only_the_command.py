"""The CLI builds only the command a command line runs (`commands.common.only_the_command`),
and says exactly what the whole app would: same output, same exit code."""

from __future__ import annotations

import pytest
import typer.main

from kbsleep import cli
from kbsleep.commands import common


def built(args: list[str]) -> list[str] | None:
    """The commands of the app built for `args`; None for the whole app."""
    chosen = common.only_the_command(cli.app, args)
    if chosen is cli.app:
        return None
    return sorted(typer.main.get_command(chosen).commands)  # type: ignore[attr-defined]


def test_what_it_knows_of_the_global_options_is_what_the_cli_declares() -> None:
    group = typer.main.get_command(cli.app)
    taking_values = {name for p in group.params if not getattr(p, "is_flag", True) for name in p.opts}
    assert taking_values == set(common.GLOBAL_VALUES)
    assert common.SHORT_HELP in cli.app.info.context_settings["help_option_names"]


@pytest.mark.parametrize(("args", "commands"), [
    (["ask", "When?"], ["ask"]),
    (["lint", "--staged"], ["lint"]),
    (["sleep", "--yes"], ["sleep"]),  # declared as `sleep_command`, named "sleep"
    (["index"], ["index"]),
    (["--wiki", "lint", "ask", "When?"], ["ask"]),  # a wiki folder named like a command
    (["-w", "lint", "ask", "When?"], ["ask"]),
    (["-qw", "lint", "ask", "When?"], ["ask"]),
    (["-wlint", "ask", "When?"], ["ask"]),
    (["--wiki=lint", "-q", "--no-color", "ask", "When?"], ["ask"]),
    (["ask", "--help"], ["ask"]),  # the command's own help needs no other command
    (["--help", "ask"], None),  # the group's help lists every command
    (["-h"], None),
    (["-qh", "ask"], None),
    (["--version", "ask"], None),
    (["hook", "install"], None),  # a group of commands
    (["lnt"], None),  # no such command: the whole app says so, with its suggestions
    (["--", "ask"], None),
    ([], None),
])  # fmt: skip
def test_the_command_a_command_line_runs_is_built_alone(args: list[str], commands: list[str] | None) -> None:
    assert built(args) == commands


@pytest.mark.parametrize("args", [
    ["ask", "--help"],
    ["ask"],  # a missing argument
    ["lint", "--bogus"],
    ["rule", "KB103"],
    ["rule"],
    ["--wiki", "nowhere", "status"],
    ["-q", "rule", "alias-link"],
    ["--bogus", "lint"],
])  # fmt: skip
def test_the_command_built_alone_says_what_the_whole_app_says(args: list[str], capsys, monkeypatch) -> None:
    assert built(args) is not None
    code = cli.main(list(args))
    alone = (code, capsys.readouterr())
    monkeypatch.setattr(common, "only_the_command", lambda app, args: app)
    code = cli.main(list(args))
    assert alone == (code, capsys.readouterr())
