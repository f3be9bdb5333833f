"""A section's heading is part of what its lines say: a note writes a measure in its heading
("### Obliquity Cycle 40-thousand years", then what the cycle is); and a rate of change ("doubling
every 25 years") is how fast a thing grows.

Seen on a public student's Zettelkasten: "How long is the obliquity cycle?" got "Not in the
wiki" from the page whose heading says it, as did "How fast does the population grow, according
to Malthus?" from "Population grows geometrically, doubling every 25 years".
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import FORMS

COMETS = """\
Icy bodies that orbit the sun and grow a tail near it.
# Periods
### Halley return 76 years
A comet seen from earth with the naked eye on each return.
### Encke return 3.3 years
The shortest known orbit of a bright comet.
### Ice age swing 100-thousand years
A slow change of the orbit of the earth.
"""

BACTERIA = """\
Single cells that split in two.
# Growth
A colony of yeast doubles every 90 minutes in warm broth.
# Shapes
Rods, spheres and spirals.
"""


def _wiki(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({
        "Space/Comets.md": COMETS, "Life/Bacteria.md": BACTERIA,
        "Space/Moon.md": "The moon orbits the earth.\n# Phases\nNew, waxing, full and waning.\n",
    })  # fmt: skip


def _ask(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


def test_a_measure_in_a_heading_answers_for_the_lines_under_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert _ask(root, "How long is the Halley return?") == "Halley return 76 years: A comet seen from earth with the naked eye on each return."
    # a number word after the digits is part of the measure
    assert _ask(root, "How long is the ice age swing?") == "Ice age swing 100-thousand years: A slow change of the orbit of the earth."


def test_a_rate_of_change_answers_how_fast(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert _ask(root, "How fast does a colony of yeast grow?") == "A colony of yeast doubles every 90 minutes in warm broth."
    assert FORMS["speed"].search("prices rose 3% a year") and FORMS["speed"].search("about 10 per day")
    assert not FORMS["speed"].search("every day I walk") and not FORMS["speed"].search("a year ago")


# An LLM wiki writes the count of a list in the heading over it ("## Steps (9 total)"); the page's
# opening sentence holds other numbers ("maps 3D models to 2D planes")
KILN = """\
Fires clay pieces in 2 chambers at 1200 degrees.
## Stages (4 total)
1. Load the shelves — stack the pieces
2. Warm up — drive out water
3. Soak — hold the peak heat
4. Cool — open the vent
## Parts
- 3 shelves of cordierite
"""

PRESS = """\
A hand press for prints.
## Rollers (2)
- Top roller
- Bottom roller
## Steps
1. Ink the plate
2. Pull the lever
"""


def test_a_heading_that_counts_the_thing_asked_answers_how_many_with_its_list(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Studio/Kiln.md": KILN, "Studio/Press.md": PRESS, "Studio/Moon.md": "The moon orbits the earth.\n"})
    assert _ask(root, "How many stages does the kiln have?") == (
        "Stages (4 total): 1. Load the shelves — stack the pieces\n2. Warm up — drive out water\n3. Soak — hold the peak heat"
    )
    assert _ask(root, "How many rollers does the press have?").startswith("Rollers (2): ")
    # a count of another thing in a heading answers nothing: the press's steps are not counted
    assert not _ask(root, "How many steps does the press have?").startswith("Rollers")


def test_a_heading_counts_what_it_names_before_its_number_in_parentheses() -> None:
    from kbsleep.search.counts import heading_counts
    from kbsleep.search.words import stem

    assert heading_counts("Steps (15 total)", stem("step")) and heading_counts("Controls (12 options)", stem("control"))
    assert heading_counts("12 Controls", stem("control"))
    assert not heading_counts("Step 2", stem("step")) and not heading_counts("Steps (optional)", stem("step"))
    assert not heading_counts("Steps (15 total)", stem("control"))


def test_the_section_of_the_named_page_whose_heading_counts_the_thing_asked_is_read(make_repo) -> None:  # type: ignore[no-untyped-def]
    from kbsleep.search.index import Index
    from kbsleep.search.question import analyse
    from kbsleep.search.retrieve import retrieve

    # the list never says "stage", and other pages say it often: the search finds the page's other sections
    kiln = "# Kiln\n\nThe kiln is a kiln for clay.\n\n## Stages (4 total)\n\n1. Load\n2. Warm\n3. Soak\n4. Cool\n\n## Care\n\nClean the kiln vent after each kiln firing.\n"
    others = {f"Studio/{name}.md": f"# {name}\n\nThe {name.lower()} has stages, stages and more stages.\n" for name in ("Press", "Loom", "Lathe")}
    root = make_repo({"Studio/Kiln.md": kiln, **others})
    with Index(root, load_config(root)) as index:
        index.refresh()
        ranked = retrieve(index, analyse("How many stages does the kiln have?"), k=2)
    targets = [hit.target for hit in ranked.hits]
    assert "Kiln#Stages (4 total)" in targets
    assert targets.index("Kiln#Stages (4 total)") == 1 + min(i for i, t in enumerate(targets) if t.startswith("Kiln#") and t != "Kiln#Stages (4 total)")
