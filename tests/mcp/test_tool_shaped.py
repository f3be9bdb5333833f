"""What the `lint` tool returns is shaped for the agent: each finding names its `page`, `line` and
`column` as `read` and `search` do (not the CLI's JSON, ruff's `filename` and `location.row`), with
only the fields it has, and its hint is said in the tools' terms: the `anticipate` tool to call, not
`kbsleep anticipate` to run. An error's hint too. The CLI says the same things in its own terms."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mcp.support import environment, make_wiki, serve

STALE = "<!-- kbsleep:{name} v=1 source=0000 body=0000 -->\n## Generated\n<!-- /kbsleep:{name} -->\n"
WIKI = {
    "index.md": "# Index\n\n- [[Kestrel Rover]]\n- [[Ada]]\n\n" + STALE.format(name="index"),
    "Kestrel Rover.md": "# Kestrel Rover\n\nThe rover landed in 2021.\n\n" + STALE.format(name="anticipate"),
    "people/Ada.md": "# Ada\n\nShe drove the [[Kestrel Rovr]] and met [[Nobody Here]].\n",
}
FIELDS = {"page", "line", "column", "code", "name", "severity", "message", "hint", "related", "fix"}


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_wiki(tmp_path_factory.mktemp("mcp-shaped") / "wiki", WIKI)


def cli_json(root: Path) -> list[dict[str, object]]:
    done = subprocess.run([sys.executable, "-m", "kbsleep", "--wiki", str(root), "lint", "--output-format", "json"], capture_output=True, text=True, env=environment(root.parent / "home"))
    return json.loads(done.stdout)


def test_findings_are_tool_shaped_and_hints_name_tools(root: Path) -> None:
    with serve(root, "--engine", "offline") as server:
        result = server.call("lint")
        findings = server.data("lint")["findings"]
    assert "\n" not in result.content[0].text  # type: ignore[union-attr]  # (one line of JSON)
    assert all(set(f) <= FIELDS for f in findings)
    assert [(f["page"], f["line"], f["code"]) for f in findings] == [(f["filename"], f["location"]["row"], f["code"]) for f in cli_json(root)]  # type: ignore[index]
    hints = {(f["page"], f["code"]): f.get("hint") for f in findings}
    assert hints[("Kestrel Rover.md", "KB501")] == "call the `anticipate` tool (on a server started with `kbsleep mcp --allow-writes`) to regenerate it"
    assert hints[("index.md", "KB501")] == 'call the `consolidate` tool with `only: ["index"]` (on a server started with `kbsleep mcp --allow-writes`) to regenerate it'
    (fixable,) = (f for f in findings if "fix" in f)
    (edit,) = fixable["fix"]
    line = WIKI[fixable["page"]].splitlines()[edit["line"] - 1]
    assert line[edit["column"] - 1 :].startswith(edit["old"]) and (edit["old"], edit["new"]) == ("[[Kestrel Rovr]]", "[[Kestrel Rover]]")
    assert "hint" not in next(f for f in findings if "Nobody Here" in f["message"])  # no hint, no `"hint": null`


def test_a_server_with_the_write_tools_names_them_plainly(root: Path) -> None:
    with serve(root, "--allow-writes", "--engine", "offline") as server:
        hints = [f.get("hint") for f in server.data("lint")["findings"] if f["code"] == "KB501"]
    assert hints == ["call the `anticipate` tool to regenerate it", 'call the `consolidate` tool with `only: ["index"]` to regenerate it']


def test_the_cli_says_the_commands_to_run(root: Path) -> None:
    hints = [f["hint"] for f in cli_json(root) if f["code"] == "KB501"]
    assert hints == ["run `kbsleep anticipate` to regenerate it", "run `kbsleep consolidate --only index` to regenerate it"]
