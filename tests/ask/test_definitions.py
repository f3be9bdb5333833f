""""What is X?" gets the sentence that says what X is: X's page's opening sentence, or a sentence
that defines X wherever it is ("Canvas is a core plugin ..."), never a sentence that merely
mentions X on a page retrieved first ("Callouts are also supported on Publish")."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.llm.model import Passage
from kbsleep.search.blocks import walk
from kbsleep.search.defining import definition
from kbsleep.search.extract import pick
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import named_page
from kbsleep.search.queries import Hit
from kbsleep.search.units import units

CALLOUTS = """\
Use callouts to include additional content without breaking the flow of your notes.

## Foldable callouts

You can make a callout foldable by adding a plus (+) or a minus (-) after the type identifier.
"""
PUBLISH = "Callouts are also supported natively on Obsidian Publish, with the same styles as in the app.\n"
IDF = {"callouts": 2.0}


def test_the_opening_sentence_of_the_named_page_answers_what_it_is() -> None:
    asked = analyse("What are callouts?")
    context = [Passage("Publish limitations#Callouts", PUBLISH), *(Passage(f"Callouts{'#' + h if h else ''}", t) for h, t in _sections(CALLOUTS))]
    got = pick(asked, context, IDF, about="Callouts")
    assert got is not None
    assert got.text == "Use callouts to include additional content without breaking the flow of your notes."


def test_a_defining_sentence_answers_though_its_page_was_retrieved_low() -> None:
    asked = analyse("What is Obsidian Sync?")
    context = [
        Passage("Sync settings#Sync settings", "Sync settings do not sync across devices with Obsidian Sync.\n"),
        Passage("Set up Obsidian Sync", "This guide walks you through setting up Obsidian Sync on your first device.\n"),
        Passage("Switch to Obsidian Sync", "If you use another sync service, switch to Obsidian Sync in three steps.\n"),
        Passage("Introduction to Obsidian Sync", "Obsidian Sync is an add-on service that allows you to privately sync your notes across devices.\n"),
    ]
    got = pick(asked, context, {"obsidian": 0.2, "sync": 1.0})
    assert got is not None and got.sources == ("Introduction to Obsidian Sync",)


def test_what_defines_a_subject_and_what_only_mentions_it() -> None:
    defines = definition("callouts")
    assert defines is not None
    assert defines.match("Callouts are blocks that stand out from the text.")
    assert defines.match("Callouts let you highlight content.")
    assert not defines.match("Callouts are also supported natively on Obsidian Publish.")
    assert not defines.match("Callouts are shown folded when their type ends in a minus.")
    assert not defines.match("Custom callouts are defined in CSS.")  # a lower-case word before is another subject
    clipper = definition("web clipper")
    assert clipper is not None and clipper.match("Obsidian Web Clipper is a browser extension.")


def test_a_subject_is_defined_in_the_singular_or_the_plural() -> None:
    base, callout = definition("base"), definition("callouts")
    assert base is not None and callout is not None
    assert base.match("Bases is a core plugin that lets you create database-like views.")
    assert base.match("A base is a file that holds views.")
    assert callout.match("A callout is a block that stands out.")
    assert not base.match("Baseline is a term.")


def test_a_question_in_the_text_is_no_answer() -> None:
    asked = analyse("Can callouts be folded?")
    context = [Passage("Callouts#FAQ", "Are callouts foldable?\n\nYes: add a plus or a minus after the type identifier to fold callouts.\n")]
    got = pick(asked, context, IDF)
    assert got is not None and got.text.startswith("Yes: add a plus")


def test_a_code_fence_in_a_callout_is_code() -> None:
    text = "> [!example]\n> ```css\n> .callout { display: none; }\n> ```\n"
    assert [line for line in walk(text)[1]] == [("> [!example]", "[!example]"), None, None]
    assert units("Callouts", text) == []


def test_a_name_is_named_word_for_word_but_for_a_plural() -> None:
    def hit(page: str, title: str) -> Hit:
        return Hit(page, title, "", 1, 1, "", 1.0)

    hits = [hit("Template plugins.md", "Template plugins"), hit("templater-obsidian.md", "Templater")]
    assert named_page(analyse("Who is the developer of the Templater plugin?"), hits) == "templater-obsidian.md"
    assert named_page(analyse("Which template plugins are there?"), hits) == "Template plugins.md"


def _sections(text: str) -> list[tuple[str, str]]:
    parts = text.split("\n## ")
    return [("", parts[0])] + [(p.partition("\n")[0], p.partition("\n")[2]) for p in parts[1:]]


def test_an_acronym_names_the_page_it_abbreviates(make_repo) -> None:  # type: ignore[no-untyped-def]
    from kbsleep.search.defining import names_page

    assert names_page("cpu", "Central Processing Unit") and names_page("faq", "Frequently asked questions")
    assert names_page("vanishing gradient problem", "Vanishing gradients") and names_page("the templater plugin", "Templater")
    assert not names_page("vanishing gradient problem", "Exploding gradients")
    assert not names_page("cpu", "Mobile CPUs") and not names_page("c", "Cobalt")
    phones = {f"Phone {i}.md": f"# Phone {i}\n\nThe phone {i} has a CPU and a CPU cooler; its CPU runs the apps.\n" for i in range(3)}
    root = make_repo({
        "Central Processing Unit.md": "---\naliases: [CPU]\n---\n# Central Processing Unit\n\nThe central processing unit executes the instructions of a program.\n",
        **phones,
    })  # fmt: skip
    for question in ("What is a CPU?", "What does the CPU do?"):
        got = ask(root, load_config(root), question, engine="offline", record=False)
        assert got.text == "The central processing unit executes the instructions of a program.", question


def test_notes_under_a_heading_that_names_the_thing_open_with_what_it_is(make_repo) -> None:  # type: ignore[no-untyped-def]
    compression = (
        "# Week 4 - Compression\n\n## Zipf's law\n"
        "_The product of the frequency of a word and its rank in the frequency list is constant_\n\n"
        "**The law only holds approximately**:\n* Unstable for the most frequent words\n* Large variation for the rarest words\n"
    )
    bloom = "# Bloom Filter\n\n* Probabilistic data structure for checking set membership\n\t* No means no, yes means probably\n\n## Bit-signature indices\n\n* Signature: a sequence of bits in a bloom filter\n"
    root = make_repo({"Week 4 - Compression.md": compression, "Week 12 - Bloom filters.md": bloom})
    config = load_config(root)
    assert ask(root, config, "What is Zipf's law?", engine="offline", record=False).text == "The product of the frequency of a word and its rank in the frequency list is constant."
    assert ask(root, config, "What is a Bloom filter?", engine="offline", record=False).text.startswith("Probabilistic data structure for checking set membership")


def test_a_page_named_by_a_common_word_yields_to_one_named_by_its_acronym(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Port.md": "# Port\n\nA port is an open interface of a networked device.\n\n| Port type | Range |\n|---|---|\n| Well-known | 0-1023 |\n",
        "Secure File Transfer Protocol.md": "---\naliases:\n  - SFTP\n---\nA use of SSH to download and upload files.\nConventionally found on port `tcp/22`.\n",
        "Network.md": "# Network\n\nEvery service listens on a port; see [[Port]].\n",
    })  # fmt: skip
    got = ask(root, load_config(root), "What port does SFTP use?", engine="offline", record=False)
    assert got.about == "Secure File Transfer Protocol.md" and "`tcp/22`" in got.text


def test_a_definition_question_about_a_page_named_by_its_file_is_not_abstained_on_its_framing_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    from kbsleep.search.abstain import unknown_attribute
    from kbsleep.search.question import analyse

    asked = analyse("What does HSTU stand for?")
    assert unknown_attribute(asked, {"stand": 0, "hstu": 3}, "Detected page", "HSTU") == []
    assert unknown_attribute(analyse("What is HSTU's favourite colour?"), {"favourite": 0, "colour": 0, "hstu": 3}, "Detected page", "HSTU") == ["favourite", "colour"]
    assert definition("hstu").match("HSTU（Hierarchical Sequential Transduction Unit，分层序列转换单元）是面向生成式推荐的骨干网络。")
    root = make_repo({"models/HSTU.md": '---\ntitle: "Detected page"\n---\n# HSTU\n\nHierarchical Sequential Transduction Units (HSTU) is a generative recommender.\n'})
    assert ask(root, load_config(root), "What does HSTU stand for?", engine="offline", record=False).found


def test_a_definition_question_names_a_page_by_its_alias(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Hashmap.md": "---\naliases:\n  - Hash Table\n  - Dictionary\n---\nThis is a one-way mapping from one datatype to another.\n",
        "Distributed Hash Table.md": "A hash table stored on a blockchain, mapping each hash to the peers that hold its data.\n",
        "Password Hash Table.md": "A table of password hashes, to look a password up by its hash.\n",
    })  # fmt: skip
    got = ask(root, load_config(root), "What is a hash table?", engine="offline", record=False)
    assert (got.text, got.about) == ("This is a one-way mapping from one datatype to another.", "Hashmap.md")
    got = ask(root, load_config(root), "What is a table?", engine="offline", record=False)
    assert got.about != "Hashmap.md"  # "Table" is no whole alias of it


def test_a_page_that_opens_with_facts_is_defined_by_them_and_a_filler_word_may_name_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert (analyse("What is the Things theme?").terms, analyse("What is the Things theme?").named) == (("things", "theme"), ("things",))
    root = make_repo({
        "Themes/Things.md": "# Things\n\nDesigned by: [[colineckert]]\nModes: [[Light-mode themes|light]], dark\n\n## Plugin compatibility\n\nPlugins listed here received special attention by the theme designer.\n",
        "Themes/Themes.md": "# Themes\n\nEvery theme in the hub, by name.\n",
        "Guide.md": "# Guide\n\nNow that you know the basic things about a theme, here are other things.\n",
    })  # fmt: skip
    got = ask(root, load_config(root), "What is the Things theme?", engine="offline", record=False)
    assert (got.text, got.about) == ("Things, designed by: colineckert. Modes: light, dark.", "Themes/Things.md")


def test_a_question_that_names_only_its_page_is_answered_there_by_the_form_it_asks(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Kestrel Rover.md": "# Kestrel Rover\n\nThe Kestrel Rover is a tracked seabed rover.\n\n## Specifications\n\n| Item | Value |\n|---|---|\n| Length | 2.4 m |\n| Mass in air | 310 kg |\n",
        "Tern.md": "# Tern\n\nThe Tern is a research vessel that carries the rover.\n",
    })  # fmt: skip
    got = ask(root, load_config(root), "How heavy is the Kestrel Rover?", engine="offline", record=False)
    assert got.text == "Mass in air: 310 kg."


def test_a_question_that_asks_nothing_but_its_page_is_answered_by_the_page_s_first_sentence(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Cloudbreak Pass.md": "---\ntype: location\n---\n## Description\n\nA thermal boundary high in the [[Veiled Peaks]] where mountain air meets desert heat.\n\n"
                              "## Notable Events\n\n- [[S05]] — The party followed an owl through the Pass to the plateau beyond\n",
        "Veiled Peaks.md": "## Notable Events\n\n- [[S05]] — The party passed through en route to Cloudbreak Pass and met a wolf pack.\n",
        "S05.md": "# S05\n\nAn owl led the party to Cloudbreak Pass.\n",
    })  # fmt: skip
    got = ask(root, load_config(root), "Where is Cloudbreak Pass?", engine="offline", record=False)
    assert got.text == "A thermal boundary high in the Veiled Peaks where mountain air meets desert heat."


def test_what_a_thing_is_in_a_named_place_asks_what_the_thing_is(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert analyse("What is a base in Obsidian?").subject == "base"
    assert analyse("What is a callout in Obsidian Publish?").subject == "callout"
    assert analyse("What is a hash table in python?").subject == "hash table in python"  # "python" written as no name: kept
    assert analyse("What is the difference in price?").subject == "difference in price"
    pages = {
        "Bases/Create a base.md": "# Create a base\n\nBases let you create database-like views of your notes.\n\nSelect New base in the ribbon.\n",
        "Home.md": "# Home\n\nWelcome to the Obsidian help site, where you find guides to Obsidian.\n",
        **{f"Guides/{name}.md": f"# {name}\n\nObsidian shows {name.lower()} in the sidebar.\n" for name in ("Tags", "Bookmarks", "Outline", "Backlinks")},
    }  # (as in a product's help, every page says the product's name)
    root = make_repo(pages)
    got = ask(root, load_config(root), "What is a base in Obsidian?", engine="offline", record=False)
    assert got.text == "Bases let you create database-like views of your notes."  # nothing more for "Obsidian": no second part


def test_a_capitalised_word_before_a_common_noun_names_another_thing() -> None:
    note = definition("note")
    assert note is not None
    assert note.match("A note is a Markdown file inside a vault.")
    assert not note.match("Random note is a core plugin that opens a random note.")
    assert not note.match("Daily notes are created from a template each morning.")
    recipe = definition("recipe")
    assert recipe is not None and not recipe.match("Weekly recipe is a plugin that suggests a meal.")
    assert recipe.match("The recipe is the list of steps a cook follows.")


def test_what_a_common_noun_is_comes_from_the_sentence_about_it_not_a_plugin_named_after_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Plugins/Random card.md": "# Random card\n\nRandom card is a plugin that shows a random card from your deck.\n\nTo show a random card, click the die.\n",
        "Glossary.md": "# Glossary\n\n## Card\n\nA card is a question on one side and its answer on the other.\n\n## Deck\n\nA deck is a set of cards.\n",
    })  # fmt: skip
    answer = ask(root, load_config(root), "What is a card?", engine="offline", record=False)
    assert answer.text == "A card is a question on one side and its answer on the other."
    both = ask(root, load_config(root), "What is the difference between a deck and a card?", engine="offline", record=False)
    assert both.text == "A deck is a set of cards.\n\nA card is a question on one side and its answer on the other."
