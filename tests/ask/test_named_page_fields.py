"""A page's `Key: value` lines are facts, and the page a question names answers it, however low
it was retrieved ("Who designed the Minimal theme?" on a vault of theme pages whose header says
`Designed by: [[kepano]]`)."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.question import analyse
from kbsleep.search.units import units

THEME_HEADER = """\
# Minimal

Repository: [GitHub](https://github.com/kepano/obsidian-minimal)
Designed by: [[kepano]]
Modes: [[Dark-mode themes|dark]], [[Light-mode themes|light]]
"""


def test_a_paragraph_of_key_value_lines_is_one_fact_per_line() -> None:
    found = units("Minimal", THEME_HEADER)
    assert [(u.kind, u.text) for u in found] == [
        ("field", "Repository: GitHub"),
        ("field", "Designed by: kepano"),
        ("field", "Modes: dark, light"),
    ]


def test_a_paragraph_with_one_line_of_prose_stays_prose() -> None:
    text = "Designed by: kepano\nThe theme was first released in 2020 and has been updated every year since then, by its author and others.\n"
    found = units("Minimal", text)
    assert [u.kind for u in found] == ["sentence"]  # one paragraph: "Designed by: kepano The theme was ..."


def test_a_sentence_with_a_colon_is_no_fact() -> None:
    text = "Note that this theme changes the sidebar: it hides the ribbon.\nIt also changes how the tab bar looks in every pane you open.\n"
    assert not any(u.kind == "field" for u in units("Minimal", text))


def test_a_single_key_value_line_in_prose_is_left_to_the_paragraph() -> None:
    assert [u.kind for u in units("Minimal", "Modes: dark, light\n")] == ["sentence"]


RELEASE_NOTES = (
    "Roundup#Appearance",
    "- The Minimal theme is now updated for the new default theme, and can color-code each vault's frame.",
)
EDGE = ("Minimal Edge", "# Minimal Edge\n\nRepository: GitHub\nDesigned by: [[Elhary]]\nModes: dark\n")
SETTINGS = ("Minimal Theme Settings", "# Minimal Theme Settings\n\nChange the colors, fonts and features of the Minimal theme.\n")
CODER = ("Minimal Dark Coder", "# Minimal Dark Coder\n\nA dark theme for coders, after the Minimal theme.\n")
VAULT_IDF = {"designed": 3.0, "minimal": 2.0, "theme": 0.3}  # a vault of theme pages: "theme" is on most of them


def test_the_page_the_question_names_answers_it_though_retrieved_last() -> None:
    asked = analyse("Who designed the Minimal theme?")
    context = [Passage(*p) for p in (SETTINGS, EDGE, RELEASE_NOTES, CODER, ("Minimal", THEME_HEADER))]
    got = pick(asked, context, VAULT_IDF, about="Minimal")
    assert got is not None
    assert "Minimal" in got.sources
    assert "kepano" in got.text
    assert "Elhary" not in got.text


def test_without_a_named_page_the_first_retrieved_page_still_comes_first() -> None:
    asked = analyse("Who designed the Minimal theme?")
    context = [Passage(*EDGE), Passage("Minimal", THEME_HEADER)]
    got = pick(asked, context, VAULT_IDF)
    assert got is not None and got.sources[0] == "Minimal Edge"


def test_a_field_line_is_measured_as_shown_not_with_its_link_addresses() -> None:
    text = (
        "Plugin ID: `templater-obsidian`\n"
        "Links: [GitHub repository](https://github.com/SilentVoid13/Templater) or [<button id=HH>Open in Obsidian</button>](obsidian://show-plugin?id=templater-obsidian)\n"
        "Developed by: [[SilentVoid13]]\n"
    )
    assert [u.text for u in units("templater-obsidian", text)][-1] == "Developed by: SilentVoid13"


def test_a_field_reads_as_obsidian_shows_it_html_tags_left_out() -> None:
    text = "Plugin ID: `obsidian-git`\nLinks: [GitHub repository](https://github.com/x/y) or [<button id=HH>Open in Obsidian</button>](obsidian://show-plugin?id=obsidian-git)\n"
    assert [u.text for u in units("obsidian-git", text)] == ["Plugin ID: `obsidian-git`", "Links: GitHub repository or Open in Obsidian"]


def test_facts_of_one_page_name_it_once_by_its_title() -> None:
    asked = analyse("Who developed the Orion plugin?")
    text = "# Orion\n\nPlugin ID: `orion-plugin`\nDeveloped by: [[mara-ilves]]\n"
    got = pick(asked, [Passage("orion-plugin", text)], {"developed": 2.0, "orion": 3.0, "plugin": 0.2}, names={"orion-plugin": "Orion"})
    assert got is not None
    assert got.text.startswith("Orion, ")
    assert "mara-ilves" in got.text and got.text.count("Orion") == 1


def test_a_label_in_bold_is_a_label_and_a_sentence_after_one_is_a_sentence() -> None:
    text = (
        "**Stations:** 9 (2025)\n**Lead:** [[Tomas Reinholt]]\n**Servicing vessel**: [[RV Tern]]\n\n"
        "**Note:** the network has run without a break since 1993 and is the backbone of the records.\n"
    )
    assert [(u.kind, u.text) for u in units("Tidewatch", text)] == [
        ("field", "Stations: 9 (2025)"), ("field", "Lead: Tomas Reinholt"), ("field", "Servicing vessel: RV Tern"),
        ("sentence", "Note: the network has run without a break since 1993 and is the backbone of the records."),
    ]  # fmt: skip
