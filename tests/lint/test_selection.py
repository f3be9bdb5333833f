"""Which findings are reported: rule selection on the command line and in config, and suppressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main

# One finding of each of five rules, at known places.
WIKI = {
    "index.md": "# Index\n\n- [[Kestrel Rover]]\n- [[Notes]]\n- [[drafts/Plan]]\n",
    "Kestrel Rover.md": "---\naliases: [Kestrel]\n---\n# Kestrel Rover\n\nSee [[Kestrel]] and [[Nowhere]].\n\n## Empty\n",
    "Notes.md": "# Notes\n\nSee [[Nowhere else]].\n",
    "Orphan.md": "# Orphan\n\nText.\n",
    "drafts/Plan.md": "# Plan\n\nSee [[Unwritten]].\n",
}
EVERYTHING = [
    "KB103 Kestrel Rover.md:6",
    "KB101 Kestrel Rover.md:6",
    "KB205 Kestrel Rover.md:8",
    "KB101 Notes.md:3",
    "KB201 Orphan.md:1",
    "KB203 Orphan.md:1",
    "KB101 drafts/Plan.md:3",
]


@pytest.fixture
def findings(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `kbsleep --wiki ROOT lint ARGS` and return its findings as "CODE path:line"."""

    def run(root: Path, *args: str) -> list[str]:
        main(["--wiki", str(root), "lint", "--output-format", "concise", *args])
        out = []
        for line in capsys.readouterr().out.splitlines():
            where, _, rest = line.partition(": ")
            path, number, _column = where.rsplit(":", 2)
            out.append(f"{rest.split(' ', 1)[0]} {path}:{number}")
        return out

    return run


def only(*codes: str) -> list[str]:
    return [f for f in EVERYTHING if f.split()[0] in codes]


# -- the command line -----------------------------------------------------------------------------


def test_without_a_selection_every_rule_runs(make_repo, findings) -> None:
    assert findings(make_repo(WIKI)) == EVERYTHING


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        (["--select", "KB101"], ["KB101"]),  # by code
        (["--select", "broken-link"], ["KB101"]),  # by name
        (["--select", "kb101"], ["KB101"]),  # codes are case-insensitive
        (["--select", "KB1"], ["KB101", "KB103"]),  # by code prefix: the link family
        (["--select", "KB2", "--select", "alias-link"], ["KB103", "KB201", "KB203", "KB205"]),  # repeatable
        (["--select", "KB2,alias-link"], ["KB103", "KB201", "KB203", "KB205"]),  # comma-separated, as ruff's
        (["--ignore", "broken-link, KB20"], ["KB103"]),
        (["--select", "ALL", "--ignore", "KB2"], ["KB101", "KB103"]),
        (["--ignore", "KB2"], ["KB101", "KB103"]),
        (["--ignore", "broken-link", "--ignore", "KB20"], ["KB103"]),
        (["--select", "KB1", "--ignore", "KB103"], ["KB101"]),  # ignore wins over select
        (["--select", "KB101", "--extend-select", "orphan-page"], ["KB101", "KB201"]),
    ],
)
def test_select_ignore_and_extend_select_by_code_prefix_or_name(make_repo, findings, args: list[str], codes: list[str]) -> None:
    assert findings(make_repo(WIKI), *args) == only(*codes)


# -- config ---------------------------------------------------------------------------------------


def config_repo(make_repo, toml: str) -> Path:
    return make_repo({**WIKI, "kbsleep.toml": toml})


def test_config_select_and_ignore(make_repo, findings) -> None:
    root = config_repo(make_repo, '[lint]\nselect = ["KB1", "KB2"]\nignore = ["missing-from-index"]\n')
    assert findings(root) == only("KB101", "KB103", "KB201", "KB205")


def test_command_line_select_replaces_config_select(make_repo, findings) -> None:
    root = config_repo(make_repo, '[lint]\nselect = ["KB2"]\n')
    assert findings(root, "--select", "alias-link") == only("KB103")


def test_command_line_ignore_adds_to_config_ignore(make_repo, findings) -> None:
    root = config_repo(make_repo, '[lint]\nignore = ["KB2"]\n')
    assert findings(root, "--ignore", "alias-link") == only("KB101")


