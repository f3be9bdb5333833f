"""What a page shows as an example is quoted as an example: a code span keeps its text and its
backticks (Obsidian parses nothing inside one), a paragraph that shows what the code block just
above it renders is no statement, and a sentence announcing a code block that cannot be quoted
is no answer to a question that is not a how-to."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.lint import lint
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.search.render import render
from kbsleep.search.units import units
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki

LINKS = """\
# Internal links

## Supported formats

Obsidian supports these link formats:

- Wikilink: `[[Three laws of motion]]` or `[[Three laws of motion.md]]`
- Markdown: `[Three laws of motion](Three%20laws%20of%20motion.md)`

## Link to a file

To create a link, type `[[` in the editor and select the file. Write `#tag` to tag the note.
"""

PARAGRAPHS = """\
# Basic formatting syntax

## Paragraphs

To create paragraphs, use a blank line to separate blocks of text.

```md
This is a paragraph.

This is another paragraph.
```

This is a paragraph.

This is another paragraph.

A blank line between lines of text creates separate paragraphs.
"""


def test_a_code_span_is_quoted_as_written() -> None:
    texts = [u.text for u in units("Internal links#Supported formats", LINKS.split("## Link to a file")[0])]
    assert "Wikilink: `[[Three laws of motion]]` or `[[Three laws of motion.md]]`" in texts
    assert "Markdown: `[Three laws of motion](Three%20laws%20of%20motion.md)`" in texts


def test_an_embed_or_an_image_written_in_a_code_span_is_quoted_as_written() -> None:
    text = "You can embed a base with the `![[File.base]]` syntax, an image with `![alt](photo.png)`, and see the icon ![[cog.svg#icon]].\n"
    assert [u.text for u in units("Bases", text)] == [
        "You can embed a base with the `![[File.base]]` syntax, an image with `![alt](photo.png)`, and see the icon."
    ]  # (an embed outside code shows a picture, no words)


def test_a_paragraph_that_shows_what_the_code_above_renders_is_no_answer_unit() -> None:
    assert [u.text for u in units("Basic formatting syntax#Paragraphs", PARAGRAPHS)] == [
        "To create paragraphs, use a blank line to separate blocks of text.",
        "A blank line between lines of text creates separate paragraphs.",
    ]


def test_a_paragraph_that_shows_the_lines_of_the_code_above_rendered_as_one_is_no_answer_unit() -> None:
    text = "A single return joins two lines when rendered.\n\n```md\nline one\nline two\n```\n\nRenders as:\n\nline one line two\n"
    assert [u.text for u in units("Line breaks", text)] == ["A single return joins two lines when rendered.", "Renders as:"]


def test_a_paragraph_that_only_shares_words_with_code_stays() -> None:
    text = "Run this:\n\n```sh\nkbsleep lint --fix now\n```\n\nThis fixes what it can.\n"
    assert [u.text for u in units("Lint", text)] == ["Run this: `kbsleep lint --fix now`", "This fixes what it can."]


def test_anticipate_writes_code_as_code_and_lint_finds_no_new_link_or_tag(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Internal links.md": LINKS})
    wiki = open_wiki(root)
    before = {d.name for d in lint(wiki).diagnostics}
    anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root)), Options())
    written = (root / "Internal links.md").read_text(encoding="utf-8")
    assert "type `[[` in the editor" in written
    assert "Three laws of motion or Three laws of motion.md" not in written
    after = open_wiki(root)
    assert {d.name for d in lint(after).diagnostics} <= before
    assert after.pages["Internal links.md"].tags == wiki.pages["Internal links.md"].tags


def test_a_sentence_announcing_code_it_cannot_quote_does_not_answer_a_yes_or_no_question(make_repo) -> None:  # type: ignore[no-untyped-def]
    long_code = "\n".join(f"line {i} of the example ^abc{i}" for i in range(6))
    root: Path = make_repo({
        "Block links.md": f"# Block links\n\nFor simple paragraphs, place a caret and the identifier at the end of the line:\n\n```md\n{long_code}\n```\n",
        "Multiple cursors.md": "# Multiple cursors\n\nObsidian lets you edit text in several places at the same time using multiple cursors.\n",
    })  # fmt: skip
    answer = ask(root, load_config(root), "Can I place the caret at several places of the line at the same time?", engine="offline", record=False)
    assert answer.text.startswith("Obsidian lets you edit text in several places at the same time")


def test_an_image_s_caption_in_italics_is_no_text_of_the_answer() -> None:
    text = "### Consequences\n* The third occurs cf_1/3 times\n![[Pasted image 2023.png | 750]] _Zipf's law for Reuters RCV1_\n"
    assert [u.text for u in units("Compression#Consequences", text)] == ["The third occurs cf_1/3 times"]
    assert [u.text for u in units("Notes", "See *this* sentence.\n")] == ["See this sentence."]


def test_a_how_to_answered_by_what_a_thing_is_goes_on_to_the_instruction_after_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    page = (
        "# Internal links\n\n## Link to a block in a note\n\n"
        "A block is a unit of text in your note, such as a paragraph, block quote, or list item.\n\n"
        "You can link to a block by adding `#^` at the end of your link destination, followed by a block identifier.\n"
    )
    root = make_repo({"Internal links.md": page})
    answer = ask(root, load_config(root), "How do I link to one paragraph of a note?", engine="offline", record=False)
    assert answer.text == (
        "A block is a unit of text in your note, such as a paragraph, block quote, or list item. "
        "You can link to a block by adding `#^` at the end of your link destination, followed by a block identifier."
    )


def test_an_icon_no_longer_shown_leaves_no_space_before_the_punctuation_after_it() -> None:
    text = "In the top of the note, select **More options** ![[lucide-more-horizontal.svg#icon]].\n"
    assert [u.text for u in units("Link notes", text)] == ["In the top of the note, select More options."]
    assert [u.text for u in units("Keys", "Press `Ctrl` + `.` , then type.\n")] == ["Press `Ctrl` + `.` , then type."]  # nothing hidden: as written


def test_a_label_that_introduces_steps_ends_with_a_colon(make_repo) -> None:  # type: ignore[no-untyped-def]
    page = "# Merge notes\n\n**File explorer**\n1. In the File explorer, right-click the note you want to merge.\n2. Click Merge entire file with.\n"
    root: Path = make_repo({"Merge notes.md": page})
    answer = ask(root, load_config(root), "How do I merge two notes in the File explorer?", engine="offline", record=False)
    assert answer.text.startswith("File explorer:\n1. In the File explorer, right-click the note")


def test_a_sentence_ending_in_a_comma_ends_in_a_colon_before_its_steps_and_a_full_stop_alone() -> None:
    found = units("Bread#Baking", "Once the dough has risen,\n\n1. Shape the loaf.\n2. Bake it for 40 minutes.\n")
    assert render(found, {}) == "Once the dough has risen:\n1. Shape the loaf.\n2. Bake it for 40 minutes."
    assert render(found[:1], {}) == "Once the dough has risen."  # alone it introduces nothing, and ends as a sentence does
    found = units("Trees#Training", "Given training data $D$,\n\n1. Split $D$ on the best feature.\n")
    assert render(found, {}) == "Given training data $D$:\n1. Split $D$ on the best feature."  # (math at its end, then the comma)


def test_a_step_quoted_without_its_list_is_a_sentence_not_a_first_step() -> None:
    found = units("Disks#Levels", "Disks can be combined in levels:\n\n1. Level 0 stripes blocks.\n2. Level 5 spreads the parity across disks\n")
    assert render(found[2:], {}) == "Level 5 spreads the parity across disks."  # the second step, which "1." would misnumber
    assert render([found[0], found[2]], {}) == "Disks can be combined in levels:\n1. Level 5 spreads the parity across disks"  # with its lead: a list
    assert render(found[1:], {}) == "1. Level 0 stripes blocks.\n2. Level 5 spreads the parity across disks"


def test_a_callout_s_title_is_a_line_of_its_own_and_its_type_s_name_is_no_text() -> None:
    text = "> [!info]+ Info\n> By default, snapshots are kept for 7 days.\n\n> [!warning] Non-refundable purchases\n> Some purchases are not refundable.\n"
    assert [u.text for u in units("File recovery", text)] == [
        "By default, snapshots are kept for 7 days.",
        "Non-refundable purchases",
        "Some purchases are not refundable.",
    ]


def test_a_callout_s_metadata_after_a_pipe_is_no_text() -> None:
    # `> [!infobox|right wide]`: Obsidian puts "right wide" in the callout's data-callout-metadata
    assert [u.text for u in units("Toodle", "> [!infobox|right n-th wikipedia]\n> Some text here.\n")] == ["Some text here."]
    assert [u.text for u in units("Toodle", "> [!tip|wide] Title here\n> Body.\n")] == ["Title here", "Body."]
