"""duplicate-page (KB202) and identifying properties: two pages of one title and one text that
give an identifying property (`id`, `isbn`, any `*_id`) different values are two records, not one
thing written twice (an LLM wiki's issue-tracker pages, `bead_id: jleechan-81q` and
`bead_id: jleechan-5cm`, both titled by their template), as consolidate never merges them. One
value given twice, or a value on one page only, tells nothing apart."""

from __future__ import annotations

from kbsleep.lint import Selection, lint
from kbsleep.wiki import open_wiki

# Each group of namesakes its own text: text two unrelated groups share is a template's.
BODIES = {
    "Pair session: test task": "Open a pair session, run the smoke test against the staging queue, and record whether the worker picked the task up within a minute.",
    "The Odyssey": "Homer's epic of Odysseus and his ten years' voyage home from Troy to Ithaca, translated in verse.",
    "Aizen": "The campaign opens in the ruined temple of Bhaal, where the party wakes chained beside the altar at dawn.",
    "PR 6192": "Show the rewards box when the experience gained is zero, so that a quest with loot still reports it.",
}


def issue(key: str, value: str, title: str = "Pair session: test task") -> str:
    line = f"{key}: {value}\n" if key else ""
    return f"---\ntitle: \"{title}\"\ntype: source\n{line}status: open\n---\n\n## Summary\n\n{BODIES[title]}\n"


def duplicates(root) -> list[tuple[str, str]]:
    report = lint(open_wiki(root), Selection(select=("duplicate-page",)))
    return sorted((d.path, d.related[0].path) for d in report.diagnostics)


def test_records_with_different_identifiers_are_two_things(make_repo) -> None:
    root = make_repo({
        "sources/bead-81q.md": issue("bead_id", "jleechan-81q"),
        "sources/bead-5cm.md": issue("bead_id", "jleechan-5cm"),
        "sources/book-a.md": issue("isbn", "978-0-14-044913-6", "The Odyssey"),
        "sources/book-b.md": issue("isbn", "978-0-14-026886-7", "The Odyssey"),
    })
    assert duplicates(root) == []


def test_one_identifier_given_twice_or_once_tells_nothing_apart(make_repo) -> None:
    root = make_repo({
        "sources/aizen.md": issue("campaign_id", "ADCwQxVe", "Aizen"),
        "sources/aizen-ADCwQxVe.md": issue("campaign_id", "adcwqxve", "Aizen"),  # folded: one value
        "sources/pr-6192.md": issue("pr_id", "6192", "PR 6192"),
        "sources/pr-6192-fix.md": issue("", "", "PR 6192"),
    })
    assert duplicates(root) == [("sources/aizen.md", "sources/aizen-ADCwQxVe.md"), ("sources/pr-6192.md", "sources/pr-6192-fix.md")]