def test_command_line_extend_select_adds_to_config_select(make_repo, findings) -> None:
    root = config_repo(make_repo, '[lint]\nselect = ["KB103"]\n')
    assert findings(root, "--extend-select", "KB205") == only("KB103", "KB205")


def test_per_file_ignores_are_keyed_by_glob(make_repo, findings) -> None:
    toml = '[lint.per-file-ignores]\n"drafts/**" = ["broken-link"]\n"Orphan.md" = ["KB2"]\n"*Rover.md" = ["KB103", "empty-section"]\n'
    assert findings(config_repo(make_repo, toml)) == [
        "KB101 Kestrel Rover.md:6",
        "KB101 Notes.md:3",
    ]


def test_per_file_ignores_in_pyproject(make_repo, findings) -> None:
    root = make_repo({**WIKI, "pyproject.toml": '[tool.kbsleep.lint.per-file-ignores]\n"drafts/*.md" = ["KB1"]\n'})
    assert "KB101 drafts/Plan.md:3" not in findings(root)


# -- suppressions in pages ------------------------------------------------------------------------

SUPPRESSED = {
    "index.md": "# Index\n\n- [[Next line]]\n- [[Range]]\n- [[Obsidian comment]]\n- [[Kestrel Rover]]\n",
    "Kestrel Rover.md": "---\naliases: [Kestrel]\n---\n# Kestrel Rover\n\nA rover.\n",
    "Next line.md": (
        "# Next line\n"
        "\n"
        "<!-- kbsleep-disable-next-line broken-link -->\n"
        "Suppressed [[Gone 1]], but not the alias [[Kestrel]].\n"
        "Not suppressed: [[Gone 2]].\n"
        "\n"
        "<!-- kbsleep-disable-next-line -->\n"
        "No rule named: every rule, [[Gone 3]] and [[Kestrel]].\n"
    ),
    "Range.md": (
        "# Range\n"
        "\n"
        "<!-- kbsleep-disable KB101 -->\n"
        "Suppressed [[Gone 4]].\n"
        "\n"
        "Suppressed [[Gone 5]].\n"
        "<!-- kbsleep-enable -->\n"
        "Not suppressed: [[Gone 6]].\n"
        "\n"
        "<!-- kbsleep-disable KB1 -->\n"
        "Never re-enabled, to the end of the page: [[Gone 7]] and [[Kestrel]].\n"
    ),
    "Obsidian comment.md": (
        "# Obsidian comment\n"
        "\n"
        "%% kbsleep-disable-next-line KB101 %%\n"
        "Suppressed [[Gone 8]].\n"
        "Not suppressed: [[Gone 9]].\n"
    ),
    "Frontmatter.md": "---\nkbsleep-ignore: [orphan-page, missing-from-index]\n---\n# Frontmatter\n\nAn orphan on purpose, with [[Gone 10]].\n",
}


def test_inline_and_frontmatter_suppressions(make_repo, findings) -> None:
    assert findings(make_repo(SUPPRESSED)) == [
        "KB101 Frontmatter.md:6",
        "KB103 Next line.md:4",
        "KB101 Next line.md:5",
        "KB101 Obsidian comment.md:5",
        "KB101 Range.md:8",
    ]


def test_a_page_wide_kbsleep_ignore_without_rules_hides_every_rule(make_repo, findings) -> None:
    root = make_repo({"index.md": "# Index\n\nText.\n", "Draft.md": "---\nkbsleep-ignore: all\n---\n# Draft\n\n[[Gone]] and\n\n## Empty\n"})
    assert findings(root) == []


def test_unused_and_unknown_suppressions_are_reported(make_repo, findings) -> None:
    root = make_repo({
        "index.md": "# Index\n\n- [[Page]]\n",
        "Page.md": "# Page\n\n<!-- kbsleep-disable-next-line broken-link -->\nNothing broken.\n%% kbsleep-disable-next-line brokn-link %%\nText.\n",
    })  # fmt: skip
    assert findings(root) == ["KB901 Page.md:3", "KB901 Page.md:5"]
    assert findings(root, "--ignore", "unused-suppression") == []
