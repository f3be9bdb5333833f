"""Notes a plugin keeps in a format of its own: no pass writes into them.

The Kanban plugin's boards (`kanban-plugin` in the properties) and the Excalidraw plugin's
drawings (`excalidraw-plugin`) are Markdown files the plugin reads into its own model and writes
back from it: text another writer appends is dropped at the plugin's next save (or, for a board,
read as a lane). A student vault's 145 drawings each got an "Anticipated questions" section
after the drawing's closing `%%` ("What is the excalidraw plugin of dbms.excalidraw? ... is
parsed."). The pages stay pages: linked to, linted, searched.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.errors import KbsleepError
from kbsleep.lint import Selection, lint
from kbsleep.llm import select_engine
from kbsleep.passes import gate
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.consolidate import Options as Tidy, consolidate
from kbsleep.wiki import open_wiki
from tests.lint.support import describe, lint_wiki

TODAY = datetime.date(2026, 3, 20)

DRAWING = (
    "---\n\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n\n---\n"
    "==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu of this document. ⚠==\n\n\n"
    "# Excalidraw Data\n\n## Text Elements\n"
    "The Orion pump draws water from the lower tank and lifts it to the header tank. ^a1B2c3D4\n\n"
    "The header tank feeds the boiler by gravity at two bar. ^e5F6g7H8\n\n"
    "## Element Links\n\n"
    "%%\n## Drawing\n```compressed-json\nN4KAkARALgngDgUwgLgAQQQDwMYEMA2AlgCYBOuA7hADTgQBuCpAzoQPYB2KqATLZMzYBXUtiRoIACyhQ4zZAHoFAc0JRJQgEYA6bGwC2CgF7N6hbEcK4OCtptbErHALRY8RMpWdx8Q1TdIEfARcZgRmBShcZQUebR44gAYaOiCEfQQOKGZuAG1wMFAwYogSbghlAC0AUQBmIShKgFYU4shYRHLA7CiOZWDWksxuZwAWAE4Adm0mgA5RgDYm8YTJ\n```\n%%"
)
BOARD = (
    "---\n\nkanban-plugin: basic\n\n---\n\n"
    "## To do\n\n- [ ] Service the Orion pump, which lifts water from the lower tank to the header tank.\n\n\n"
    "## Done\n\n- [x] Refill the header tank, which feeds the boiler by gravity at two bar.\n\n"
    "%% kanban:settings\n```\n{\"kanban-plugin\":\"basic\"}\n```\n%%\n"
)
PUMP = (
    "# Orion pump\n\nThe Orion pump draws water from the lower tank and lifts it to the header tank. "
    "It was installed in 1952 and runs at two bar.\n\n## Maintenance\n\nThe seals are replaced every spring.\n"
)
VAULT = {
    "Drawings/Pump sketch.excalidraw.md": DRAWING,
    "Board.md": BOARD,
    "Orion pump.md": PUMP,
    "Home.md": "# Home\n\n![[Pump sketch.excalidraw]] and the [[Board]] for [[Orion pump]].\n",
}
PLUGIN_FILES = ("Drawings/Pump sketch.excalidraw.md", "Board.md")


def files(root: Path, paths: tuple[str, ...] = PLUGIN_FILES) -> dict[str, bytes]:
    return {path: (root / path).read_bytes() for path in paths}


def test_anticipate_writes_no_questions_into_a_drawing_or_a_board(make_repo) -> None:
    root = make_repo(VAULT)
    before = files(root)
    wiki = open_wiki(root)
    outcome = anticipate(wiki, select_engine(wiki.config.llm, "offline"), Options())

    assert files(root) == before
    assert "Orion pump.md" in {w.path for w in outcome.written}  # the pass ran


@pytest.mark.parametrize("path, what", [(PLUGIN_FILES[0], "an Excalidraw drawing"), (PLUGIN_FILES[1], "a Kanban board")])
def test_the_gate_says_which_plugin_keeps_the_file(make_repo, path: str, what: str) -> None:
    wiki = open_wiki(make_repo(VAULT))
    assert (gate.refused(wiki, path) or "").startswith(what)
    assert gate.refused(wiki, path, into=False) is None  # writing about it elsewhere is fine
    assert gate.refused(wiki, "Orion pump.md") is None


def test_anticipate_named_a_drawing_outright_writes_nothing(make_repo) -> None:
    root = make_repo(VAULT)
    before = files(root)
    wiki = open_wiki(root)
    try:
        outcome = anticipate(wiki, select_engine(wiki.config.llm, "offline"), Options(paths=(PLUGIN_FILES[0],)))
    except KbsleepError:
        outcome = None
    assert files(root) == before
    assert outcome is None or not outcome.written


def test_two_copies_of_a_drawing_are_not_merged(make_repo) -> None:
    copy = "Archive/Pump sketch.excalidraw.md"
    root = make_repo({**VAULT, copy: DRAWING})
    before = files(root, (*PLUGIN_FILES, copy))
    wiki = open_wiki(root)
    consolidate(wiki, select_engine(wiki.config.llm, "offline"), Tidy(only=("duplicates",), today=TODAY))

    assert files(root, (*PLUGIN_FILES, copy)) == before


def test_a_drawings_data_sections_are_not_empty_sections(make_repo) -> None:
    drawing = DRAWING.replace("## Element Links\n\n", "## Element Links\n\n## Embedded Files\n\n")  # both empty
    vault = {**VAULT, PLUGIN_FILES[0]: drawing, "Notes.md": "# Notes\n\n## Open questions\n\n## Answers\n\nNone yet.\n"}
    report = lint_wiki(make_repo(vault), "KB205")
    assert describe(report.diagnostics) == (
        "Notes.md:3:1: KB205 section `Open questions` is empty\n    hint: write the section or remove the heading\n"
    )


def test_lint_fix_reports_a_plugin_files_findings_and_leaves_it(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    typo = "the [[Orion pupm]]"
    vault = {
        **VAULT,
        PLUGIN_FILES[0]: DRAWING.replace("The header tank feeds", f"Beside {typo}, the header tank feeds"),
        PLUGIN_FILES[1]: BOARD.replace("- [ ] Service the Orion pump,", f"- [ ] Service {typo},"),
        "Spares.md": f"# Spares\n\nSeals for {typo} are kept in the store.\n",
    }
    root = make_repo(vault)
    before = files(root)
    main(["--wiki", str(root), "lint", "--fix", "--select", "broken-link"])

    assert files(root) == before
    assert "Seals for the [[Orion pump]] are kept" in (root / "Spares.md").read_text(encoding="utf-8")
    assert "Left 2 read-only pages as they are (the config's `read-only`, or a plugin's own file" in capsys.readouterr().err
    left = lint(open_wiki(root), Selection(select=("broken-link",))).diagnostics
    assert sorted(d.path for d in left) == sorted(PLUGIN_FILES)


def test_a_sidecar_holds_no_questions_about_a_drawing_or_a_board(make_repo) -> None:
    root = make_repo({**VAULT, "kbsleep.toml": '[anticipate]\nstore = "sidecar"\n'})
    before = files(root)
    wiki = open_wiki(root)
    outcome = anticipate(wiki, select_engine(wiki.config.llm, "offline"), Options())

    assert files(root) == before
    assert {w.path for w in outcome.written} == {"Orion pump.md"}  # its answers, beside it
    assert not any((root / "_kbsleep/answers" / path).exists() for path in PLUGIN_FILES)
