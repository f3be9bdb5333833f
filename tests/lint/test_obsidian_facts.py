"""`conflicting-facts` (error) judges only structured facts; a bold label is prose, at most a
`contradicting-claims` warning against its entity's structured fact."""

from __future__ import annotations

from tests.lint.support import lint_wiki

# Help pages write settings and platforms as bold labels, many per page, one per case.
HELP_PAGE = """---
description: How to sync your notes.
---
# Sync your notes

## Obsidian Sync

**Recommended systems**: `Windows`, `macOS`, `Linux`, `iOS`, `Android`

- **Windows**: `C:\\Users\\Username\\Documents`
- **macOS**: `/users/username/Documents`

## iCloud

**Recommended systems**: `macOS`, `iOS`, `iPadOS`

- **Windows**: Recommended locations in order:
- **macOS**: `/users/username/vaults`

## Mobile

- **Daily note** — Open your daily note
- **Daily note** — Jump directly to today's daily note
- **[[Settings]]** — Built-in plugins.
- **[[Community plugins]]** — Third-party plugins.

**Example:** Once enabled, the plugin adds an entry to the status bar.

**Example:** The icon for a new canvas is `lucide-layout-dashboard`.

- **Range**: difference between max and min.
- **Range**: difference between earliest and latest.
"""

PERSON = "---\nborn: 1952\n---\n# Mara Ilves\n\nMarine biologist.\n"


def found(root, *select: str) -> list[tuple[str, str, int, int]]:
    return [(d.code, d.path, d.location.line, d.location.column) for d in lint_wiki(root, *select).diagnostics]


def test_labels_that_list_cases_are_no_conflict_of_either_tier(make_repo) -> None:
    root = make_repo({"Sync.md": HELP_PAGE, "Settings.md": "# Settings\n\nText.\n", "Community plugins.md": "# Community plugins\n\nText.\n"})
    assert found(root, "conflicting-facts", "contradicting-claims") == []


def test_a_label_contradicting_its_own_page_s_fact_is_a_warning_on_the_label(make_repo) -> None:
    root = make_repo({"Mara Ilves.md": PERSON + "\nShe studied tides.\n- **Born:** 1953\n"})
    (finding,) = lint_wiki(root, "conflicting-facts", "contradicting-claims").diagnostics
    assert (finding.code, finding.severity, finding.location.line, finding.location.column) == ("KB402", "warning", 9, 3)
    assert finding.message == "says Mara Ilves born 1953, but Mara Ilves.md has `born: 1952`"


def test_a_label_naming_its_subject_is_a_claim_about_that_entity(make_repo) -> None:
    root = make_repo({"Mara Ilves.md": PERSON, "Crew.md": "# Crew\n\n**Born:** 1954 ([[Mara Ilves]])\n\n**Born:** 1952 ([[Mara Ilves]])\n"})
    assert found(root, "conflicting-facts", "contradicting-claims") == [("KB402", "Crew.md", 3, 1)]


def test_a_label_the_page_repeats_is_not_judged(make_repo) -> None:
    page = PERSON + "\n## Her father\n\n**Born:** 1920\n\n## Her son\n\n**Born:** 1980\n"
    assert found(make_repo({"Mara Ilves.md": page}), "conflicting-facts", "contradicting-claims") == []


def test_a_label_is_judged_on_the_attribute_its_label_names(make_repo) -> None:
    page = PERSON + "\n**Mentor:** Liis Varte, born 1930\n**Birth year:** 1950\n"
    assert found(make_repo({"Mara Ilves.md": page}), "contradicting-claims") == [("KB402", "Mara Ilves.md", 9, 1)]


def test_the_same_value_as_a_dataview_field_is_a_conflicting_fact(make_repo) -> None:
    root = make_repo({"Mara Ilves.md": PERSON + "\nBorn:: 1953\n", "Crew.md": "# Crew\n\n- [[Mara Ilves]] (born:: 1954)\n"})
    assert found(root, "conflicting-facts", "contradicting-claims") == [("KB401", "Crew.md", 3, 1), ("KB401", "Mara Ilves.md", 8, 1)]
