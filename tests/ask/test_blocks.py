"""The one walk over a passage's Markdown that sentences and answer units are both read from."""

from __future__ import annotations

from kbsleep.search.blocks import plain, split_block, walk
from kbsleep.search.extract import visible
from kbsleep.search.sentences import split_sentences
from kbsleep.search.units import units

PASSAGE = """---
born: 1815
---
# Ada

> [!note] She wrote
> the first program.

```python
print("not an answer")
```
- Item one
lazy line.
"""


def test_the_walk_sets_frontmatter_apart_leaves_code_out_and_takes_quote_markers_off() -> None:
    front, body = walk(PASSAGE)
    assert front == ["born: 1815"]
    assert body == [
        ("# Ada", "# Ada"), ("", ""), ("> [!note] She wrote", "[!note] She wrote"), ("> the first program.", "the first program."),
        ("", ""), None, None, ("- Item one", "- Item one"), ("lazy line.", "lazy line."),
    ]  # fmt: skip


def test_without_frontmatter_or_with_an_unclosed_one_there_is_none() -> None:
    assert walk("# A\n\ntext\n")[0] is None
    assert walk("---\ntitle: x\n")[0] == []


def test_sentences_and_units_read_the_same_walk_and_group_its_lines_their_own_way() -> None:
    # sentences: a list item takes its lazy continuation line; units: only indented ones, and a
    # callout's title ("She wrote", after `[!note]`) is a line of its own, as Obsidian shows it
    assert split_sentences(PASSAGE) == ["Ada", "[!note] She wrote the first program.", "Item one lazy line."]
    assert [(u.text, u.kind) for u in units("Ada", PASSAGE)] == [
        ("born: 1815", "field"), ("She wrote", "sentence"), ("the first program.", "sentence"), ("Item one", "item"), ("lazy line.", "sentence"),
    ]  # fmt: skip


def test_a_code_span_is_shown_as_written() -> None:
    assert plain("Type `[[` to link, or write `![[Document.pdf]]`") == "Type `[[` to link, or write `![[Document.pdf]]`"
    assert plain("Add `#tag` or `**bold**` or `%%hidden%%` and **real** bold") == "Add `#tag` or `**bold**` or `%%hidden%%` and real bold"
    assert plain("A span ``with `tick` inside`` and [[Note|a link]]") == "A span ``with `tick` inside`` and a link"


def test_plain_text_and_its_sentences() -> None:
    assert plain("- **Bold** [[Page#Part|shown]] and [link](https://x.org) `code`") == "Bold shown and link `code`"
    assert split_block("Dr. Smith came at 3 p.m. and left. Then J. Doe came! Done") == ["Dr. Smith came at 3 p.m. and left.", "Then J. Doe came!", "Done"]


def test_what_reading_view_hides_is_no_text_of_an_answer() -> None:
    # a block id ("Link to a block in a note", Internal links), an autolink's brackets
    assert plain("Autocomplete switches at 10,000 items. ^search-limit") == "Autocomplete switches at 10,000 items."
    assert plain("- GitHub: [kepano](https://github.com/kepano/) ^github") == "GitHub: kepano"
    assert plain("See [[Page]]^fig and ![[photo.png]]^img2") == "See Page^fig and !photo.png"  # only the end of a block
    assert plain("Website: <https://example.org/a>") == "Website: https://example.org/a"
    assert plain("Pay 5 ^ 2 dollars") == "Pay 5 ^ 2 dollars"


def test_html_comments_are_not_shown_and_code_keeps_them() -> None:
    text = "- GitHub: x\n<!-- - Discord: `@` ^discord-->\n%% editor note %%\n```html\n<!-- kept -->\n```\n"
    assert visible(text) == "- GitHub: x\n\n\n```html\n<!-- kept -->\n```\n"


def test_italics_show_without_their_marks_and_other_stars_and_underscores_stay() -> None:
    assert plain("right-click and select _Insert → Table_. To switch to *Reading view*: click") == "right-click and select Insert → Table. To switch to Reading view: click"
    assert plain("snake_case_name, 2 * 3 * 4 and file_*.md") == "snake_case_name, 2 * 3 * 4 and file_*.md"


def test_a_backslash_escape_shows_the_character_it_escapes() -> None:
    assert plain(r"link them using the \[\[double bracket syntax\]\].") == "link them using the [[double bracket syntax]]."
    assert plain(r"\# Sharpen your thinking. a \*b\* c") == "# Sharpen your thinking. a *b* c"
    assert plain(r"C:\Users\me") == r"C:\Users\me"  # no punctuation after it: the backslash is text


def test_a_note_written_without_capitals_still_ends_its_sentences_at_plain_words() -> None:
    memo = "the intake line was kinked, need to check the lab. also Dev says the parser drops a line. and remind me"
    assert split_block(memo) == ["the intake line was kinked, need to check the lab.", "also Dev says the parser drops a line.", "and remind me"]
    kept = "e.g. the pump, at 3 p.m. and so on, etc. and more; see file.md. then version 1.2. the end... and Dr. smith"
    assert split_block(kept) == [kept]


def test_an_escaped_pipe_in_a_table_is_a_link_s_not_a_cell_s() -> None:
    from kbsleep.search.blocks import table_cells
    from kbsleep.search.units import units

    assert table_cells("| [[SSH File Transfer Protocol\\|SFTP]] | tcp/22 |") == ["[[SSH File Transfer Protocol|SFTP]]", "tcp/22"]
    table = "| Protocol | Port |\n|---|---|\n| [[SSH File Transfer Protocol\\|SFTP]] | tcp/22 |\n"
    assert [u.text for u in units("Ports", table)] == ["SFTP: tcp/22"]


def test_a_highlight_shows_its_text_without_its_marks() -> None:
    # `==text==` is highlighted text ("Basic formatting syntax", Obsidian Help); inside code, or
    # with a space inside its marks (`a == b`), it is written as it is
    assert plain("Each signal is a number between ==1 and 31==.") == "Each signal is a number between 1 and 31."
    assert plain("Write `==x==` to get ==x==; if a == b, stop") == "Write `==x==` to get x; if a == b, stop"
