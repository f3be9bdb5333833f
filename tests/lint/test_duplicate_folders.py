"""duplicate-page (KB202) and parallel folders: a page of one file name in each of two folders
that share other page names, most of their pages (one `Documents.md` and `Deadlines.md` per
university, in a student vault), is each its folder's, not a duplicate, however alike; a folder
copied whole, a concept written in two topic folders that share a few names (a zettelkasten's
`Math/` and `Physics/`), and alike namesakes in unrelated folders still are."""

from __future__ import annotations

from kbsleep.wiki.folders import each_their_folders, pages_by_folder
from tests.lint.support import lint_wiki, triples

CHECKLIST = "- [x] Motivational letter\n- [x] CV\n- [x] English Language Proficiency Document\n- [x] Preliminary Learning Plan\n- [x] Previous Year's Results\n"
PACKING = "- [ ] Passport and travel insurance card\n- [ ] Rain jacket\n- [ ] Laptop charger and adapter plug\n- [ ] Printed learning agreement\n"
STORY = "The harbour crane lifts containers from the pier onto trucks bound for the old warehouse district every morning.\n"
VAULT = {
    # each university's own: not reported
    "Aalto/Documents.md": CHECKLIST,
    "Tampere/Documents.md": CHECKLIST.replace("Motivational letter", "Motivational letter - REVIEW"),
    "Aalto/Deadlines.md": "- 2025-01-27 Application opens at Aalto University for the spring term\n",
    "Tampere/Deadlines.md": "- 2025-02-24 Nomination closes at Tampere University for exchange students\n",
    # a folder copied whole: every page a duplicate
    "Project/Crane.md": "# Crane\n\n" + STORY,
    "Project/Pier.md": "# Pier\n\nThe pier is two hundred metres long and holds four cranes and a small office.\n",
    "Project copy/Crane.md": "# Crane\n\n" + STORY,
    "Project copy/Pier.md": "# Pier\n\nThe pier is two hundred metres long and holds four cranes and a small office.\n",
    # one concept in two topic folders that share a few names among many
    "Math/Law of Sines.md": "# Law of Sines\n\nIn any triangle the ratio of a side to the sine of its opposite angle is the same for all three sides.\n",
    "Physics/Law Of Sines.md": "# Law Of Sines\n\nIn any triangle the ratio of a side to the sine of its opposite angle is the same for all three sides.\n\n[[Vector]]\n",
    "Math/Vector.md": "# Vector\n\nAn element of a vector space.\n",
    "Physics/Vector.md": "# Vector\n\nA quantity with a magnitude and a direction, such as a velocity or a force.\n",
    **{f"Math/Topic {n}.md": f"# Topic {n}\n\nAbout the number {n}.\n" for n in range(4)},
    # alike namesakes in folders that share nothing else
    "Erasmus/Checklist.md": PACKING,
    "Archive/Checklist.md": PACKING.replace("Rain jacket", "Rain jacket and boots"),
}


def test_each_folders_own_page_is_no_duplicate(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB202")
    assert triples(report.diagnostics) == {
        ("KB202", "Erasmus/Checklist.md", 1),
        ("KB202", "Physics/Law Of Sines.md", 1),
        ("KB202", "Project/Crane.md", 1),  # (the later page of the two is reported)
        ("KB202", "Project/Pier.md", 1),
    }


def test_each_their_folders() -> None:
    folders = pages_by_folder(["a/Documents.md", "a/Deadlines.md", "b/documents.md", "b/Deadlines.md", "c/Documents.md", "a/x/Documents.md",
                               "t/Documents.md", "t/Deadlines.md", *(f"t/{n}.md" for n in range(3))])  # fmt: skip
    never = lambda x, y: False  # noqa: E731
    always = lambda x, y: True  # noqa: E731
    assert each_their_folders("a/Documents.md", "b/documents.md", folders, never)  # another shared name, not alike
    assert not each_their_folders("a/Documents.md", "b/documents.md", folders, always)  # a copy
    assert not each_their_folders("a/Documents.md", "c/Documents.md", folders, never)  # nothing else shared
    assert not each_their_folders("a/Documents.md", "a/x/Documents.md", folders, never)
    assert not each_their_folders("a/Documents.md", "b/Deadlines.md", folders, never)  # not one name
    assert not each_their_folders("a/Documents.md", "t/Documents.md", folders, never)  # 2 of t's 5 names: not parallel
