"""A sentence ending in ":" that introduces a short code block is read with its example ("To embed
a PDF:" then `![[Document.pdf]]`): the example is the answer, and the sentence alone says
nothing. `ask` quotes it, `anticipate` writes it, and a link in the example stays an example."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.answers import parse_body
from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.lint import lint
from kbsleep.llm import select_engine
from kbsleep.llm.model import Passage
from kbsleep.passes.anticipate import Options, anticipate
from kbsleep.passes.citable_units import read
from kbsleep.search.units import units
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from kbsleep.wiki.wikilink import code_spans

EMBED = """\
# Embed files

## Embed a PDF in a note

To embed a PDF:

```md
![[Document.pdf]]
```

You can also open a specific page by adding `#page=N` to the link:

```md
![[Document.pdf#page=3]]
```
"""


def test_the_sentence_before_a_short_code_block_holds_its_example() -> None:
    texts = [u.text for u in units("Embed files#Embed a PDF in a note", EMBED)]
    assert texts == [
        "To embed a PDF: `![[Document.pdf]]`",
        "You can also open a specific page by adding `#page=N` to the link: `![[Document.pdf#page=3]]`",
    ]


def test_a_long_code_block_stays_out() -> None:
    text = "Add this to your config:\n\n```toml\n[a]\nb = 1\nc = 2\nd = 3\n```\n"
    assert [u.text for u in units("Config", text)] == ["Add this to your config:"]


def test_a_properties_example_is_quoted_as_its_properties_without_the_dashes() -> None:
    text = "To set a permalink, add this to the note:\n\n```yaml\n---\npermalink: about\n---\n```\n"
    assert [u.text for u in units("Permalinks", text)] == ["To set a permalink, add this to the note: `permalink: about`"]


def test_each_line_of_a_short_block_of_commands_is_quoted_on_its_own() -> None:
    text = "Make it executable and run it:\n\n```sh\nchmod u+x Obsidian.AppImage\n./Obsidian.AppImage   --no-sandbox\n```\n"
    assert [u.text for u in units("Install", text)] == ["Make it executable and run it: `chmod u+x Obsidian.AppImage`, `./Obsidian.AppImage --no-sandbox`"]


@pytest.mark.parametrize(
    "code",
    [
        "# {{date:YYYY-MM-DD}}\n## Tasks\n- [ ]",  # a template: its lines are its shape
        "| a | b |\n| --- | --- |\n| 1 | 2 |",  # a table
        "{% if author %}\nAuthor: {{author}}\n{% endif %}",  # a template's logic
        "> [!tip] Callouts can have custom titles\n> Like this one.",  # a callout
        "Name | Age\n-- | --\nAda | 36",  # a table without its outer bars
        "formulas:\n  price: 'price.toFixed(2)'",  # nesting
    ],
    ids=["template", "table", "logic", "callout", "bare table", "nested"],
)
def test_a_block_shaped_by_its_lines_is_never_joined_into_one_line(code: str) -> None:
    text = f"This gives you:\n\n```md\n{code}\n```\n"
    assert [u.text for u in units("Shapes", text)] == ["This gives you:"]


def test_a_few_lines_of_text_or_code_are_quoted_as_one_line_as_a_paragraph_reads() -> None:
    text = "Document each parameter and give it a default:\n\n```\n# The port to redirect\n# traffic to.\nENV PROXY_PORT 8000\n```\n"
    assert [u.text for u in units("Containers", text)] == ["Document each parameter and give it a default: `# The port to redirect # traffic to. ENV PROXY_PORT 8000`"]


def test_a_sentence_not_ending_in_a_colon_takes_no_example() -> None:
    text = "Obsidian stores notes as Markdown.\n\n```md\n# A note\n```\n"
    assert [u.text for u in units("Notes", text)] == ["Obsidian stores notes as Markdown."]


COMMANDS = """\
# mytool sync

Copy the notes to the server.

```
mytool sync --all
```

The tool reads its settings from `~/.mytool`.

