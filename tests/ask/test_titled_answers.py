"""A page's opening sentence that says what its subject is without naming it answers "which
one?" with the page's name: "Love Canal: A reservoir of chemical waste ...".

Seen on a public student's Zettelkasten, whose notes open so ("A flemish cartographer who
realized ..." on *Abraham Ortelius*): "Where was a chemical dump covered over and turned into a
school?" was answered with the right sentence and never said where.
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config

DUMP = "A reservoir of chemical waste that was covered with landfill and turned into a school, making many people sick.\n"
LAKE = "A lake of meltwater held back by a glacier until it bursts.\n# Floods\nThe flood can reach the sea within hours.\n"


def _wiki(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({
        "Places/Love Canal.md": DUMP, "Places/Glacier Lake.md": LAKE,
        "Places/Harbour.md": "Ships unload grain at the harbour.\n", "Topics/Schools.md": "Schools teach children to read.\n",
    })  # fmt: skip


def _ask(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


def test_an_opening_sentence_answers_which_thing_with_the_page_s_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert _ask(root, "Where was chemical waste covered with landfill and turned into a school?") == f"Love Canal: {DUMP.strip()}"
    assert _ask(root, "What is a lake of meltwater held back by a glacier called?").startswith("Glacier Lake: A lake of meltwater")


def test_a_question_naming_the_page_or_a_later_line_gets_the_text_alone(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert _ask(root, "What is Love Canal?") == DUMP.strip()
    assert _ask(root, "What can the flood of a glacier lake reach within hours?") == "The flood can reach the sea within hours."


def test_the_kind_asked_for_is_what_the_named_page_is(make_repo) -> None:  # type: ignore[no-untyped-def]
    # the wiki never says "spot" or "mapmaker": the page the opening describes is the one asked for
    root = make_repo({
        "Places/Mariana Trench.md": "The deepest feature of planet earth.\n",
        "People/Abraham Ortelius.md": "A flemish cartographer who realized that South America and Africa looked to have been split.\n",
        "Places/Earth.md": "The third planet from the sun.\n", "Places/Andes.md": "Mountains along the west of South America.\n",
        "Places/Harbour.md": "Boats fit together in the first row, it would seem.\n", "Places/Market.md": "Stalls fit together and seem crowded.\n",
    })  # fmt: skip
    assert _ask(root, "What is the deepest spot on the planet?") == "Mariana Trench: The deepest feature of planet earth."
    assert _ask(root, "Which mapmaker first noticed that South America and Africa seem to fit together?").startswith("Abraham Ortelius: A flemish cartographer")


def test_an_opening_that_names_what_a_definition_asks_is_quoted_alone(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Setup/Create a vault.md": "A vault is a folder on your computer where your notes are kept.\n# Steps\n1. Open the app.\n2. Pick a folder.\n",
        "Setup/Sync.md": "Sync copies notes between devices.\n",
    })  # fmt: skip
    assert _ask(root, "What is a vault?") == "A vault is a folder on your computer where your notes are kept."


def test_an_llm_wiki_page_opens_after_its_frontmatter_facts(make_repo) -> None:  # type: ignore[no-untyped-def]
    # an LLM wiki's page opens with `type:` and `sources:` before its first sentence
    front = "---\ntitle: {title}\ntype: outcome\nsources: [{name}.md]\n---\n\n"
    root = make_repo({
        "outcomes/timing.md": front.format(title="Timing", name="timing") + "Outcome that shows the seconds and memory an operation took.\n\n## Fields\n\n- Elapsed: seconds\n",
        "outcomes/scope.md": front.format(title="Scope", name="scope") + "Outcome that lists the zones a step created.\n",
        "steps/wrap.md": front.format(title="Wrap", name="wrap") + "Wrapping closes gaps in leaky parts.\n",
    })  # fmt: skip
    assert _ask(root, "Where can I see how long an operation took and how much memory it used?") == (
        "Timing: Outcome that shows the seconds and memory an operation took."
    )
