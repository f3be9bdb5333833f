"""Obsidian's own settings in `.obsidian/`: Excluded files and templates folders.

Excluded files (`userIgnoreFilters` in app.json) stay in the vault: links to them open them,
but nothing on them is judged. Templates folders (the core plugin's templates.json, Templater's
data.json, or `lint.templates`) hold pages whose links are checked and whose content is not.
A settings file that cannot be read is a warning, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.config import Config, LintConfig
from kbsleep.lint import Selection, lint
from kbsleep.obsidian import VaultSettings, is_placeholder, read_vault
from kbsleep.wiki import load_wiki, open_wiki, take_snapshot
from tests.lint.support import triples


def settings(files: dict[str, object]) -> dict[str, str]:
    return {f".obsidian/{name}": text if isinstance(text, str) else json.dumps(text) for name, text in files.items()}


@pytest.mark.parametrize("filters, excluded", [
    (["Archive/"], ["Archive/Old.md"]),
    (["archive/"], ["Archive/Old.md"]),  # case-insensitive, as Obsidian matches them
    (["Arch"], ["Archive/Old.md", "Arches.md"]),  # a plain filter is a path prefix, no more
    (["/\\.excalidraw\\.md$/"], ["notes/Plan.excalidraw.md"]),  # between slashes: a regular expression
    (["/old/"], ["Archive/Old.md", "notes/Bold idea.md"]),  # searched anywhere in the path
    (["/(unclosed/", "Arches.md"], ["Arches.md"]),  # an invalid expression is left out
    ([], []),
])  # fmt: skip
def test_excluded_files_filters_match_as_obsidian_matches_them(make_repo, filters: list[str], excluded: list[str]) -> None:
    pages = {"Archive/Old.md": "# Old\n", "Arches.md": "# Arches\n", "notes/Plan.excalidraw.md": "# Plan\n", "notes/Bold idea.md": "# Bold\n", "A.md": "# A\n"}
    root = make_repo({**pages, **settings({"app.json": {"userIgnoreFilters": filters}})})
    wiki = load_wiki(root)
    assert sorted(wiki.excluded) == sorted(excluded)
    assert sorted(wiki.pages) == sorted(pages)  # still pages: Obsidian keeps them in the vault


def test_links_to_excluded_files_open_and_nothing_on_them_is_reported(make_repo) -> None:
    root = make_repo({
        "A.md": "# A\n\n[[Old]] [[Old#Gone]]\n",
        "Archive/Old.md": "---\ntitle: A\n---\n# Old\n\n[[Nowhere]] [[A#Missing]]\n\n## Empty\n",
        **settings({"app.json": {"userIgnoreFilters": ["Archive/"]}}),
    })  # fmt: skip
    found = lint(open_wiki(root), Selection(select=("ALL",))).diagnostics
    # The anchor only: the page opens. And A is no orphan: Old's link to it counts, as
    # Obsidian's Backlinks pane still lists it (Excluded files leave only Unlinked mentions).
    assert triples(found) == {("KB102", "A.md", 3)}


def test_include_brings_an_excluded_file_back_to_be_judged(make_repo) -> None:
    root = make_repo({"A.md": "# A\n\n[[Old]]\n", "Archive/Old.md": "# Old\n\n[[Nowhere]]\n", **settings({"app.json": {"userIgnoreFilters": ["Archive/"]}})})
    wiki = load_wiki(root, Config(include=("Archive/Old.md",)))
    assert wiki.excluded == frozenset()
    assert triples(lint(wiki, Selection(select=("broken-link",))).diagnostics) == {("KB101", "Archive/Old.md", 3)}


@pytest.mark.parametrize("files, folders", [
    ({"templates.json": {"folder": "Templates"}}, ("Templates",)),
    ({"templates.json": {"folder": "/Meta/Templates/"}}, ("Meta/Templates",)),
    ({"plugins/templater-obsidian/data.json": {"templates_folder": "Meta/Templater", "trigger_on_file_creation": True}}, ("Meta/Templater",)),
    ({"templates.json": {"folder": "Templates"}, "plugins/templater-obsidian/data.json": {"templates_folder": "Templates"}}, ("Templates",)),
    ({"templates.json": {"folder": ""}}, ()),  # not set
    ({"templates.json": {"folder": "/"}}, ()),  # the vault root would set every page aside: not taken
    ({"templates.json": {}}, ()),
])  # fmt: skip
def test_templates_folders_come_from_the_templates_and_templater_settings(tmp_path: Path, files: dict, folders: tuple[str, ...]) -> None:
    for name, text in settings(files).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    vault = read_vault(tmp_path)
    assert vault.template_folders() == folders and vault.problems == ()


def test_template_pages_are_the_pages_of_those_folders_and_of_lint_templates(make_repo) -> None:
    root = make_repo({
        "Templates/Day.md": "# {{date}}\n", "Templates/sub/Week.md": "# W\n", "Templates.md": "# not in the folder\n",
        "Meta/Templater/Person.md": "# <% tp.file.title %>\n", "kit/blank.md": "# B\n", "kit/other.txt": "x", "A.md": "# A\n",
        **settings({"templates.json": {"folder": "Templates"}, "plugins/templater-obsidian/data.json": {"templates_folder": "Meta/Templater"}}),
    })  # fmt: skip
    wiki = load_wiki(root, Config(lint=LintConfig(templates=("kit/**",))))
    assert wiki.templates == {"Templates/Day.md", "Templates/sub/Week.md", "Meta/Templater/Person.md", "kit/blank.md"}


def test_the_vault_may_be_a_folder_above_the_wiki(make_repo) -> None:
    """Paths in Obsidian's settings are the vault's: a wiki in a subfolder of it maps them."""
    root = make_repo({
        "vault/wiki/Templates/Day.md": "# D\n", "vault/wiki/Archive/Old.md": "# O\n", "vault/wiki/A.md": "# A\n",
        "vault/Templates/Elsewhere.md": "# E\n",
        "vault/.obsidian/app.json": json.dumps({"userIgnoreFilters": ["wiki/Archive/"]}),
        "vault/.obsidian/templates.json": json.dumps({"folder": "wiki/Templates"}),
    })  # fmt: skip
    wiki = load_wiki(root / "vault" / "wiki")
    assert wiki.vault.prefix == "wiki/"
    assert wiki.templates == {"Templates/Day.md"} and wiki.excluded == {"Archive/Old.md"}


def test_a_vault_above_the_git_work_tree_is_not_looked_for(make_repo, tmp_path: Path) -> None:
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / ".obsidian" / "app.json").write_text(json.dumps({"userIgnoreFilters": ["A"]}))
    root = make_repo({"A.md": "# A\n"})
    assert read_vault(root, root) == VaultSettings()


@pytest.mark.parametrize("text, problem", [
    ('{"userIgnoreFilters": ["Archive/",]}', ".obsidian/app.json: invalid JSON at line 1, column 35 (Expecting value); its settings are not applied"),
    ("[]", ".obsidian/app.json: not a JSON object; its settings are not applied"),
    ('{"userIgnoreFilters": "Archive/"}', ".obsidian/app.json: `userIgnoreFilters` is not a list of strings; Excluded files are not applied"),
    (b"\xff\xfe{", ".obsidian/app.json: cannot be read ("),
    ('{"userIgnoreFilters": ["/[/"]}', ".obsidian/app.json: Excluded files filter `/[/` is not a valid regular expression"),
])  # fmt: skip
def test_a_broken_app_json_is_a_problem_said_never_an_error(tmp_path: Path, text: str | bytes, problem: str) -> None:
    (tmp_path / ".obsidian").mkdir()
    path = tmp_path / ".obsidian" / "app.json"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    (tmp_path / "A.md").write_text("# A\n")
    vault = read_vault(tmp_path)
    assert len(vault.problems) == 1 and vault.problems[0].startswith(problem)
    assert sorted(load_wiki(tmp_path).pages) == ["A.md"]


def test_the_cli_warns_once_about_a_broken_settings_file_and_lints_on(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({"A.md": "# A\n\n[[Nowhere]]\n", ".obsidian/templates.json": "{folder: Templates}"})
    assert main(["--wiki", str(root), "lint"]) == 1
    out = capsys.readouterr()
    assert out.err == "warning: .obsidian/templates.json: invalid JSON at line 1, column 2 (Expecting property name enclosed in double quotes); its settings are not applied\n"
    assert "Traceback" not in out.err and "A.md:3:1" in out.out
    assert main(["--wiki", str(root), "--quiet", "lint"]) == 1
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name, placeholder", [
    ("{{title}}", True), ("{{date:YYYY-MM-DD}}", True), ("<% tp.file.title %>", True), ("Week {{week}}", True),
    ("<%* tR += 'x' %>", True), ("{{", False), ("a { b } c", False), ("Pump <5%>", False), ("Orion pump", False),
])  # fmt: skip
def test_a_placeholder_is_any_double_brace_or_templater_expression(name: str, placeholder: bool) -> None:
    assert is_placeholder(name) is placeholder


def test_changing_obsidian_settings_changes_the_fingerprint(make_repo) -> None:
    """They are hidden files, in no list of pages: what they set aside must still reach every
    cache keyed by the fingerprint (the lint result cache, sleep's skip)."""
    root = make_repo({"Templates/Day.md": "# D\n", "Archive/Old.md": "# O\n", "A.md": "# A\n"})
    prints = [take_snapshot(root).fingerprint]
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "templates.json").write_text(json.dumps({"folder": "Templates"}))
    prints.append(take_snapshot(root).fingerprint)
    (root / ".obsidian" / "app.json").write_text(json.dumps({"userIgnoreFilters": ["Archive/"]}))
    prints.append(take_snapshot(root).fingerprint)
    (root / ".obsidian" / "app.json").write_text(json.dumps({"userIgnoreFilters": ["Archive/"], "other": 1}))
    prints.append(take_snapshot(root).fingerprint)
    assert len(set(prints[:3])) == 3 and prints[3] == prints[2]


def test_the_cli_lint_cache_misses_when_the_templates_folder_changes(make_repo) -> None:
    root = make_repo({"A.md": "# A\n\n[[Day]]\n", "Templates/Day.md": "# D\n\n## Empty\n"})
    args = ["--wiki", str(root), "lint", "--select", "empty-section", "--fail-on", "warning"]
    assert main(args) == 1
    assert main(args) == 1  # from the lint result cache
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "templates.json").write_text(json.dumps({"folder": "Templates"}))
    assert main(args) == 0
