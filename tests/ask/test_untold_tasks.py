"""A "how do I" question is not answered from pages that never say its task's verb: "How do I
install a theme?" gets no steps for submitting one. A verb that says little ("get", "make") or
a phrasal one ("turn on") asks nothing this can check, and a verb the wiki never uses may be
said in other words, so neither withholds the answer."""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import analyse, task_verb, task_words, verbs

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


def test_a_choice_asks_for_a_criterion_not_a_task_a_page_must_name() -> None:
    assert [task_verb(analyse(q)) for q in ("How do I decide which entry to evict?", "How should I choose what to cache?", "How can I determine whether a node is down?")] == [None, None, None]
    assert [task_verb(analyse(q)) for q in ("How do I choose a theme?", "How do I pick a colour for a tag?")] == ["choose", "pick"]  # a thing chosen, no choice asked


def test_a_choice_is_answered_by_the_page_that_gives_the_criterion_in_its_own_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Caching/Cache eviction.md": "# Cache eviction\n\nA full cache evicts the entry that was used least recently, so entries read a moment ago stay in memory.\n",
        "Jobs/Scheduling.md": "# Scheduling\n\nThe scheduler may decide to run a job later when the machine is busy.\n",
    })  # fmt: skip
    answer = ask(root, load_config(root), "How do I decide which entry a full cache should evict?", engine="offline", record=False)
    assert answer.found and "least recently" in answer.text


SOURDOUGH = (
    "# Sourdough\n\n## Starter\n\nOnce a day, feed the starter with equal weights of flour and water, until it doubles in a few hours.\n\n"
    "Then make the bread:\n\n1. Mix the dough with some of the starter.\n2. Shape the loaf and let it rise overnight.\n3. Bake the loaf for 40 minutes.\n"
)


def test_a_list_that_never_says_the_task_is_another_stage_than_the_sentence_that_does(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Baking/Sourdough.md": SOURDOUGH, "Baking/Flour.md": "# Flour\n\nBread flour holds more protein than cake flour.\n"})
    answer = ask(root, load_config(root), "How do I feed a sourdough starter?", engine="offline", record=False)
    assert answer.found and "equal weights of flour and water" in answer.text and "Mix the dough" not in answer.text
    answer = ask(root, load_config(root), "How do I bake sourdough bread?", engine="offline", record=False)
    assert answer.found and "Bake the loaf for 40 minutes." in answer.text  # the list says this task


# -- "stop X from being synced": the task is to exclude X ------------------------------------------

SYNC_PAGES = {
    "Sync/Selective syncing.md": (
        "# Selective syncing\n\nBy default every file and folder in the vault is synced.\n\n"
        "## Exclude a folder from syncing\n\nTo exclude a folder from syncing:\n\n"
        "1. Open Settings, then Sync.\n2. Next to Excluded folders, select Manage.\n3. Pick the folder and select Done.\n"
    ),
    "Sync/Remote vaults.md": (
        "# Remote vaults\n\nA remote vault is the copy of a vault kept on the sync server. Each device syncs its local "
        "folder with it, and syncing stops while the app is closed.\n"
    ),
    "Sync/Sync regions.md": "# Sync regions\n\nA remote vault is kept in the region you pick when you create it; syncing a folder across regions is slower.\n",
}


def test_stop_or_keep_something_from_being_done_asks_to_exclude_it() -> None:
    for question in ("How do I stop the Drafts folder from being synced?", "How can I keep my images from showing in the graph?", "How do I prevent a file from syncing?"):
        asked = analyse(question)
        assert verbs(question) == ("exclude",)
        assert asked.terms[0] == "exclude" and task_verb(asked) == "exclude"  # "stop" is no task of its own here
    assert verbs("How do I stop syncing?") == () and task_verb(analyse("How do I stop syncing?")) == "stop"  # a task to stop, said as such
    assert analyse("Why does sync stop after an hour?").terms == ("sync", "stop", "hour")  # no "from": the word as asked


def test_how_do_i_stop_a_folder_from_being_synced_gets_the_exclude_steps(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(SYNC_PAGES)
    for question in ("How do I stop one particular folder in my vault from being synced?", "How can I keep one folder from syncing?"):
        answer = ask(root, load_config(root), question, engine="offline", record=False)
        assert answer.found, question
        assert "Next to Excluded folders, select Manage." in answer.text


def test_a_task_to_exclude_is_said_by_disabling_preventing_or_hiding_too(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert {"exclude", "disable", "prevent", "hide"} <= task_words("exclude") and task_words("install") == {"install"}
    plugins = "# Plugins\n\n## Disable a plugin\n\nTo disable a plugin so that it no longer loads at startup:\n\n1. Open Settings.\n2. Turn off the plugin's toggle.\n"
    root = make_repo({**SYNC_PAGES, "Plugins.md": plugins})
    answer = ask(root, load_config(root), "How do I stop a plugin from loading at startup?", engine="offline", record=False)
    assert answer.found and "Turn off the plugin's toggle." in answer.text


def test_stopping_something_no_retrieved_page_excludes_is_not_in_the_wiki(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(SYNC_PAGES)
    answer = ask(root, load_config(root), "How do I stop the remote vault from being kept in a region?", engine="offline", record=False)
    assert not answer.found and answer.why == "no page retrieved says how to exclude"


def test_a_verb_whose_particle_follows_its_object_says_little_of_the_task() -> None:
    asked = ("How do I bring my boards over from Trello?", "How can I carry my settings across to a new laptop?", "How do I move my vault to a new laptop?")
    assert [task_verb(analyse(q)) for q in asked] == [None, None, "move"]


def test_a_task_said_with_a_split_phrasal_verb_is_answered_by_the_page_that_does_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "Import/Import from Trello.md": "# Import from Trello\n\nUse the Importer plugin to import your boards from Trello.\n\n1. Export your boards as JSON.\n2. Open the Importer and select the file.\n",
        "Boards.md": "# Boards\n\nA board holds lists of cards.\n",
        "Themes.md": "# Themes\n\nThemes bring colour to the app.\n",
    })  # fmt: skip
    answer = ask(root, load_config(root), "How do I bring my boards over from Trello?", engine="offline", record=False)
    assert answer.found and answer.citations[0].path == "Import/Import from Trello.md"
