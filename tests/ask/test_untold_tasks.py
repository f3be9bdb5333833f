"""A "how do I" question is not answered from pages that never say its task's verb: "How do I
install a theme?" gets no steps for submitting one. A verb that says little ("get", "make") or
a phrasal one ("turn on") asks nothing this can check, and a verb the wiki never uses may be
said in other words, so neither withholds the answer."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import analyse, task_verb

PAGES = {
    "Guides/Submit a theme.md": (
        "# Submit a theme\n\nTo submit your theme to the community theme store:\n\n"
        "1. Fork the releases repository.\n2. Add your theme to the list of community themes.\n3. Open a pull request.\n"
    ),
    "Guides/Theme colours.md": "# Theme colours\n\nA theme sets its colours with CSS variables. Install the Style Settings plugin to change them.\n",
}


def test_the_task_verb_is_the_one_after_how_do_i_unless_it_says_little() -> None:
    assert [task_verb(analyse(q)) for q in ("How do I install a community theme?", "How can I rename a tag?", "How do I get my notes back?", "How do I turn on 2FA?")] == [
        "install", "rename", None, None,
    ]  # fmt: skip
    assert task_verb(analyse("Who installs themes?")) is None


def test_a_how_to_answered_only_by_pages_that_never_say_its_task_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "How do I submit a community theme?", engine="offline", record=False)
    assert answer.found and "Fork the releases repository." in answer.text
    answer = ask(root, load_config(root), "How do I install a community theme?", engine="offline", record=False)
    assert not answer.found and answer.why == "no page retrieved says how to install"


def test_a_task_verb_the_wiki_never_uses_is_left_to_the_other_checks(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(PAGES)
    answer = ask(root, load_config(root), "How do I publish a community theme?", engine="offline", record=False)
    assert answer.why != "no page retrieved says how to publish"  # "publish" may be "submit" here


def test_a_verb_of_changing_says_little_a_setting_is_adjusted_set_or_switched(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert [task_verb(analyse(q)) for q in ("How do I change the font size?", "How can I modify the theme?", "How do I adjust the zoom?")] == [None, None, None]
    settings = "# Appearance\n\nThe appearance settings hold the font and the theme.\n\n## Font size\n\nAdjust the font size of the editor with the slider, from 10 to 30 pixels.\n"
    root = make_repo({**PAGES, "Settings/Appearance.md": settings})
    answer = ask(root, load_config(root), "How do I change the font size?", engine="offline", record=False)
    assert answer.found and "Adjust the font size" in answer.text
