"""A page's alias that a question says as a common-noun phrase names that page; one it writes in
capitals is a product's name, which a question about a feature of the product does not ask about
the page holding the alias.

Seen on Obsidian's help vault: "What file formats can Obsidian open?" was answered from the
*Developers* page ("Obsidian Importer ... converts data from a wide variety of formats") though
*Accepted file formats*, aliased "File formats", opens with "Obsidian supports the following file
types:" and lists them.
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.index import Hit
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import aliased_page

FORMATS = """\
---
aliases: Document formats
---

Quill reads the following kinds of documents:

- **Text**: `.txt`, `.rtf`
- **Spreadsheets**: `.csv`, `.ods`
- **Slides**: `.odp`

Plugins let Quill read other kinds.
"""

PROJECTS = """\
Quill's makers publish some of their own tools.

## Open projects

- Quill Converter (MIT), a plugin that converts documents from many formats to plain text Quill can read.
- Quill Atlas (MIT), a plugin that draws maps in Quill documents.
"""


def _hit(page: str) -> Hit:
    return Hit(page, page.rsplit("/", 1)[-1].removesuffix(".md"), "", 1, 1, "", 0.0, 1)


def test_a_question_that_says_an_alias_in_lower_case_is_answered_from_its_page(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Files/Supported document formats.md": FORMATS, "About/Projects.md": PROJECTS,
                      "About/Quill.md": "Quill is a writing app for documents of all kinds.\n"})  # fmt: skip
    found = ask(root, load_config(root), "What document formats can Quill read?", engine="offline", record=False)
    assert found.text.startswith("Quill reads the following kinds of documents:\n- Text: `.txt`, `.rtf`")
    assert found.citations[0].path == "Files/Supported document formats.md"


def test_an_alias_names_its_page_only_as_a_common_noun_phrase() -> None:
    hits = [_hit("Sync/Introduction to Quill Sync.md"), _hit("Files/Supported document formats.md"), _hit("Sync/Sync settings.md")]
    aliases = {"Sync/Introduction to Quill Sync.md": {"quill sync"}, "Files/Supported document formats.md": {"document formats"}, "Sync/Sync settings.md": {"settings"}}
    assert aliased_page(analyse("Which document formats does Quill read?"), hits, aliases) == "Files/Supported document formats.md"
    # "Quill Sync", written in capitals, is the product a question about one of its features names
    assert aliased_page(analyse("Which files does Quill Sync skip?"), hits, aliases) is None
    # one word alone ("settings") is no phrase; a word of the alias the question capitalises makes it a name
    assert aliased_page(analyse("Where are the settings of a vault kept?"), hits, aliases) is None
    assert aliased_page(analyse("Which Document formats does Quill read?"), hits, aliases) is None
    # said by two pages, the alias names neither
    aliases["Sync/Sync settings.md"] = {"document formats"}
    assert aliased_page(analyse("Which document formats does Quill read?"), hits, aliases) is None
