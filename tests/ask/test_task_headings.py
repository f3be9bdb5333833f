"""A how-to is answered where the wiki names its task: under the heading that names it, by the
sentence whose purpose it is (issue 19, answers that answer)."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.index import Hit
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import retrieve
from kbsleep.search.tasks import named_task, purpose, purpose_holds, task_match
from kbsleep.search.words import stem
from tests.ask.support import TwoRankings

EMBED = """\
# Embed files

## Embed an image in a note

To embed an image:

```md
![[photo.jpg]]
```

You can also embed an externally hosted image by using a Markdown link to the image on the web.
"""

MEDIA = """\
# Media files

## Images

If you host an image on an external service, size the image as our image embedding instructions say.
Images on the web should be small. Compress every image before you embed it.
"""

GRAPH = """\
# Graph view

To open the Graph view, click Open graph view in the ribbon.

## Local graph

To open a local Graph view, use the Open local graph command.
"""


def _asked(*words: str) -> set[str]:
    return {stem(w) for w in words}


def test_how_well_a_name_names_the_task() -> None:
    asked = _asked("embed", "image")
    assert named_task("Embed an image in a note", asked) == (2 / 3) ** 0.5
    assert named_task("Images", asked) == 0.5 ** 0.5
    assert purpose("To embed an image: `![[photo.jpg]]`", asked) == 1.0
    assert purpose("You can also embed an image.", asked) == 0.0
    assert purpose("To embed a photo, drag it", asked, least=0.75) == 0.0  # 0.5: under the least
    assert task_match("Embed files#Embed an image in a note", asked, "To embed an image:") == 1.0


def test_a_how_to_is_answered_under_the_heading_that_names_its_task(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Embed files.md": EMBED, "Media files.md": MEDIA})
    got = ask(root, load_config(root), "How do I embed an image?", engine="offline", record=False)
    assert got.text == "To embed an image: `![[photo.jpg]]`"
    assert [c.path for c in got.citations] == ["Embed files.md"]


def test_of_two_close_sentences_the_one_whose_purpose_is_the_task_answers(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Graph view.md": GRAPH})
    got = ask(root, load_config(root), "How do I open the graph view?", engine="offline", record=False)
    assert got.text == "To open the Graph view, click Open graph view in the ribbon."


CALLOUTS = """\
# Callouts

## Foldable callouts

You can make a callout foldable by adding a plus (`+`) or a minus (`-`) directly after the type identifier.

> [!faq]- Are callouts foldable?
> Yes! In a foldable callout, the contents are hidden when the callout is collapsed.
"""


def test_a_sentence_that_says_by_what_means_the_task_is_done_states_its_purpose(make_repo) -> None:  # type: ignore[no-untyped-def]
    asked = _asked("callout", "foldable")
    assert purpose("You can make a callout foldable by adding a plus.", asked) == (2 / 3) ** 0.5
    assert purpose("You can fold a callout.", asked) == 0.0  # says that, not how
    root: Path = make_repo({"Callouts.md": CALLOUTS})
    got = ask(root, load_config(root), "How do I make a callout foldable?", engine="offline", record=False)
    assert got.text.startswith("You can make a callout foldable by adding a plus")  # not the example callout's "In a foldable callout, ..."


INBOX = """\
# Inbox

## New notes

To add a note to the inbox folder for new notes:

1. Click **New note** at the top of the file list.
2. Type the name of the note, and then press Enter.

