"""`empty-property-item` (KB306): off by default, on when a selection names it, and `--fix`
deletes the empty items' lines and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.wiki.parse import parse_page

# As Obsidian's property editor leaves them: empty items in `tags` and `aliases`.
PLUGIN = (
    b"---\n"
    b"plugin-id: rover\n"
    b"aliases:\n"
    b"- \n"
    b"tags: \n"
    b"- \n"
    b"- robots\n"
    b"-\n"
    b"publish: true\n"
    b"---\n"
    b"# Rover\n"
    b"\n"
    b"- \n"
    b"Text.\n"
)
PLUGIN_FIXED = (
    b"---\n"
    b"plugin-id: rover\n"
    b"aliases:\n"
    b"tags: \n"
    b"- robots\n"
    b"publish: true\n"
    b"---\n"
    b"# Rover\n"
    b"\n"
    b"- \n"
    b"Text.\n"
)
WINDOWS = b"---\r\ntags:\r\n  - \r\n  - sea\r\n---\r\n# Windows\r\n\r\nText.\r\n"
COMMENT = b"---\ntags:\n  - #draft\n  - robots\n---\n# Comment\n\nText.\n"
WIKI = {"index.md": b"# Index\n\n[[Rover]] [[Windows]] [[Comment]]\n", "Rover.md": PLUGIN, "Windows.md": WINDOWS, "Comment.md": COMMENT}


def run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["--wiki", str(root), "lint", "--output-format", "concise", *args])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


FOUND = [
    "Comment.md:3:3: KB306 empty list item (`#draft` is a YAML comment)",
    "Rover.md:4:1: KB306 empty list item",
    "Rover.md:6:1: KB306 empty list item",
    "Rover.md:8:1: KB306 empty list item",
    "Windows.md:3:3: KB306 empty list item",
]


def test_off_by_default_so_what_obsidian_writes_gives_no_finding(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(make_repo(WIKI), capsys) == (0, [], "")


@pytest.mark.parametrize(
    "args",
    [
        ["--select", "KB306"],
        ["--select", "empty-property-item"],
        ["--select", "KB3"],  # a code prefix names it too
        ["--select", "KB30"],
        ["--extend-select", "KB306"],
    ],
)
def test_a_selection_that_names_it_turns_it_on(make_repo, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert run(make_repo(WIKI), capsys, *args) == (0, FOUND, "")  # a warning: the exit code stays 0


@pytest.mark.parametrize("args", [["--select", "ALL"], ["--select", "KB"]])
def test_every_rule_means_every_rule_on_by_default(make_repo, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert run(make_repo(WIKI), capsys, *args)[1] == []


def test_config_extend_select_turns_it_on(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo({**WIKI, "kbsleep.toml": '[lint]\nextend-select = ["empty-property-item"]\n'})
    assert run(root, capsys)[1] == FOUND


def test_fix_deletes_each_empty_item_line_and_nothing_else(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(WIKI)
    code, remaining, err = run(root, capsys, "--select", "KB306", "--fix")
    assert (root / "Rover.md").read_bytes() == PLUGIN_FIXED  # the body's `- ` is Markdown: kept
    assert (root / "Windows.md").read_bytes() == b"---\r\ntags:\r\n  - sea\r\n---\r\n# Windows\r\n\r\nText.\r\n"
    assert (root / "Comment.md").read_bytes() == COMMENT  # maybe a tag its writer meant: left alone
    assert (code, remaining, err) == (0, [FOUND[0]], "Fixed 4 problems in 2 pages.\n")


def test_the_fixed_front_matter_reads_as_before(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(WIKI)
    before = parse_page("Rover.md", PLUGIN)
    run(root, capsys, "--select", "KB306", "--fix")
    after = parse_page("Rover.md", (root / "Rover.md").read_bytes())
    assert (after.aliases, after.tags, after.problems) == (before.aliases, before.tags, ())
    assert after.frontmatter == {"plugin-id": "rover", "aliases": None, "tags": ["robots"], "publish": True}


def test_list_rules_and_the_rule_page_say_it_is_off(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--list-rules"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "KB306" in line)
    assert "empty-property-item" in line and "warning (off)" in line
    assert main(["rule", "KB306"]) == 0
    assert "Off by default: `--select empty-property-item`" in capsys.readouterr().out


def test_a_template_s_placeholders_and_empty_items_are_for_the_note_made_from_it(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    template = b"---\ntitle: {{title}}\ndate: {{date:YYYY-MM-DD}}\ntags:\n- \n---\n# {{title}}\n\nText.\n"
    root = make_repo({
        **WIKI, "Templates/Note.md": template, "Not a template.md": template,
        "kbsleep.toml": '[lint]\ntemplates = ["Templates/**"]\n',
    })  # fmt: skip
    code, found, _ = run(root, capsys, "--select", "KB3")
    assert [line for line in found if line.startswith(("Templates", "Not a template"))] == [
        "Not a template.md:2:1: KB307 `title` holds a mapping, not text: the title is taken from the first H1 or the file name",
        "Not a template.md:5:1: KB306 empty list item",
    ]  # `{{title}}` is YAML (a mapping), not an error: Obsidian's reader takes it too
    assert code == 0