```
$ mytool sync --dry-run
```
"""


def test_a_sentence_before_a_block_of_one_command_holds_the_command() -> None:
    texts = [u.text for u in units("mytool sync", COMMANDS)]
    assert texts == [
        "Copy the notes to the server. `mytool sync --all`",
        "The tool reads its settings from `~/.mytool`. `$ mytool sync --dry-run`",
    ]


@pytest.mark.parametrize("code", ["# A note", "a = b", "const x = 1;", "def greet(name):", "tags: [a, b]", "mytool", "mytool sync\nmytool push"])
def test_a_block_that_is_no_single_command_stays_apart_from_a_sentence_not_ending_in_a_colon(code: str) -> None:
    text = f"Copy the notes to the server.\n\n```\n{code}\n```\n"
    assert [u.text for u in units("mytool sync", text)] == ["Copy the notes to the server."]


def test_a_question_before_a_command_stays_a_question() -> None:
    text = "Did it work?\n\n```\nmytool status\n```\n"
    assert [u.text for u in units("mytool sync", text)] == ["Did it work?"]


def test_a_how_to_answered_by_a_command_quotes_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"mytool sync.md": COMMANDS, "mytool push.md": "# mytool push\n\nSend the notes by mail.\n\n```\nmytool push --mail\n```\n"})
    assert "`mytool sync --all`" in ask(root, load_config(root), "How do I copy my notes to the server?", engine="offline", record=False).text


def test_a_heading_between_the_sentence_and_the_code_keeps_them_apart() -> None:
    text = "Use one of these:\n\n## Examples\n\n```md\n![[a.pdf]]\n```\n"
    assert [u.text for u in units("Notes", text)] == ["Use one of these:"]


def test_a_list_step_ending_in_a_colon_takes_its_example() -> None:
    text = "1. Install it from npm:\n```sh\nnpm install -g obsidian-headless\n```\n"
    assert [(u.kind, u.text) for u in units("Headless", text)] == [("step", "Install it from npm: `npm install -g obsidian-headless`")]


def test_anticipate_reads_the_same_example() -> None:
    doc = read(Passage("Embed files", EMBED))
    (section,) = [u for u in doc.units if u.heading == "Embed a PDF in a note"]
    assert section.sentences[0] == "To embed a PDF: `![[Document.pdf]]`."


def test_a_backtick_in_a_link_opens_no_code_span() -> None:
    text = "To embed: `![[Document.pdf]]`, see [[Functions#`date()`]] and `x`"
    assert [text[a:b] for a, b in code_spans(text)] == ["`![[Document.pdf]]`", "`x`"]


def test_a_link_in_a_written_example_is_no_citation() -> None:
    (qa,) = parse_body(["**How do I embed a PDF?**", "To embed a PDF: `![[Document.pdf]]`. [[Embed files#Embed a PDF in a note]]"])
    assert qa.citations == ("Embed files#Embed a PDF in a note",)


def test_ask_and_anticipate_give_the_example_and_lint_finds_no_new_link(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Embed files.md": EMBED})
    config = load_config(root)
    assert "`![[Document.pdf]]`" in ask(root, config, "How do I embed a PDF?", engine="offline", record=False).text
    wiki = open_wiki(root)
    anticipate(wiki, select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root)), Options())
    written = (root / "Embed files.md").read_text(encoding="utf-8")
    assert "To embed a PDF: `![[Document.pdf]]`." in written
    assert not [d for d in lint(open_wiki(root)).diagnostics if d.name == "broken-link"]


def test_an_icon_in_a_step_is_no_words_of_the_written_answer() -> None:
    text = "# Manage vaults\n\n## Create new vault\n\n1. At the bottom left, select the Vault profile ![[lucide-chevrons-up-down.svg#icon]].\n2. Select **Manage Vaults**.\n"
    (section,) = [u for u in read(Passage("Manage vaults", text)).units if u.heading == "Create new vault"]
    assert section.items == ("At the bottom left, select the Vault profile", "Select Manage Vaults")


def test_a_written_step_takes_its_example_or_loses_the_colon_that_pointed_at_what_is_not_quoted() -> None:
    text = (
        "# Daily notes\n\n## Use a template\n\n"
        "1. Create a note with this text:\n\n   ```md\n   ## Tasks\n   - [ ]\n   ```\n\n"
        "2. Save it as:\n\n   ```\n   Templates/Daily.md\n   ```\n\n"
        "3. Paste the following quote:\n\n   > Sharpen your thinking.\n\n4. Open **Settings**.\n"
    )
    (section,) = [u for u in read(Passage("Daily notes", text)).units if u.heading == "Use a template"]
    assert section.items == ("Create a note with this text", "Save it as: `Templates/Daily.md`", "Paste the following quote", "Open Settings")
