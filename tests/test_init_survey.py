"""`kbsleep init` looks at the vault and writes a config that fits it, saying what it found.

Templates folders (from Obsidian's settings: read at every run, no line needed; or by a name like
`Templates` and pages mostly holding placeholders: set in `lint.templates`), hidden files and
folders (listed: ignored as Obsidian ignores them), Excluded files, and the index page (none:
said; one that most pages cannot be reached from: missing-from-index turned off, said why).
"""

from __future__ import annotations

import json
from pathlib import Path

from kbsleep.cli import main
from kbsleep.config import Config, LintConfig, load_config
from kbsleep.lint import lint
from kbsleep.survey import survey
from kbsleep.wiki import open_wiki

HUB_LIKE = {
    "00 - Contribute/01 Templates/T - Author.md": "---\ntitle: \"{{title}}\"\n---\n# {{title}}\n\n## Author of\n",
    "00 - Contribute/01 Templates/T - Plugin.md": "# {{title}}\n\n[[{{author}}]]\n",
    "00 - Contribute/01 Templates/🗂️ 01 Templates.md": "# Templates\n\nThe folder note.\n",
    "03 - Showcases & Templates/Templates/Daily.md": "# A showcase\n\nA Daily template, shown in ```<% tp.date.now() %>```.\n",
    "03 - Showcases & Templates/Templates/Weekly.md": "# Weekly showcase\n\nText.\n",
    "03 - Showcases & Templates/Templates/Yearly.md": "# Yearly showcase\n\nText.\n",
    "People/Ann.md": "# Ann\n\nLinks [[Bob]].\n",
    "People/Bob.md": "# Bob\n\nLinks [[Ann]].\n",
    ".github/scripts/tests/sample.md": "# Sample\n\n[[Nowhere]]\n",
    ".github/workflows/ci.yml": "on: push\n",
    ".gitignore": "*.tmp\n",
    ".draft.md": "# Draft\n",
}


def init(root: Path) -> str:
    assert main(["--wiki", str(root), "init", "--force"]) == 0
    return (root / "kbsleep.toml").read_text(encoding="utf-8")


def found_lines(text: str) -> str:
    """The comment block `init` writes about the vault."""
    lines = text.splitlines()
    start = lines.index("# What `kbsleep init` found in this vault:")
    return "\n".join(lines[start + 1 : lines.index("", start)]) + "\n"


def test_a_hub_like_vault_gets_its_templates_folder_and_hidden_folders_said(make_repo) -> None:
    root = make_repo(HUB_LIKE)
    text = init(root)
    assert found_lines(text) == (
        '# - Templates folder "00 - Contribute/01 Templates/": 2 of its 3 pages hold {{...}} or <%...%>\n'
        "#   placeholders; set in [lint] templates below.\n"
        '# - Hidden files and folders (names starting with "."), ignored as Obsidian ignores them:\n'
        '#   ".draft.md" (1 page), ".github/" (1 page, 1 other file). To lint one anyway, add it to\n'
        "#   `include`.\n"
        "# - No index page (index.md) or log page (log.md): consolidate creates neither, and\n"
        "#   missing-from-index reports nothing. Set `index-page` and `log-page` below to have\n"
        "#   consolidate create and keep them.\n"
        "# - A vault written by hand (no index or log page): `anticipate` keeps its precomputed answers\n"
        '#   in ".kbsleep-answers/", one file per page, so no page of yours changes. Set `store = "page"`\n'
        "#   below to have them in each page.\n"
    )
    config = load_config(root)
    assert config.lint.templates == ("00 - Contribute/01 Templates/**",)
    assert config.lint.ignore == () and config.include == ()
    report = lint(open_wiki(root))
    assert not [d for d in report.diagnostics if "01 Templates" in d.path or d.path.startswith(".")]


def test_the_config_init_writes_takes_the_template_findings_away(make_repo) -> None:
    root = make_repo(HUB_LIKE)
    before = {d.path for d in lint(open_wiki(root)).diagnostics}
    assert "00 - Contribute/01 Templates/T - Author.md" in before  # empty-section, orphan-page
    init(root)
    after = {d.path for d in lint(open_wiki(root)).diagnostics}
    assert not [path for path in after if "01 Templates" in path]
    assert after - before == set()


def test_templates_folders_in_obsidian_s_settings_need_no_line(make_repo) -> None:
    root = make_repo({
        ".obsidian/templates.json": json.dumps({"folder": "Meta/Templates"}),
        ".obsidian/plugins/templater-obsidian/data.json": json.dumps({"templates_folder": "Meta/Templater"}),
        "Meta/Templates/Day.md": "# {{date}}\n", "Meta/Templater/Person.md": "# <% tp.file.title %>\n",
        "index.md": "# Index\n\n[[A]]\n", "A.md": "# A\n\n[[index]]\n", "log.md": "# Log\n",
    })  # fmt: skip
    text = init(root)
    assert found_lines(text) == (
        '# - Templates folder "Meta/Templates/" (from .obsidian/templates.json): read from there at every\n'
        "#   run; its pages' links are checked, their content is not judged.\n"
        '# - Templates folder "Meta/Templater/" (from .obsidian/plugins/templater-obsidian/data.json):\n'
        "#   read from there at every run; its pages' links are checked, their content is not judged.\n"
    )
    assert load_config(root).lint.templates == ()  # `.obsidian/` is not listed as a hidden folder either