> [!tip]- Change the folder
> You can change the inbox folder for new notes under **Settings → Files → Inbox folder**.
"""


def test_a_sentence_that_says_under_which_setting_the_task_is_done_states_its_purpose(make_repo) -> None:  # type: ignore[no-untyped-def]
    asked = _asked("change", "inbox", "folder")
    assert purpose("You can change the inbox folder under Settings → Files.", asked) == 1.0
    assert purpose("You can find the inbox folder in the file list.", asked) == 0.0  # where it is, not how
    root: Path = make_repo({"Inbox.md": INBOX})
    got = ask(root, load_config(root), "How do I change the inbox folder for new notes?", engine="offline", record=False)
    assert got.text.startswith("You can change the inbox folder for new notes under Settings")  # not the steps that add a note


FILTERS_AND_TABLES = {
    "Clipper/Filters.md": "# Filters\n\n## `table`\n\nConverts an array into a Markdown table.\n\n"
    "For a simple array, it creates a single-column table with Value as the header.\n",
    "Formatting/Tables.md": "# Advanced formatting\n\n## Tables\n\nYou can create tables using vertical bars to separate columns. Here's an example:\n\n"
    "```md\n| First name | Last name |\n| --- | --- |\n| Max | Planck |\n| Marie | Curie |\n```\n",
}


def test_a_sentence_whose_purpose_is_the_task_answers_over_one_that_describes_a_function(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo(FILTERS_AND_TABLES)
    got = ask(root, load_config(root), "How do I create a table?", engine="offline", record=False)
    assert got.text == "You can create tables using vertical bars to separate columns."  # "Here's an example:" without it says nothing
    assert [c.path for c in got.citations] == ["Formatting/Tables.md"]


PALETTE_AND_PUBLISH = {
    "Publish/Set up Publish.md": "# Set up Publish\n\nPublish puts your notes on the web.\n\n## Open via Command palette\n\n"
    "1. Open the Command palette.\n2. Type Publish.\n3. Select Publish changes.\n",
    "Plugins/Command palette.md": "# Command palette\n\nThe Command palette runs any command from the keyboard.\n\n"
    "To run a command from the Command palette:\n\n1. Press `Ctrl+P` to open the Command palette.\n2. Type the name of the command.\n",
}


def test_what_follows_via_or_using_in_a_heading_is_the_means_not_the_task(make_repo) -> None:  # type: ignore[no-untyped-def]
    asked = _asked("open", "command", "palette")
    assert named_task("Open via Command palette", asked) == (1 / 3) ** 0.5  # opens Publish, by the palette
    assert named_task("Open the Command palette", asked) == 1.0
    root: Path = make_repo(PALETTE_AND_PUBLISH)
    got = ask(root, load_config(root), "How do I open the command palette?", engine="offline", record=False)
    assert "Press `Ctrl+P` to open the Command palette." in got.text and "Type Publish" not in got.text


HEADING_LINKS = """\
# Internal links

## Link to a heading in a note

You can link to specific headings in notes, also known as anchor links.

To link to a heading in another note, add a hash (`#`) at the end of the link destination, followed by the heading text.
"""


def test_of_close_sentences_the_one_whose_purpose_holds_the_whole_task_says_how(make_repo) -> None:  # type: ignore[no-untyped-def]
    asked = _asked("link", "heading")
    assert purpose_holds("To link to a heading in another note, add a hash.", asked)
    assert not purpose_holds("You can link to specific headings in notes.", asked)  # what you can do, not how
    assert not purpose_holds("To link to a note, type [[.", asked)
    root: Path = make_repo({"Internal links.md": HEADING_LINKS})
    got = ask(root, load_config(root), "How do I link to a heading?", engine="offline", record=False)
    assert got.text.startswith("To link to a heading in another note, add a hash")


def test_a_how_to_s_section_named_for_its_task_is_ranked_first_though_the_vectors_rank_it_last() -> None:
    hits = [Hit("Embed files.md", "Embed files", "Embed an image in a note", 1, 1, "To embed an image:", 1.0, 1),
            Hit("Media files.md", "Media files", "Images", 1, 1, "Size an image you embed.", 1.0, 2),
            Hit("Style.md", "Style", "Icons", 1, 1, "Embed small images.", 1.0, 3)]  # fmt: skip
    index = TwoRankings(hits, nearest=[2, 3, 1])
    assert retrieve(index, analyse("How do I embed an image?"), vector=[1.0]).pages[0] == "Embed files.md"
    assert retrieve(index, analyse("Which image can I embed?"), vector=[1.0]).pages[0] == "Media files.md"  # not a how-to: RRF alone


def test_a_heading_in_code_names_a_function_not_a_task() -> None:
    asked = _asked("table")
    assert named_task("`table`", asked) == 0.0  # the Web Clipper's `table` filter
    assert named_task("Tables", asked) == 1.0


LINK_NOTES = """\
# Link notes

## Navigate between notes

A backlink lets you navigate in the opposite direction of an existing link.

1. Open the "Isaac Newton" note.
2. In the right sidebar, click the Backlinks tab.
3. Under Linked mentions, click the mention in "Three laws of motion" to go to that note.
"""

BLOCKS = """\
# Internal links

## Link to a block in a note

A block is a unit of text in your note, such as a paragraph, block quote, or list item.

