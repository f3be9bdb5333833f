"""A line that only repeats the heading it sits under, or its page's name ("Disjoint Set ADT"
under "## Disjoint Set ADT"), is a label: it says where an answer is, not what it is, so it
neither answers nor joins an answer as a part of it.

Seen on a student's course-notes vault: "What does Find-Set return in the disjoint set ADT?" was
answered from the label "Disjoint Set ADT" and the list under it on a graphs page, not from the
disjoint-sets page; "What does the Master Theorem give when a equals b^d?" began "The Master
Theorem."
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config

GRAPHS = (
    "# Spanning trees\n\nKruskal's algorithm grows a forest by adding the lightest edge that joins two trees.\n\n"
    "## Union-Find structure\n\nUnion-Find structure\n\n- Operations:\n    - `Make-Set(x)`\n    - `Find-Set(x)`\n    - `Union(x, y)`\n"
)
SETS = "# Union-Find\n\nEach set is a tree whose root is its representative.\n\n## Queries\n\n`Find-Set(x)` gives back the representative of the set that holds x.\n"


def _answer(make_repo, question: str, graphs: str = GRAPHS) -> str:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Graphs/Spanning trees.md": graphs, "Sets/Union-Find.md": SETS, "Sorting/Heaps.md": "# Heaps\n\nA heap keeps its smallest key at the root.\n"})
    return ask(root, load_config(root), question, engine="offline", record=False).text


def test_a_line_repeating_its_heading_is_no_part_of_the_answer(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert _answer(make_repo, "What does Find-Set return in the union-find structure?") == "`Find-Set(x)` gives back the representative of the set that holds x."


def test_a_line_saying_more_than_its_heading_still_answers(make_repo) -> None:  # type: ignore[no-untyped-def]
    said = GRAPHS.replace("\n\nUnion-Find structure\n\n", "\n\nThe union-find structure keeps disjoint sets of vertices.\n\n")
    assert "The union-find structure keeps disjoint sets of vertices." in _answer(make_repo, "What does the union-find structure keep?", said)
