"""A page that says nothing yet (a stub holding a placeholder tag, a footer of links) answers no
definition question, and no other page's mention of its name stands in for it: "What is PARA?"
is not in the wiki when the page PARA is empty and a plugin page speaks of "the PARA system"."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.abstain import as_asked
from kbsleep.search.extract import visible
from kbsleep.search.question import analyse
from kbsleep.search.units import units

STUB = (
    "---\ntags:\n- seedling\n---\n\n# PARA\n\n%% Add a description below this line. %%\n\n#placeholder/description\n\n"
    "%% Hub footer: Please don't edit anything below this line %%\n\n# This note in GitHub\n\n"
    '<span class="git-footer">[Edit In GitHub](https://github.dev/x/PARA.md) | [Copy this note](https://raw.example.org/PARA.md)</span>\n'
)
PLUGIN = "# Periodic PARA\n\nAssist in practicing the PARA system with periodic notes.\n"


def test_tags_alone_and_a_bar_of_links_are_no_answer_units() -> None:
    assert units("PARA", visible(STUB)) == []  # (as `ask` reads it: comments are not shown)
    text = "#tag #other\n\n[[A]] | [[B]] · [C](https://c.org)\n\n#not-a-heading but a sentence.\n\n# Heading\n\nSee [[A]]."
    assert [(u.text, u.lead) for u in units("X", text)] == [("#not-a-heading but a sentence.", ""), ("See A.", "")]


def test_a_definition_of_an_empty_page_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Concepts/PARA.md": STUB, "Plugins/periodic-para.md": PLUGIN})
    answer = ask(root, load_config(root), "What is PARA?", engine="offline", record=False)
    assert (answer.found, answer.why) == (False, "the page PARA has no text yet")


def test_the_page_that_mentions_it_still_answers_what_it_asks(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Concepts/PARA.md": STUB, "Plugins/periodic-para.md": PLUGIN})
    answer = ask(root, load_config(root), "What is Periodic PARA?", engine="offline", record=False)
    assert answer.text == "Assist in practicing the PARA system with periodic notes."


def test_a_list_item_that_is_only_a_link_names_a_page_and_answers_only_which(make_repo) -> None:  # type: ignore[no-untyped-def]
    kerberos = (
        "# Kerberos\n\nCreated by [[Massachusetts Institute of Technology|MIT]].\nA single sign-on authentication protocol.\n\n"
        "# Concepts\n- [[Kerberos SSO Process]]\n- [[Kerberoasting Attack]]\n"
    )
    root = make_repo({"Kerberos.md": kerberos, "Kerberos SSO Process.md": "# Kerberos SSO Process\n\nThe server grants the user a ticket.\n"})
    config = load_config(root)
    assert ask(root, config, "Who created Kerberos?", engine="offline", record=False).text.startswith("Created by MIT.")
    assert units("Kerberos#Concepts", "- [[Kerberos SSO Process]]\n- See [[Kerberoasting Attack]]\n")[0].bare
    assert not units("Kerberos#Concepts", "- [[Kerberos SSO Process]]\n- See [[Kerberoasting Attack]]\n")[1].bare


def test_a_thing_the_wiki_never_names_as_a_whole_is_not_defined_from_its_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    # "red", "black" and "tree" are all in the wiki, never together: no page says what a red-black tree is
    pages = {
        "Themes.md": "# Themes\n\nA theme sets colours: red for links, black for text.\n",
        "Outline.md": "# Outline\n\nThe outline shows a tree of the headings in a note.\n",
    }
    root = make_repo(pages)
    answer = ask(root, load_config(root), "What is a red-black tree?", engine="offline", record=False)
    assert (answer.found, answer.why) == (False, "the wiki never mentions red-black tree")  # as the question writes it
    named = ask(root, load_config(root), "What is the outline?", engine="offline", record=False)
    assert named.found  # a page's own name
    said = ask(root, load_config(root), "What is a tree of the headings?", engine="offline", record=False)
    assert said.why != "the wiki never mentions tree of the headings"  # a clause is no name: the other checks decide


def test_why_names_a_possessive_phrase_as_the_question_writes_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    # the words `why` lists back keep the question's apostrophe: "breaker's", never "breaker s"
    pages = {
        "Resilience.md": "# Resilience\n\nA breaker stops calls to a failing service; its window is 90 seconds.\n",
        "Startup.md": "# Startup\n\nA hook runs a script when a container starts.\n",
    }
    root = make_repo(pages)
    for question, phrase in [
        ("What is a breaker's window hook?", "breaker's window hook"),  # each word in the wiki, never together
        ("What is the Container\u2019s Script Window?", "Container's Script Window"),  # as written, a curly apostrophe as a straight one
    ]:
        answer = ask(root, load_config(root), question, engine="offline", record=False)
        assert (answer.found, answer.why) == (False, f"the wiki never mentions {phrase}")


def test_why_lists_the_words_as_the_question_writes_them() -> None:
    question = analyse("How do I sync Dev Arunachalam\u2019s notes from ChromeOS to an e-reader?")
    assert as_asked(question, ["chromeos", "dev arunachalam's", "e-reader"]) == "Dev Arunachalam's, ChromeOS, e-reader"  # in its order
    assert as_asked(question, ["chrome"]) == "chrome"  # a part of a longer word the question writes: as it is
    assert as_asked(analyse("Can I sync only over Wi-Fi?"), ["wi", "fi"]) == "Wi-Fi"  # one hyphenated term
    assert as_asked(analyse("How does Cassandra use Merkle trees for anti-entropy?"), ["merkle", "anti"]) == "Merkle, anti-entropy"
    assert as_asked(analyse("Who won the 1998 football World Cup?"), ["world", "cup"]) == "World Cup"  # side by side: one name


def test_why_says_so_when_no_section_matches_the_question(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Themes.md": "# Themes\n\nA theme sets colours.\n"})
    answer = ask(root, load_config(root), "Who painted Guernica?", engine="offline", record=False)
    assert (answer.found, answer.why) == (False, "no section of the wiki matches the question")