You can link to a block by adding `#^` at the end of your link destination, followed by a block identifier.
"""


def test_a_list_elsewhere_that_misses_a_word_of_the_question_the_best_unit_holds_does_not_answer(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Link notes.md": LINK_NOTES, "Internal links.md": BLOCKS})
    got = ask(root, load_config(root), "How do I link to one specific paragraph of another note instead of the whole note?", engine="offline", record=False)
    assert got.text == (
        "A block is a unit of text in your note, such as a paragraph, block quote, or list item. "
        "You can link to a block by adding `#^` at the end of your link destination, followed by a block identifier."
    )
    got = ask(root, load_config(root), "How do I navigate to the notes that link to a note?", engine="offline", record=False)
    assert got.text.startswith("A backlink lets you navigate")  # the list answers its own task


TABS = """\
# Tabs

## Open a new tab

At the top of the application window, next to the last tab on the right, select **New tab** ![[lucide-plus.svg#icon]]. Or, use a keyboard shortcut:

- **Windows and Linux:** `Ctrl+t`
- **macOS:** `Cmd+t`
"""


def test_a_how_to_s_answer_that_announces_a_list_is_quoted_with_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Tabs.md": TABS})
    got = ask(root, load_config(root), "How do I open a note in a new tab?", engine="offline", record=False)
    assert got.text == (
        "At the top of the application window, next to the last tab on the right, select New tab.\n"
        "Or, use a keyboard shortcut:\n- Windows and Linux: `Ctrl+t`\n- macOS: `Cmd+t`"
    )


def test_of_two_close_units_for_a_how_to_the_one_under_the_heading_naming_the_task_answers() -> None:
    passages = [Passage("Tabs#Move tab to a new window", "Open the Command Palette, and select Move current tab to new window."),
                Passage("Tabs#Open a new tab", "Select New tab at the top of the window to open one.")]  # fmt: skip
    got = pick(analyse("How do I open a note in a new tab?"), passages, {"open": 0.0, "note": 2.0, "new": 2.0, "tab": 2.0})
    assert got is not None and got.text == "Select New tab at the top of the window to open one."


def test_an_item_labelled_with_the_task_answers_the_how_to_alone(make_repo) -> None:  # type: ignore[no-untyped-def]
    # the label holds the task's verb and its object; the page's other lists describe the sheet
    sheet = (
        "Overview of the Sheet, a table of the published settings.\n\n## Key facts\n\n- The Sheet displays the published settings of each tool.\n"
        "- It shows default settings too.\n\n## Buttons\n\n- Publish Settings: Add settings not yet listed. Tick a box and click Publish.\n"
        "- Unpublish: Remove the selected row.\n- Show Paths: Toggle the path column.\n"
    )
    root = make_repo({"Sheet.md": sheet, "Tools.md": "Tools cut and drill.\n", "Paths.md": "A path names a tool's place.\n"})
    text = ask(root, load_config(root), "How do I publish a setting that the Sheet does not list yet?", engine="offline", record=False).text
    assert text == "Publish Settings: Add settings not yet listed. Tick a box and click Publish."


def test_a_label_names_the_task_when_it_holds_its_verb_and_another_of_its_words() -> None:
    from kbsleep.search.guides import labelled_task
    from kbsleep.search.units import Unit

    asked = {stem(w) for w in ("publish", "tool", "setting", "sheet")}
    item = lambda text: Unit("Sheet#Buttons", text, "item", 0, 1)  # noqa: E731
    assert labelled_task(item("Publish Settings: Add settings not yet listed."), asked, "publish")
    assert not labelled_task(item("Publish: Add settings not yet listed."), asked, "publish")  # the verb alone names no object
    assert not labelled_task(item("Settings: Publish them from the Sheet."), asked, "publish")  # the verb in the text, not the label
    assert not labelled_task(item("Publish Settings: Add settings."), asked, None)
    assert not labelled_task(item("Publish Selected Settings: Add the ticked ones."), asked, "publish")  # a narrower task


def test_a_how_to_whose_verb_the_wiki_says_with_a_synonym_is_answered(make_repo) -> None:  # type: ignore[no-untyped-def]
    # "pick", "choose" and "select" say one task: a page on selecting a key says how to pick one
    text = "# Shard key selection\n\nSelecting the right shard key means grouping exactly the requests whose responses are equal.\n"
    replicas = "# Replicas\n\nA client may pick any replica, or choose the nearest one.\n"  # the wiki says "pick" and "choose", elsewhere
    root = make_repo({"Shard key selection.md": text, "Replicas.md": replicas})
    for verb in ("pick", "choose"):
        found = ask(root, load_config(root), f"How do I {verb} a shard key?", engine="offline", record=False)
        assert found.found and "Selecting the right shard key" in found.text, verb
