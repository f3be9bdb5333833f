"""Which page a question names, and which list a how-to gets (issue 19, answers that answer)."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.index import Hit
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import named_page
from tests.ask.support import TwoRankings


def answer(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def _hit(page: str, title: str) -> Hit:
    return Hit(page, title, "", 1, 1, "", 0.0, 1)


# -- the page a question names ---------------------------------------------------------------------


def test_a_page_is_named_by_its_title_said_as_a_phrase() -> None:
    hits = [_hit("Getting started/Link notes.md", "Link notes"), _hit("Plugins/Command palette.md", "Command palette")]
    assert named_page(analyse("How do I pin a command to the Command palette?"), hits) == "Plugins/Command palette.md"
    assert named_page(analyse("Which plugins link notes to tasks?"), hits) == "Getting started/Link notes.md"


def test_a_title_s_words_strewn_over_the_question_name_no_page() -> None:
    hits = [_hit("Getting started/Link notes.md", "Link notes")]
    question = "Can I give a note an extra name, so that typing it while creating a link still suggests that note?"
    assert named_page(analyse(question), hits) is None


def test_a_title_that_is_only_part_of_a_longer_name_in_capitals_is_not_named() -> None:
    hits = [_hit("Bestiary/Sneak.md", "Sneak"), _hit("Vehicles/Orion.md", "Orion"), _hit("Vehicles/Orion Pump.md", "Orion Pump")]
    assert named_page(analyse("Which class gets Sneak Attack?"), hits) is None  # the creature *Sneak* is no part of it
    assert named_page(analyse("What does the Orion Pump sample?"), hits) == "Vehicles/Orion Pump.md"
    assert named_page(analyse("What does the sneak do?"), hits) == "Bestiary/Sneak.md"  # no longer name in capitals


def test_plural_and_case_do_not_matter_in_a_named_title() -> None:
    hits = [_hit("Plugins/File recovery.md", "File recovery")]
    assert named_page(analyse("how long does file recovery keep snapshots?"), hits) == "Plugins/File recovery.md"
    assert named_page(analyse("Where do the File Recoveries go?"), hits) == "Plugins/File recovery.md"


def test_of_two_pages_titled_alike_the_one_whose_file_name_the_question_says_is_named() -> None:
    # working notes with `title: Tidal mixing` retrieved first, and the concept page *Tidal Mixing*
    hits = [_hit("concepts/tidal-mixing-notes.md", "Tidal mixing"), _hit("concepts/Tidal Mixing.md", "Tidal Mixing")]
    assert named_page(analyse("What is Tidal Mixing?"), hits) == "concepts/Tidal Mixing.md"


def test_a_page_asked_for_by_name_alone_is_described_by_its_opening_not_its_first_retrieved_section() -> None:
    passages = [
        Passage("Mixing notes#To do", "Merge these mixing notes into the main page.\n"),  # retrieved first
        Passage("Mixing notes", "Mixing notes collect what the moorings showed.\n"),
    ]
    found = pick(analyse("Mixing notes?"), passages, {"mixing": 2.0, "notes": 1.0}, about="Mixing notes")
    assert found is not None and found.text == "Mixing notes collect what the moorings showed."


def test_a_strewn_title_no_longer_hides_the_answer(make_repo) -> None:
    pages = {
        "Link notes.md": "# Link notes\n\nType two brackets to link a note. Press Enter to create the link.\n",
        "Aliases.md": "# Aliases\n\nAn alias is an alternative name for a note, such as an acronym or a nickname.\n\n"
        "## Link with an alias\n\nStart typing the alias in an internal link: the note shows up among the suggestions.\n",
    }
    got = answer(make_repo(pages), "Can I give a note an alternative name, such as an acronym, so that typing it in a link still suggests that note?")
    assert got.found
    assert {c.path for c in got.citations} == {"Aliases.md"}


# -- a how-to gets the list under the heading that names its task ----------------------------------


PALETTE = """\
# Command palette

The Command palette lets you run any command from your keyboard.

## Pinned commands

You can pin frequently used commands at the top of the Command palette to quickly access them.

### Pin a command

1. Open Settings.
2. Next to New pinned command, click Select a command.
3. Press Enter.

### Unpin a command

