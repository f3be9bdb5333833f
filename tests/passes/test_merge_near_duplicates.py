"""The offline merge says a paragraph once when the other page says it a word apart.

An LLM wiki that ingests one note twice rewrites a sentence slightly ("a survey boat", "a
research boat"); the merge kept both, one sentence twice. A paragraph of prose (eight words or
more) that the merged text holds with at most one word in twenty replaced, added or dropped is
not added, nor is a line of a list said so (a dash written `--` for `—` is one word apart): the
survivor's wording is kept. It is added as before when the different word is a
link, URL, number or date the merged text lacks (a merge never drops those), when it is short,
when more words differ (a rewording, which may say something new), and when it is code, a table,
a quote or a callout.
"""

from __future__ import annotations

from tests.passes.test_merge_footer import LINKS, PROSE, run

KEPT = (
    "# Tern\n\n" + PROSE + "\n"
    "Her home port is the small harbour town on the north coast, where her owners live and work all the year round, and where she is laid up each winter in the shed by the old lifeboat station.\n\n"
    "The harbour master logs every trip of the boat in the green book kept at the quay office.\n\n"
    "Her sister ship, the RV Gull, sails from the same slipway on the same days.\n\n"
    "She is painted blue.\n\n"
    "The survey season opens in April and closes when the autumn storms come in from the west.\n\n"
    "The crew eat lunch on deck when the weather is fair and below when it rains.\n\n"
    "- The crew checks the winch and the pump before each run\n- The mate keeps the log — every trip, every catch\n\n"
    "| Year | Trips made in the season by the boat |\n| --- | --- |\n| 2024 | forty trips in the season by the boat |\n"
)
OTHER = (
    "# Tern\n\n" + PROSE.replace("a survey boat", "a research boat") + "\n"
    "Her home port is the small harbour town on the north coast, where her owners live and work all the year round, and where she is laid up each winter in the shed by the old lifeboat station.\n\n"
    "The harbour master logs every trip of the boat in the green book at the quay office.\n\n"
    "Her sister ship, the [[RV Gull]], sails from the same slipway on the same days.\n\n"
    "She is painted white.\n\n"
    "The survey season opens 1 April and closes when the autumn storms come in from the west.\n\n"
    "The crew take their lunch on the deck if the weather is fair, below if it rains.\n\n"
    "- The crew checks the winch and the pump before every run\n- The mate keeps the log -- every trip, every catch\n"
    "- The cook buys bread at the market on the quay\n\n"
    "| Year | Trips made in the season by the boat |\n| --- | --- |\n| 2024 | forty one trips in the season by the boat |\n"
)


def test_a_paragraph_a_word_apart_is_said_once_in_the_survivor_s_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Tern.md": KEPT, "boats/RV Tern.md": OTHER, "RV Gull.md": "# RV Gull\n\nA boat.\n", **LINKS})
    report = run(root)
    assert report.summary == "duplicates", report.left
    assert (root / "Tern.md").read_text() == KEPT + "\n" + "\n\n".join([
        "Her sister ship, the [[RV Gull]], sails from the same slipway on the same days.",  # a link the survivor lacks
        "She is painted white.",  # too short to tell
        "The survey season opens 1 April and closes when the autumn storms come in from the west.",  # a number it lacks
        "The crew take their lunch on the deck if the weather is fair, below if it rains.",  # a rewording
        "- The cook buys bread at the market on the quay",  # of a list: the new item, not those said a word apart
        "| Year | Trips made in the season by the boat |\n| --- | --- |\n| 2024 | forty one trips in the season by the boat |",  # a table: whole
    ]) + "\n"  # fmt: skip
