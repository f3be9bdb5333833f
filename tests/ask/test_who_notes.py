"""A "who" question answered by a note on a person's page names the person: the page is the
note's subject ("- Father of [[Pipe Ashford]]" on *Roderick Ashford*).

Seen on a public D&D campaign vault, whose NPC pages are lists of such notes: "Who is Pipe
Ashford's father?" was answered "- Father of Pipe Ashford", citing the right page and never
saying who.
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config

RODERICK = "---\nspecies: Human\n---\n## Notes\n- Father of [[Pipe Ashford]]\n- Rarely leaves his house\n"
EMAN = "---\noccupation: Mayor\n---\n## Notes\n- Arrived as a child during the Quiet Year\n- Hired [[Cross Bones Inc]] to retrieve [[Pipe Ashford]] from the garden\n"
PIPE = "---\nspecies: Human\n---\n## Notes\n- Guardian of the garden\n- Pipe Ashford keeps a book of research\n"


def _wiki(make_repo) -> Path:  # type: ignore[no-untyped-def]
    return make_repo({
        "NPCs/Roderick Ashford.md": RODERICK, "NPCs/Eman.md": EMAN, "NPCs/Pipe Ashford.md": PIPE,
        "Groups/Cross Bones Inc.md": "## Members\n- Jinx\n- Nyra\n",
    })  # fmt: skip


def _ask(root: Path, question: str) -> str:
    return ask(root, load_config(root), question, engine="offline", record=False).text


def test_a_note_on_a_person_s_page_answers_who_with_the_person(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = _wiki(make_repo)
    assert _ask(root, "Who is Pipe Ashford's father?") == "Roderick Ashford: Father of Pipe Ashford"
    assert _ask(root, "Who hired Cross Bones Inc to retrieve Pipe?") == "Eman: Hired Cross Bones Inc to retrieve Pipe Ashford from the garden"
    # a note that names its subject is quoted as it is, and other questions get the note as before
    assert _ask(root, "Who keeps a book of research?") == "Pipe Ashford keeps a book of research."
    assert _ask(root, "What does Roderick Ashford rarely leave?") == "Rarely leaves his house."