1. Open Settings.
2. Under Pinned commands, click the cross icon next to the command you want to unpin.
"""


def test_a_how_to_gets_the_list_of_the_task_it_names_not_its_sibling_s(make_repo) -> None:
    got = answer(make_repo({"Command palette.md": PALETTE}), "How do I pin a command in the Command palette?")
    assert got.text == "1. Open Settings.\n2. Next to New pinned command, click Select a command.\n3. Press Enter."
    assert [c.wikilink for c in got.citations] == ["[[Command palette#Pin a command]]"]


def test_the_sibling_task_gets_its_own_list(make_repo) -> None:
    got = answer(make_repo({"Command palette.md": PALETTE}), "How do I unpin a command from the Command palette?")
    assert got.text == "1. Open Settings.\n2. Under Pinned commands, click the cross icon next to the command you want to unpin."
    assert [c.wikilink for c in got.citations] == ["[[Command palette#Unpin a command]]"]


def test_a_sentence_under_the_task_s_heading_beats_a_list_under_another(make_repo) -> None:
    page = """\
# Embed files

## Embed a PDF in a note

To embed a PDF, link it with an exclamation mark. Open a specific page of the PDF by adding #page=N to the link.

## Embed files

- On Desktop, drag and drop a file into a note to embed it.
- On Mobile, use the attachment options to embed a file in a note.
"""
    got = answer(make_repo({"Embed files.md": page}), "How do I embed a PDF in a note so that it opens at a specific page?")
    assert "#page=N" in got.text
    assert [c.wikilink for c in got.citations] == ["[[Embed files#Embed a PDF in a note]]"]


def test_the_task_s_list_wins_even_when_its_sibling_was_retrieved_first() -> None:
    from kbsleep.llm.model import Passage
    from kbsleep.search import extract

    passages = [
        Passage("Command palette#Unpin a command", "1. Open Settings.\n2. Under Pinned commands, click the cross icon next to the command you want to unpin.\n"),
        Passage("Command palette#Pin a command", "1. Open Settings.\n2. Next to New pinned command, click Select a command.\n3. Press Enter.\n"),
    ]
    asked = analyse("How do I pin a command so that it always appears at the top of the Command palette?")
    found = extract.pick(asked, passages, {})
    assert found is not None
    assert found.sources == ("Command palette#Pin a command",)


# -- what a reader never sees is no answer; a definition answers "What is X?" ----------------------


def test_an_obsidian_comment_is_never_an_answer_but_code_that_shows_one_stays_code() -> None:
    from kbsleep.search.extract import visible

    text = "Intro %%a note to editors%% here.\n\n```md\nThis is an %%inline%% comment.\n```\n\n%%\nHub footer: don't edit below.\n%%\nEnd %% unclosed"
    assert visible(text) == "Intro  here.\n\n```md\nThis is an %%inline%% comment.\n```\n\n\n\n\nEnd %% unclosed"
    assert visible(text).count("\n") == text.count("\n")


def test_a_page_s_editor_comments_are_not_quoted(make_repo) -> None:
    page = "# LaTeX\n\n%% Add a description below this line. %%\n\nLaTeX is a typesetting system for technical documents.\n\n%% Hub footer: Please don't edit anything below this line %%\n"
    got = answer(make_repo({"LaTeX.md": page}), "What is LaTeX?")
    assert got.text == "LaTeX is a typesetting system for technical documents."


def test_a_definition_question_gets_the_sentence_that_defines_its_subject(make_repo) -> None:
    page = "# LaTeX\n\nSee the Mathjax and LaTeX plugins for ways to use LaTeX in notes.\n\nLaTeX is a typesetting system for technical documents.\n"
    got = answer(make_repo({"LaTeX.md": page}), "What is LaTeX, according to this vault?")
    assert got.text == "LaTeX is a typesetting system for technical documents."


def test_definition_questions_and_share_questions() -> None:
    assert analyse("What is LaTeX, according to the hub?").subject == "latex"
    assert analyse("What are Maps of Content?").subject == "maps of content"
    assert analyse("Who is Ada Lovelace?").subject == "ada lovelace"
    assert analyse("What does the Style Settings plugin do?").subject == "style settings plugin"  # asks what it is
    assert analyse("What is Cobalt written in?").subject == ""  # an attribute, not a definition of "Cobalt written in"
    assert analyse("What is the pipeline based on?").subject == ""
    assert analyse("What share of desktop users run Windows?").form == "percent"
    assert analyse("What proportion of plugins have 1,000 downloads?").form == "percent"


# -- a question worded unlike the wiki leans on the vectors ----------------------------------------


def _section(row: int, page: str, text: str) -> Hit:
    return Hit(page, page.removesuffix(".md"), "", 1, 1, text, 1.0, row)


def test_the_vector_ranking_counts_double_when_bm25_finds_few_of_the_question_s_words() -> None:
    from kbsleep.search.retrieve import lexical_share, retrieve

    hits = [_section(1, "Sync.md", "Your notes stay on your devices."), _section(2, "Faq.md", "Data is kept one month after a subscription expires."),
            _section(3, "Other.md", "Unrelated words.")]  # fmt: skip
    paraphrase = analyse("If I stop paying, how long will my notes stay stored on the servers before they are removed?")
    assert lexical_share(paraphrase, hits[:3]) < 0.5
    # BM25 ranks Sync, Faq, Other; vectors Other, Faq, Sync: a tie that the doubled vectors decide
    assert retrieve(TwoRankings(hits), paraphrase, vector=[1.0]).pages[0] == "Other.md"
    worded_alike = analyse("Do your notes stay on your devices?")
    assert lexical_share(worded_alike, hits[:3]) >= 0.5
    assert retrieve(TwoRankings(hits), worded_alike, vector=[1.0]).pages[0] == "Sync.md"


def test_what_a_name_stands_for_or_is_known_for_asks_what_it_is(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert analyse("What does HSTU stand for?").subject == "hstu"
    assert analyse("What is Guorui Zhou known for?").subject == "guorui zhou"
    root = make_repo({
        "HSTU.md": "# HSTU\n\nHierarchical Sequential Transduction Units (HSTU) is a generative recommender architecture.\n",
        "Guorui Zhou.md": "# Guorui Zhou\n\nGuorui Zhou is a researcher who led the work on deep interest networks.\n",
    })  # fmt: skip
    assert answer(root, "What does HSTU stand for?").text == "Hierarchical Sequential Transduction Units (HSTU) is a generative recommender architecture."
    assert answer(root, "What is Guorui Zhou known for?").text == "Guorui Zhou is a researcher who led the work on deep interest networks."


def test_a_name_the_question_uses_and_no_chosen_unit_holds_brings_the_unit_that_holds_it() -> None:
    # the part of the question about Linux is answered only by the sentence that names Linux
    text = (
        "The sync client sets each downloaded file's creation time, so files keep their original creation timestamps.\n\n"
        "The native addon targets one stable ABI, so it works across runtime versions without a rebuild.\n\n"
        "On Linux, the addon is left out and sync runs normally without it.\n"
    )
    question = analyse("I run the headless sync client on a small Linux server at home, next to my backups. Will downloaded files keep their original creation timestamps there?")
    found = pick(question, [Passage("Sync client#Native addon", text)], {t: 2.0 for t in question.terms})
    assert found is not None and [u.text for u in found.units] == [
        "The sync client sets each downloaded file's creation time, so files keep their original creation timestamps.",
        "On Linux, the addon is left out and sync runs normally without it.",
    ]


def test_a_name_in_most_sections_of_the_wiki_brings_no_unit_of_its_own() -> None:
    # "Obsidian" in Obsidian's help is no second part of "Does Obsidian support Vim keybindings?"
    question = analyse("Does Obsidian support Vim keybindings?")
    passages = [Passage("Settings#Editor", "Use Vim key bindings when editing."),
                Passage("Account#Support for keybindings", "Users of Obsidian Sync with 2FA enabled confirm their key when they first log in.")]  # fmt: skip
    common = pick(question, passages, {"obsidian": 0.9, "support": 1.0, "vim": 4.0, "keybindings": 6.0})
    assert common is not None and [u.text for u in common.units] == ["Use Vim key bindings when editing."]
    rare = pick(question, passages, {"obsidian": 1.5, "support": 1.0, "vim": 4.0, "keybindings": 6.0})
    assert rare is not None and len(rare.units) == 2  # a rarer name the answer lacks brings the unit that holds it


def test_a_second_part_from_another_page_is_of_the_thing_the_question_names(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Orion Pump.md": "# Orion Pump\n\nThe Orion Pump is a moored water sampler developed at the observatory. It draws filtered "
        "seawater through intakes at three depths.\n\n## Design\n\nThe pump is housed in an aluminium cylinder on a mooring frame.\n",
        "Tidal Mixing.md": "# Tidal Mixing\n\nTidal mixing stirs the water column over the shelf.\n\n## Measurement\n\n"
        "The microstructure profiler measures turbulence directly, but only during cruises. Moorings measure temperature all year.\n",
        "Port Evra.md": "# Port Evra\n\nPort Evra is the harbour of the observatory.\n",
    })
    got = answer(root, "What does the Orion Pump measure?")
    assert got.text == "The Orion Pump is a moored water sampler developed at the observatory."  # "Moorings measure ...": not of the pump


def test_a_sentence_that_says_where_to_read_is_no_answer() -> None:
    passages = [Passage("Cobalt Memo#Licensing", "For the licence decision, see Cobalt licensing."),
                Passage("Cobalt#Licensing", "Cobalt has been released under the Apache License 2.0 since version 4.0.")]  # fmt: skip
    got = pick(analyse("Which licence does Cobalt have?"), passages, {})
    assert got is not None and got.text == "Cobalt has been released under the Apache License 2.0 since version 4.0."


SETTINGS = (
    "Settings#Vim key bindings",
    "Use Vim key bindings when editing. The mode applies to every pane.\n",
)
SUPPORT = (
    "Help and support#Logs",
    "When Obsidian support asks for logs, open the console and copy what it shows.\n",
)


def test_a_yes_or_no_question_in_one_part_gets_no_second_unit_for_its_verb() -> None:
    # "support" is what is asked of Vim keys, not a second thing to find ("Obsidian support")
    passages = [Passage(*SUPPORT), Passage(*SETTINGS)]  # the support page retrieved first
    asked = analyse("Does Obsidian support Vim keys?")
    found = pick(asked, passages, {"obsidian": 0.3, "support": 3.0, "vim": 4.0, "keys": 3.0})  # "Obsidian" on most pages
    assert found is not None and found.sources == ("Settings#Vim key bindings",)


def test_a_yes_or_no_question_joining_two_asks_gets_a_unit_for_each() -> None:
    passages = [Passage(*SETTINGS), Passage(*SUPPORT)]
    asked = analyse("Does Obsidian have Vim keys, and does support want logs from the console?")
    found = pick(asked, passages, {t: 1.0 for t in asked.terms})
    assert found is not None and set(found.sources) == {"Settings#Vim key bindings", "Help and support#Logs"}


ROVER = (
    "# Kestrel Rover\n\nThe Kestrel Rover is an autonomous tracked seabed rover built at the observatory for long surveys.\n\n"
    "## Specifications\n\n- Depth rating: 120 m\n- Endurance: 12 h at 0.3 m/s\n"
)


def test_a_close_unit_holding_the_form_asked_answers_and_the_form_says_what_is_asked(make_repo) -> None:  # type: ignore[no-untyped-def]
    # the description sentence is closer in meaning; the speed is what "How fast" asks, though "move" is said nowhere
    root = make_repo({"vehicles/Kestrel Rover.md": ROVER, "vehicles/Tern.md": "# Tern\n\nThe Tern is the research vessel.\n"})
    assert answer(root, "How fast can the Kestrel Rover move?").text == "Endurance: 12 h at 0.3 m/s."


RELEASES = "# Releases\n\nVersion 0.9.21 was released on 2020-12-07.\n\nVersion 1.8.3 was released on 2025-08-22.\n"


def test_a_version_the_question_names_must_be_what_the_answer_is_about(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Releases.md": RELEASES, "Obsidian.md": "# Obsidian\n\nObsidian 1.0 changed how tabs work.\n"})
    assert answer(root, "When was version 1.8.3 released?").text == "Version 1.8.3 was released on 2025-08-22."
    withheld = answer(root, "When was version 1.2 released?")  # another version's date is no answer
    assert (withheld.found, withheld.why) == (False, "no passage that answers mentions 1.2")


def test_a_measure_is_no_version() -> None:
    assert analyse("Can I upload files larger than 2.5 MB?").versions == ()
    assert analyse("When was Obsidian 1.0 released?").versions == ("1.0",)
