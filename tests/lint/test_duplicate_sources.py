"""duplicate-page and read-only pages: a page that repeats its source (`raw/`) was written from
it and is no duplicate; two sources that repeat each other are."""

from __future__ import annotations

from kbsleep.lint import Selection, lint
from kbsleep.wiki import open_wiki

PROSE = (
    "The schema names every table of the survey database and the keys that join them. Each vessel "
    "row holds its call sign, its home port and the year it entered service. Each dive row holds "
    "the vessel, the date, the depth reached and the crew on board."
)
SOURCE = f"# Schema\n\n{PROSE}\n"


def duplicates(make_repo, pages: dict[str, str]) -> list[tuple[str, str]]:
    report = lint(open_wiki(make_repo(pages)), Selection(select=("duplicate-page",)))
    return [(d.path, d.related[0].path) for d in report.diagnostics]


def test_a_page_written_from_its_source_is_no_duplicate(make_repo) -> None:
    assert duplicates(make_repo, {"raw/papers/schema.md": SOURCE, "seeds/schema.md": SOURCE}) == []


def test_two_copies_of_a_source_are_duplicates(make_repo) -> None:
    pages = {"raw/papers/schema.md": SOURCE, "team/raw/schema.md": SOURCE, "seeds/schema.md": SOURCE}
    assert duplicates(make_repo, pages) == [("team/raw/schema.md", "raw/papers/schema.md")]


def test_with_no_read_only_pages_the_copy_is_a_duplicate(make_repo) -> None:
    pages = {"raw/papers/schema.md": SOURCE, "seeds/schema.md": SOURCE, "kbsleep.toml": "read-only = []\n"}
    assert duplicates(make_repo, pages) == [("seeds/schema.md", "raw/papers/schema.md")]
