"""A vault as Obsidian keeps it: hidden files, Excluded files and templates, linted as a whole.

`tests/fixtures/obsidian/vault/` holds a `.obsidian/` folder (Excluded files `Archive/` and
`/\\.excalidraw\\.md$/`, the core Templates folder `Templates`, Templater's `Meta/Templater`),
hidden files at every depth, and pages that say which case they are. `expected.txt` lists every
finding of a default lint of it; each page and link not listed is a case that must NOT be
reported. Rewrite it with `KBSLEEP_UPDATE_GOLDEN=1` after an intended change, and review it.
"""

from __future__ import annotations

import os
from pathlib import Path

from kbsleep.wiki import open_wiki
from tests.conftest import FIXTURES
from tests.lint.support import copy_wiki, describe, lint_wiki

VAULT = FIXTURES / "obsidian" / "vault"
EXPECTED = FIXTURES / "obsidian" / "expected.txt"


def vault_repo(make_repo) -> Path:
    root = make_repo(commit=False, name="vault")
    return copy_wiki(VAULT, root)


def test_a_default_lint_reports_exactly_the_expected_findings(make_repo) -> None:
    got = describe(lint_wiki(vault_repo(make_repo)).diagnostics)
    if os.environ.get("KBSLEEP_UPDATE_GOLDEN"):
        head = [line for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        EXPECTED.write_text("\n".join(head) + "\n\n" + got, encoding="utf-8")
    body = "".join(line + "\n" for line in EXPECTED.read_text(encoding="utf-8").splitlines()[1:] if not line.startswith("#")).lstrip("\n")
    assert got == body


def test_the_model_sets_hidden_files_templates_and_excluded_files_apart(make_repo) -> None:
    wiki = open_wiki(vault_repo(make_repo))
    assert sorted(wiki.pages) == [
        "Archive/Old pump.md", "Drawing.excalidraw.md", "Meta/Templater/Person.md", "Templates/Blank.md",
        "Templates/Daily.md", "index.md", "notes/Lonely.md", "notes/Orion pump.md", "notes/Pump notes.md",
        "notes/Starboard log.md", "notes/Week one.md", "notes/Week two.md",
    ]  # fmt: skip
    assert wiki.attachments == {"notes/pump.png"}
    assert wiki.templates == {"Templates/Blank.md", "Templates/Daily.md", "Meta/Templater/Person.md"}
    assert wiki.excluded == {"Archive/Old pump.md", "Drawing.excalidraw.md"}
    assert wiki.unjudged == wiki.templates | wiki.excluded
    assert wiki.vault.problems == ()
