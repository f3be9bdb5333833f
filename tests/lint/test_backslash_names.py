"""A `\\` in a file name is part of the name where the platform's separator is `/`.

Linux and macOS allow `a\\b.md` (Obsidian keeps the operating system's own limits on names; see
docs/obsidian.md, "Which files are part of the vault"), and a vault synced from there holds it.
Every report format prints such a path as the file's, and lint's findings for it are found on it.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest

from kbsleep.cli import main
from kbsleep.lint.formats.common import posix
from tests.lint.support import lint_wiki

pytestmark = pytest.mark.skipif(os.sep != "/", reason="a backslash is a separator here, never part of a name")

NAMED = "notes\\draft.md"  # one file named `notes\draft.md` at the root, not `draft.md` in `notes/`
FOLDER = "2026\\Q1/plan.md"  # `plan.md` in a folder named `2026\Q1`
VAULT = {
    "index.md": "# Index\n\n- [[notes\\draft]]\n- [[notes\\draft#Nowhere]]\n- [[plan]]\n",
    NAMED: "# Draft\n\nSee [[Missing page]].\n",
    FOLDER: "# Plan\n\nBack to [[index]], then [[Gone]].\n",
}


def lint_output(root: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    main(["--wiki", str(root), "lint", "--output-format", fmt])
    return capsys.readouterr().out


def test_findings_are_on_the_file_whose_name_holds_the_backslash(make_repo) -> None:
    found = {(d.name, d.path, d.location.line) for d in lint_wiki(make_repo(VAULT)).diagnostics}
    assert found == {
        ("broken-link", NAMED, 3),
        ("broken-anchor", "index.md", 4),
        ("broken-link", FOLDER, 3),
    }  # `[[notes\draft]]` opens the file named so: it is not broken, and the file is no orphan


def test_the_anchor_finding_names_the_file_as_it_is(make_repo) -> None:
    (anchor,) = (d for d in lint_wiki(make_repo(VAULT)).diagnostics if d.name == "broken-anchor")
    assert anchor.message == "heading `Nowhere` not found in notes\\draft.md"


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_text_formats_print_the_path_as_it_is(make_repo, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    text = lint_output(make_repo(VAULT), fmt, capsys)
    assert "notes\\draft.md:3:5: KB101" in text
    assert "2026\\Q1/plan.md:3:" in text
    assert "notes/draft.md" not in text and "2026/Q1" not in text


def test_json_carries_the_real_path(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    findings = json.loads(lint_output(make_repo(VAULT), "json", capsys))
    assert sorted({f["filename"] for f in findings}) == [FOLDER, "index.md", NAMED]


def test_json_lines_carries_the_real_path(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    lines = lint_output(make_repo(VAULT), "json-lines", capsys).splitlines()
    assert sorted({json.loads(line)["filename"] for line in lines}) == [FOLDER, "index.md", NAMED]


def test_sarif_uri_decodes_to_the_real_path(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    sarif = json.loads(lint_output(make_repo(VAULT), "sarif", capsys))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "notes%5Cdraft.md" in uris  # a backslash is no URI character: it is percent-encoded
    assert sorted(unquote(uri) for uri in uris) == [FOLDER, "index.md", NAMED]


def test_github_annotations_name_the_real_file(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    text = lint_output(make_repo(VAULT), "github", capsys)
    assert "::error file=notes\\draft.md,line=3,col=5," in text
    assert "::error file=2026\\Q1/plan.md,line=3," in text


def test_junit_groups_findings_by_the_real_file(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    suites = ET.fromstring(lint_output(make_repo(VAULT), "junit", capsys))
    assert sorted(case.get("name") for case in suites.iter("testcase")) == [FOLDER, "index.md", NAMED]


def test_only_a_backslash_separator_is_turned_into_a_slash() -> None:
    assert posix("a\\b.md", sep="/") == "a\\b.md"
    assert posix("notes\\a\\b.md", sep="\\") == "notes/a/b.md"  # on Windows it separates folders
    assert posix("notes/a.md", sep="\\") == "notes/a.md"