def test_one_folder_named_by_the_templates_plugin_and_templater_is_said_once(make_repo) -> None:
    root = make_repo({
        ".obsidian/templates.json": json.dumps({"folder": "z_Templates"}),
        ".obsidian/plugins/templater-obsidian/data.json": json.dumps({"templates_folder": "z_Templates"}),
        "z_Templates/Day.md": "# {{date}}\n", "index.md": "# Index\n\n[[A]]\n", "A.md": "# A\n\n[[index]]\n", "log.md": "# Log\n",
    })  # fmt: skip
    lines = found_lines(init(root))
    assert lines.count('Templates folder "z_Templates/"') == 1
    assert "(from .obsidian/templates.json and .obsidian/plugins/templater-obsidian/data.json)" in " ".join(lines.replace("#  ", "").split())


def test_excluded_files_and_a_broken_settings_file_are_said(make_repo) -> None:
    root = make_repo({
        ".obsidian/app.json": json.dumps({"userIgnoreFilters": ["Archive/", "/\\.excalidraw\\.md$/"]}),
        ".obsidian/templates.json": "{oops",
        "Archive/Old.md": "# Old\n", "Archive/Older.md": "# Older\n", "Plan.excalidraw.md": "# P\n",
        "index.md": "# Index\n\n[[A]]\n", "A.md": "# A\n", "log.md": "# Log\n",
    })  # fmt: skip
    text = init(root)
    assert found_lines(text) == (
        "# - Obsidian's Excluded files (.obsidian/app.json): `Archive/`, `/\\.excalidraw\\.md$/`, 3 pages:\n"
        "#   links to them open, nothing on them is judged. To lint them anyway, add them to `include`.\n"
        "# - Warning: .obsidian/templates.json: invalid JSON at line 1, column 2 (Expecting property name\n"
        "#   enclosed in double quotes); its settings are not applied.\n"
    )
    assert load_config(root) == Config(source=root / "kbsleep.toml")


def test_an_index_that_most_pages_cannot_be_reached_from_turns_its_rule_off(make_repo) -> None:
    pages = {f"notes/Note {n}.md": f"# Note {n}\n\n[[Note {n + 1}]]\n" for n in range(6)}
    root = make_repo({"index.md": "# Index\n\n[[Note 4]]\n", **pages})
    text = init(root)
    assert found_lines(text) == (
        "# - No log page (log.md): consolidate creates none. Set `log-page` below to have consolidate\n"
        "#   create and keep it.\n"
        "# - 4 of 7 pages cannot be reached from index.md: missing-from-index is off below; turn it on\n"
        "#   once the index links most pages.\n"
    )
    assert load_config(root).lint.ignore == ("missing-from-index",)
    assert not [d for d in lint(open_wiki(root)).diagnostics if d.name == "missing-from-index"]


def test_an_index_that_reaches_most_pages_keeps_its_rule(make_repo) -> None:
    pages = {f"notes/Note {n}.md": f"# Note {n}\n\n[[Note {n + 1}]]\n" for n in range(6)}
    root = make_repo({"index.md": "# Index\n\n[[Note 2]]\n", "log.md": "# Log\n", **pages})
    assert "What `kbsleep init` found" not in init(root)
    assert load_config(root) == Config(source=root / "kbsleep.toml")
    assert [d.path for d in lint(open_wiki(root)).diagnostics if d.name == "missing-from-index"] == ["notes/Note 0.md", "notes/Note 1.md"]


def test_names_that_need_escaping_are_written_as_valid_toml(make_repo) -> None:
    folder = 'Tmpl "quoted" \\ back/_templates'
    root = make_repo({f"{folder}/Day.md": "# {{date}}\n", f"{folder}/Week.md": "# {{week}}\n", "index.md": "[[Day]] [[Week]]"})
    init(root)
    assert load_config(root).lint == LintConfig(templates=(f"{folder}/**",))
    assert open_wiki(root).templates == {f"{folder}/Day.md", f"{folder}/Week.md"}


def test_survey_reports_counts_for_the_summary_line(make_repo) -> None:
    root = make_repo(HUB_LIKE)
    found = survey(root)
    assert (found.pages, found.judged, found.index) == (8, 5, None)
    assert [(t.folder, t.placeholders, t.pages) for t in found.templates] == [("00 - Contribute/01 Templates", 2, 3)]
    assert found.summary() == "1 templates folder, 2 hidden files or folders ignored, no index or log page"
