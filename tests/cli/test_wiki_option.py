"""`--wiki PATH` works before the command and after it, on every command that reads a wiki."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbsleep.cli import main

CLEAN = {"index.md": "# Index\n\n- [[A]]\n", "A.md": "# A\n\nBack to [[index]].\n\nThe moon has craters.\n"}


@pytest.mark.parametrize("args", [["status", "--json"], ["stats", "--json"], ["index"], ["ask", "--json", "--no-log", "What has craters?"]])
def test_wiki_after_the_command_is_the_same_as_before_it(args: list[str], make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(CLEAN)
    assert main(["--wiki", str(root), *args]) == 0
    before = capsys.readouterr().out
    assert main([*args, "--wiki", str(root)]) == 0
    after = capsys.readouterr().out
    if args[0] == "ask":
        assert json.loads(before)["answer"] == json.loads(after)["answer"] and json.loads(after)["citations"][0]["path"] == "A.md"
    elif args[0] == "index":
        assert before.startswith("index ") and after.startswith("index updated: 0 pages indexed, 0 removed; 1 page, 1 section, ")
    else:
        assert before == after


def test_a_missing_wiki_folder_is_an_error_with_a_hint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (["ask", "q"], ["status"], ["undo"], ["index"], ["hook", "uninstall"]):
        assert main([*command, "--wiki", str(tmp_path / "nowhere")]) == 2
        err = capsys.readouterr().err
        assert err == f"error: wiki folder not found: {tmp_path / 'nowhere'}\n  hint: pass the wiki's folder with --wiki PATH\n", command
