"""A file name that holds a newline, a tab or another control character is printed as git prints
it: in double quotes, with C escapes (`"new\\nline.md"`, `"esc\\033[31m.md"`). Every finding
of a text format stays on its own line and names its file; the data formats (JSON, SARIF, JUnit's
attributes, GitHub's properties) carry the real name in their own escapes.

Linux and macOS allow any character but `/` and NUL in a name; a vault synced from a script, or
unpacked from an archive, can hold such a file.
"""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from kbsleep.cli import main
from kbsleep.lint.formats.common import quote_path
from kbsleep.report import printable

pytestmark = pytest.mark.skipif(os.name == "nt", reason="Windows forbids control characters in file names")

NAMES = ("new\nline.md", "tab\there.md", "esc\x1b[31mred.md", "bell\x07and\rreturn.md", "two\nlines/page.md", "in\u202eside.md")
VAULT = {name: f"# Page {i}\n\nSee [[Missing {i}]].\n" for i, name in enumerate(NAMES)}


def lint_output(root: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    main(["--wiki", str(root), "lint", "--output-format", fmt])
    return capsys.readouterr().out


def git_names(root: Path) -> dict[str, str]:
    """Each file's real name -> the name `git ls-files` prints for it: git's own quoting, by its
    default `core.quotePath` (which also quotes the bidi control as the octal of its bytes)."""
    def run(*args: str) -> str:  # bytes, decoded by hand: text mode would read a lone CR as a newline
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout.decode("utf-8")

    printed = run("ls-files").split("\n")[:-1]
    real = run("ls-files", "-z").split("\0")[:-1]
    return dict(zip(real, printed))


@pytest.fixture
def repo(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo(VAULT)


def test_concise_prints_one_line_per_finding_each_named_as_git_names_the_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    findings = json.loads(lint_output(repo, "json", capsys))
    lines = lint_output(repo, "concise", capsys).splitlines()
    assert len(lines) == len(findings) == 2 * len(NAMES)  # a broken link and an orphan each
    quoted = git_names(repo)
    assert sorted(quoted) == sorted(NAMES)
    for finding, line in zip(findings, lines):
        assert line.startswith(f"{quoted[finding['filename']]}:{finding['location']['row']}:{finding['location']['column']}: {finding['code']} ")


def test_full_keeps_each_finding_on_its_lines_and_names_the_file_in_its_message_as_in_its_location(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = lint_output(repo, "full", capsys)
    quoted = git_names(repo)
    headers = [line for line in text.splitlines() if line and not line.startswith((" ", "|")) and not line[0].isdigit()]
    assert len(headers) == 2 * len(NAMES) + 1  # a header line per finding, then the summary
    for name in NAMES:
        assert f"{quoted[name]}:1:1: KB201 [orphan-page] warning: no page links to {quoted[name]}" in headers
        assert f"{quoted[name]}:3:5: KB101 [broken-link] error: broken link:" in "\n".join(headers)
    assert "\x1b" not in text and "\a" not in text and "\u202e" not in text


def test_a_name_without_control_characters_is_printed_as_it_is() -> None:
    for name in ("notes/plain name.md", "Café Zoë.md", "a\\b.md", 'say "hi".md', "東京.md"):
        assert quote_path(name) == name
    assert quote_path('"quoted".md') == '"\\"quoted\\".md"'  # would read as a quoted name
    assert quote_path("a\\b\n.md") == '"a\\\\b\\n.md"'  # inside quotes, a backslash is escaped


def test_data_formats_carry_the_real_name(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert {f["filename"] for f in json.loads(lint_output(repo, "json", capsys))} == set(NAMES)
    assert {json.loads(line)["filename"] for line in lint_output(repo, "json-lines", capsys).splitlines()} == set(NAMES)
    sarif = json.loads(lint_output(repo, "sarif", capsys))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert {unquote(uri) for uri in uris} == set(NAMES)


def test_github_annotations_are_one_line_each(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = lint_output(repo, "github", capsys).splitlines()
    assert len(lines) == 2 * len(NAMES) and all(line.startswith("::") for line in lines)
    assert "::warning file=new%0Aline.md,line=1,col=1," in lines[[i for i, line in enumerate(lines) if "new%0Aline" in line][0]]


def test_junit_names_the_cases_by_the_real_name_and_quotes_it_in_the_text(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suites = ET.fromstring(lint_output(repo, "junit", capsys))
    assert {case.get("name") for case in suites.iter("testcase")} == {printable(name) for name in NAMES}  # XML cannot hold ESC
    quoted = git_names(repo)
    firsts = [(failure.text or "").splitlines()[0] for failure in suites.iter("failure")]
    assert len(firsts) == 2 * len(NAMES)
    assert {name for name in NAMES for first in firsts if first.startswith(quoted[name] + ":")} == set(NAMES)
