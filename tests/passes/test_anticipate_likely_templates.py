"""Anticipate writes no questions into a folder that looks like a templates folder, even when no
setting names it: questions in a template are copied into every note made from it.

A community vault (obsidian-hub) keeps its templates in `00 - Contribute to the Obsidian Hub/01
Templates/` with no `.obsidian/` in the repository: before `kbsleep init` wrote the folder into
the config, `sleep` gave them questions such as "What is {{title}}'s download?". The folder is
known the way `kbsleep init` finds it: named like a templates folder, and at least half of its
pages hold a `{{...}}` or `<%...%>` placeholder.
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.sleep import SleepOptions, sleep
from kbsleep.wiki import open_wiki
from tests.conftest import git

FOLDER = "00 - Contribute/01 Templates"
TEMPLATES = {
    f"{FOLDER}/T - Vault showcase.md": "# {{title}}\n\n## Download\n\nLink: #placeholder/link, or the release page of {{author}}.\n\n## About\n\nThe vault of {{author}}, with a tour of its folders.\n",
    f"{FOLDER}/T - Plugin.md": "# <% tp.file.title %>\n\n## Related categories\n\nAdd the plugin's categories here, one a line.\n",
}
PAGES = {
    "Kestrel Rover.md": "# Kestrel Rover\n\nThe Kestrel Rover is a survey rover built in 2021 by the harbour board.\n\n## Trials\n\nIt was tested at Port Evra in 2022.\n",
    # named like a templates folder, but its pages are no templates: covered as any page
    "Templates/Writing templates.md": "# Writing templates\n\nA template is a note that Obsidian copies into each new note made from it.\n",
}


def offline(root: Path):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return wiki, select_engine(wiki.config.llm, "offline")


def test_anticipate_covers_the_pages_and_not_the_templates(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**TEMPLATES, **PAGES})
    wiki, model = offline(root)
    outcome = anticipate(wiki, model, Options())

    assert {w.path for w in outcome.written} == {"Kestrel Rover.md", "Templates/Writing templates.md"}
    assert {path: (root / path).read_text(encoding="utf-8") for path in TEMPLATES} == TEMPLATES


def test_sleep_leaves_the_templates_as_they_are(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**TEMPLATES, **PAGES})
    start = git(root, "rev-parse", "HEAD").strip()
    wiki, model = offline(root)
    sleep(wiki, model, SleepOptions())

    assert not [path for path in git(root, "diff", "--name-only", start, "HEAD").splitlines() if path.startswith(FOLDER)]


def test_a_template_named_outright_is_covered(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**TEMPLATES, **PAGES})
    wiki, model = offline(root)
    outcome = anticipate(wiki, model, Options(paths=(f"{FOLDER}/T - Vault showcase.md",)))

    assert [w.path for w in outcome.written] == [f"{FOLDER}/T - Vault showcase.md"]


def test_a_folder_named_so_with_few_placeholders_is_covered(make_repo) -> None:  # type: ignore[no-untyped-def]
    notes = {f"Templates/Note {n}.md": f"# Note {n}\n\nThe Kestrel Rover is a survey rover built in 2021 by the harbour board.\n\n## Trials\n\nIt was tested at Port Evra in 202{n}.\n" for n in range(3)}
    root = make_repo({**notes, "Templates/Day.md": "# {{date}}\n\nWhat happened at the harbour today.\n"})
    wiki, model = offline(root)
    outcome = anticipate(wiki, model, Options())

    assert {t.path for t in outcome.work.targets} == {*notes, "Templates/Day.md"}  # covered, all four
    assert {w.path for w in outcome.written} == set(notes) and outcome.empty == ("Templates/Day.md",)  # nothing to ask about
