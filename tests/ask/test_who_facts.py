"""A "who" question gets the fact that names who did it, and no fact for a word its page's place
already says (issue 19, answers that answer)."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.question import analyse

KANBAN = """\
# Kanban

Plugin ID: `obsidian-kanban`
Developed by: [[mgmeyers]]
Mobile compatible: Yes

Create markdown-backed Kanban boards in Obsidian.
"""


OTHERS = ("Calendar", "Dataview", "Tasks", "Outliner", "Excalidraw", "Templater")


def _wiki(make_repo) -> Path:  # type: ignore[no-untyped-def]
    # as on obsidian-hub, every plugin page says who developed it: "developed" is a common word
    others = {f"Plugins/{name.lower()}.md": f"# {name}\n\nPlugin ID: `{name.lower()}`\nDeveloped by: [[dev{i}]]\n\nA {name} plugin.\n" for i, name in enumerate(OTHERS)}
    return make_repo({"Plugins/obsidian-kanban.md": KANBAN, "People/mgmeyers.md": "# mgmeyers\n\nA plugin developer.\n", **others})


def test_who_made_it_gets_the_fact_that_names_its_developer(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    got = ask(root, load_config(root), "Who made the Kanban plugin?", engine="offline", record=False)
    assert got.text == "Kanban, developed by: mgmeyers."


def test_a_fact_naming_who_answers_a_who_question_though_another_shares_its_words() -> None:
    facts = Passage("obsidian-kanban#Kanban", "Board plugin: obsidian-kanban\nDeveloped by: mgmeyers\n")
    got = pick(analyse("Who made the Kanban board plugin?"), [facts], {}, about="obsidian-kanban", names={"obsidian-kanban": "Kanban"})
    assert got is not None and got.text == "Kanban, developed by: mgmeyers."  # the fact naming someone, alone (`persons.quotes_someone`)


def test_a_word_the_page_s_folder_holds_asks_for_no_second_fact(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    got = ask(root, load_config(root), "Who is the developer of the Kanban plugin?", engine="offline", record=False)
    assert got.text == "Kanban, developed by: mgmeyers."


def test_other_questions_still_get_other_facts(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    got = ask(root, load_config(root), "What is the plugin ID of the Kanban plugin?", engine="offline", record=False)
    assert got.text == "Kanban, plugin ID: `obsidian-kanban`"


TEMPLATER = """\
# Templater

Plugin ID: `templater-obsidian`
Developed by: [[SilentVoid13]]

Create and use templates.
"""


def test_what_a_plugin_does_is_asked_as_what_it_is() -> None:
    assert [analyse(q).subject for q in ("What does the Templater plugin do?", "What is Dataview for?", "What does it cost?")] == [
        "templater plugin", "dataview", "",
    ]  # fmt: skip


def test_what_it_does_gets_the_page_s_opening_sentence_not_a_fact(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Plugins/templater-obsidian.md": TEMPLATER, "Plugins/calendar.md": "# Calendar\n\nPlugin ID: `calendar`\n\nA calendar plugin.\n"})
    got = ask(root, load_config(root), "What does the Templater plugin do?", engine="offline", record=False)
    assert got.text == "Create and use templates."
    fact = ask(root, load_config(root), "What is the plugin ID of the Templater plugin?", engine="offline", record=False)
    assert fact.text == "Templater, plugin ID: `templater-obsidian`"


def test_what_a_thing_is_is_not_another_thing_s_fact(make_repo) -> None:  # type: ignore[no-untyped-def]
    nav = "# zettelkasten navigation\n\nPlugin ID: `zettelkasten-navigation`\nDeveloped by: [[dev9]]\n\nVisualize a Luhmann-style zettelkasten.\n"
    root = make_repo({"Plugins/zettelkasten-navigation.md": nav, "Plugins/tasks.md": "# Tasks\n\nPlugin ID: `tasks`\n\nTrack tasks.\n"})
    got = ask(root, load_config(root), "What is zettelkasten?", engine="offline", record=False)
    assert got.text == "Visualize a Luhmann-style zettelkasten."
    owner = ask(root, load_config(root), "Who is the developer of zettelkasten navigation?", engine="offline", record=False)
    assert owner.text == "zettelkasten navigation, developed by: dev9."  # "X of Y" asks a fact


def test_a_page_s_summary_or_description_reads_as_what_the_page_is() -> None:
    from kbsleep.search.render import render as _render
    from kbsleep.search.units import units

    text = "---\nsummary: Compiler and data pipeline for deployment manifests.\nlicense: MIT\n---\n# Cobalt\n"
    found = units("Cobalt", text)
    assert [_render([u], {}) for u in found] == ["Cobalt: Compiler and data pipeline for deployment manifests.", "Cobalt, license: MIT."]


def test_a_sentence_ending_in_math_gets_no_full_stop() -> None:
    from kbsleep.search.render import render
    from kbsleep.search.units import units

    found = units("Derivative of Sine Function", "$$f(x)=\\sin x$$ $$f'(x)=\\cos x$$\n")
    assert render(found, {}) == "$$f(x)=\\sin x$$ $$f'(x)=\\cos x$$"
