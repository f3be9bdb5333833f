"""`Field.task`: an inline field on a task is the task's own (Dataview, "Adding Metadata to your
Pages": "If you want to add metadata to one list item or task only, use Inline Fields"; its index
keeps a task's fields on the task and merges only other list items' fields into the page's).
Both parsers (the plain-page scan and markdown-it) mark the same fields."""

from __future__ import annotations

import pytest

from kbsleep.wiki.parse import parse_page
from kbsleep.wiki.plain import plain_page

# Every line: (source, is the field on it a task's?)
LINES = [
    ("- [ ] Send a mail to David about the deadline [due:: 2022-04-05].", True),
    ("- [x] Signed [[Lease]] (done:: 2022-01-02)", True),
    ("* [/] Half done [due:: 2022-05-01]", True),
    ("+ [?] Ask [[David]] [due:: 2022-05-02]", True),
    ("1. [ ] Numbered [due:: 2022-05-03]", True),
    ("2) [-] Cancelled [due:: 2022-05-04]", True),
    ("- [question:: Who is the rider?]", False),
    ("- [[Mara Ilves]] [born:: 1952]", False),
    ("- [[Mara Ilves]] born:: 1952", False),
    ("- Met [[Mara Ilves]] [born:: 1952]", False),
    ("- [] Not a task: no status [due:: 2022-05-05]", False),
    ("- [ ]no space after the status [due:: 2022-05-06]", False),
    ("[ ] A paragraph, not a list item [due:: 2022-05-07]", False),
    ("Plain [rating:: 9] text", False),
]


def fields_of(text: str) -> list[tuple[str, int, bool]]:
    return [(f.key, f.line, f.task) for f in parse_page("Page.md", text.encode()).fields]


@pytest.mark.parametrize(("line", "task"), LINES, ids=[line for line, _ in LINES])
@pytest.mark.parametrize("nested", [False, True], ids=["plain", "markdown-it"])
def test_a_field_is_a_task_s_when_its_list_item_opens_with_a_status(line: str, task: bool, nested: bool) -> None:
    # a nested list is no plain page: markdown-it reads it
    text = "# Page\n\n" + line + "\n" + ("\n- Outer\n  - inner\n" if nested else "")
    assert (plain_page(text) is None) == nested
    (field,) = parse_page("Page.md", text.encode()).fields
    assert (field.line, field.kind, field.task) == (3, "inline", task)


def test_a_task_s_continuation_lines_and_nested_tasks_are_the_task_s() -> None:
    text = "# Todo\n\n- [ ] Check the form:\n  [[Mara Ilves]] [born:: 1954]\n  - [ ] Sub-task [due:: 2022-01-01]\n  - Note [seen:: yes]\n> - [x] Quoted [done:: 2022-02-02]\n"
    assert fields_of(text) == [("born", 4, True), ("due", 5, True), ("seen", 6, False), ("done", 7, True)]


def test_a_task_takes_bracketed_fields_only() -> None:
    assert fields_of("# Todo\n\n- [ ] owner:: Mara\n- [ ] [owner:: Mara]\n") == [("owner", 4, True)]
