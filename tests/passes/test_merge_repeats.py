"""A merge adds what the other page says and the survivor does not: a line the survivor already
holds word for word (the formula both copies of a note give, each under its own image) is not
said twice, and the survivor's own bytes around its body (no blank line after its frontmatter)
stay as they were."""

from __future__ import annotations

import datetime
from pathlib import Path

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.wiki import open_wiki

PROSE = "In any triangle the sides and the sines of the angles opposite them stand in one fixed proportion, as the figure shows"
FORMULA = "$\\frac{\\sin(A)}{a}=\\frac{\\sin(B)}{b}=\\frac{\\sin(C)}{c}$"
MATH = f"---\ntags:\n  - math\n---\n{PROSE}:\n![[Law of Sines-1.webp|324]]\n{FORMULA}\n\n[[Law of Cosines]]\n"
PHYSICS = f"---\ntags:\n  - physics\n---\n![[Law Of Sines-2.webp]]\n{FORMULA}\n\n{PROSE}:\n\n[[Law of Cosines]]\n"


def test_a_line_the_survivor_holds_is_not_added_again(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({
        "Math/Law of Sines.md": MATH, "Physics/Law Of Sines.md": PHYSICS, "Law of Cosines.md": "# Law of Cosines\n\nSee [[Math/Law of Sines]].\n",
    })  # fmt: skip
    wiki = open_wiki(root)
    consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=("duplicates",), today=datetime.date(2026, 3, 20)))
    assert not (root / "Physics/Law Of Sines.md").exists()
    merged = (root / "Math/Law of Sines.md").read_text(encoding="utf-8")
    # (above the line both pages end with, their shared footer)
    assert merged == f"---\ntags:\n  - math\n  - physics\n---\n{PROSE}:\n![[Law of Sines-1.webp|324]]\n{FORMULA}\n\n![[Law Of Sines-2.webp]]\n\n[[Law of Cosines]]\n"
