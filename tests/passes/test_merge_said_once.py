"""The offline merge says nothing twice under two headings, nor a sentence the survivor says longer.

Seen merging an LLM wiki's campaign summaries ingested twice: the other page's "## Campaign Arc"
repeated, item for item, the survivor's "## Campaign Arc (Scenes 1-20)", appended whole as a section
the survivor "lacked"; its summary was the survivor's with a sentence fewer; a claim was the survivor's
without its bracketed list; a sentence was the survivor's cut short; a quote differed by a dash typed
`--`. A section under a heading the survivor has less (or plus) a bracketed aside brings only what the
merged text lacks, under its own heading, and nothing when it adds nothing (its heading is folded into
the survivor's: the loss check does not count it lost). Two headings with two different asides
("Setup (macOS)", "Setup (Windows)") are two sections, added as before.
"""

from __future__ import annotations

from kbsleep.passes.consolidate.safety import twins
from tests.passes.test_merge_footer import LINKS, PROSE, run

ARC = "1. **Legs 1-4**: from Oban to Tobermory, one squall near Kerrera\n2. **Legs 5-9**: round Ardnamurchan to Mallaig, the pump failing twice\n"
SUMMARY = (
    "The Tern sailed the Inner Sound in the summer of 2021 with a crew of three. "
    "Her skipper logged every leg in the green book kept at the quay office. "
    "The voyage ended early when the bilge pump gave out off Mallaig.\n"
)
KEPT = (
    "# Tern\n\n" + PROSE + "\n## Summary\n\n" + SUMMARY + "\n"
    "## Claims\n\n- The crew (the skipper, the mate and the cook) shared every watch between them\n\n"
    "## Voyage Arc (Legs 1-9)\n\n" + ARC + "\n"
    "## Setup (Oban)\n\n- Fuel and water taken on at the north pier before dawn\n"
)
OTHER = (
    "# Tern\n\n" + PROSE + "\n## Summary\n\n"
    "The Tern sailed the Inner Sound in the summer of 2021 with a crew of three. "
    "The voyage ended early when the bilge pump gave out off Mallaig.\n\n"
    "## Claims\n\n- The crew shared every watch between them\n\n"
    "- Her skipper logged every leg in the green book.\n\n"
    "## Voyage Arc\n\n" + ARC + "\n"
    "## Setup (Mallaig)\n\n- Fuel and water taken on at the north pier before dawn\n"
)


def test_a_section_under_a_near_identical_heading_that_adds_nothing_is_not_added(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Tern.md": KEPT, "boats/RV Tern.md": OTHER, **LINKS})
    report = run(root)
    assert report.summary == "duplicates", report.left
    merged = (root / "Tern.md").read_text()
    assert merged.count("Legs 1-4") == 1 and "## Voyage Arc\n" not in merged
    assert merged.count("The voyage ended early") == 1  # the summary with a sentence fewer
    assert "- The crew shared every watch" not in merged  # the claim without its bracketed list
    assert "- Her skipper logged every leg in the green book." not in merged  # a sentence cut short
    # two asides name two places: the Mallaig section stays, whole
    assert merged.endswith("## Setup (Mallaig)\n\n- Fuel and water taken on at the north pier before dawn\n")


def test_a_near_identical_section_brings_what_it_adds_under_its_own_heading(make_repo) -> None:  # type: ignore[no-untyped-def]
    longer = OTHER.replace(ARC, ARC + "3. **Legs 10-12**: towed home to Oban by the lifeboat\n")
    root = make_repo({"Tern.md": KEPT, "boats/RV Tern.md": longer, **LINKS})
    report = run(root)
    assert report.summary == "duplicates", report.left
    merged = (root / "Tern.md").read_text()
    assert merged.count("Legs 1-4") == 1
    assert "## Voyage Arc\n\n3. **Legs 10-12**: towed home to Oban by the lifeboat" in merged


def test_a_quote_typed_with_two_hyphens_is_the_quote_with_a_dash(make_repo) -> None:  # type: ignore[no-untyped-def]
    quote = '> "You are late, skipper." — the harbour master at the quay office, every single morning\n'
    top = "# Tern\n\n" + PROSE
    kept, other = KEPT.replace(top, top + "\n" + quote), OTHER.replace(top, top + "\n" + quote.replace(" — ", " -- "))
    root = make_repo({"Tern.md": kept, "boats/RV Tern.md": other, **LINKS})
    report = run(root)
    assert report.summary == "duplicates", report.left
    assert (root / "Tern.md").read_text().count("You are late, skipper.") == 1


def test_two_headings_are_one_when_one_is_the_other_less_a_bracketed_aside() -> None:
    assert twins("Campaign Arc", "Campaign Arc (Scenes 1-20)")
    assert twins("Voyage arc [draft]", "Voyage Arc")
    assert not twins("Setup (macOS)", "Setup (Windows)")  # two asides: two things
    assert not twins("Campaign Arc", "Campaign Notes (Scenes 1-20)")


def test_a_folded_heading_a_link_opens_keeps_the_pages_apart(make_repo) -> None:  # type: ignore[no-untyped-def]
    # the link would open no heading once "## Voyage Arc" is folded into "## Voyage Arc (Legs 1-9)": no merge
    linking = {"Log.md": "# Log\n\nSee [[boats/RV Tern#Voyage Arc]].\n"}
    root = make_repo({"Tern.md": KEPT, "boats/RV Tern.md": OTHER, **LINKS, **linking})
    run(root)
    assert (root / "boats/RV Tern.md").exists()
    assert (root / "Log.md").read_text() == linking["Log.md"]
