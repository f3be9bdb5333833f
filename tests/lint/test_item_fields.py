"""`conflicting-facts` reads fields on list items and tasks, and a key a page gives several times,
as Dataview does (its docs, "Adding Metadata to your Pages" and "Field Types"):

- a task's fields are the task's own ("If you want to add metadata to one list item or task only,
  use Inline Fields"; Dataview's index keeps them on the task): never a fact of the page, nor of
  a page the task links to;
- a key given twice or more on one page is a list ("Duplicated metadata keys in the same file lead
  to lists"): a page's own inline values of it are no contradiction, nor are other pages' values
  of that key for that page. Our choices: a scalar property beside one inline field of its key
  still conflicts, and facts about a linked entity (`- [[Mara]] born:: 1954`) are claims each.
"""

from __future__ import annotations

from tests.lint.support import lint_wiki

MARA = "---\nborn: 1952\n---\n# Mara Ilves\n\nMarine biologist.\n"


def found(files: dict[str, str], make_repo) -> list[tuple[str, int, str]]:
    return [(d.path, d.location.line, d.message) for d in lint_wiki(make_repo(files), "conflicting-facts").diagnostics]


# -- must not flag ----------------------------------------------------------------------------


def test_a_key_on_several_list_items_of_a_page_is_a_list(make_repo) -> None:
    # zmdominguez/rpg-east: open questions of a session, one list item each
    page = "# S05 Finding Pipe\n\n- [question:: Who is the rider?]\n- [question:: Where did the wolf go?]\n- [question:: Will the Root Guardian help?]\n"
    assert found({"S05 Finding Pipe.md": page}, make_repo) == []


def test_a_key_on_several_lines_of_a_page_is_a_list(make_repo) -> None:
    # Dataview's own example: `grocery` is a list of flour and soap
    page = "# Shopping\n\ngrocery:: flour\n\nSome text.\n\ngrocery:: soap\nI would buy [grocery:: eggs] too.\n"
    assert found({"Shopping.md": page}, make_repo) == []


def test_other_pages_values_of_a_list_key_are_members_not_rivals(make_repo) -> None:
    files = {
        "Party.md": "# Party\n\n- [member:: Ann]\n- [member:: Bob]\n",
        "Roster.md": "# Roster\n\n- [[Party]] member:: Carl\n",
        "Tavern.md": "# Tavern\n\n- [[Party]] member:: Dora\n",
    }
    assert found(files, make_repo) == []


def test_a_list_key_beside_a_property_of_its_name_is_a_list(make_repo) -> None:
    page = "---\nborn: 1952\n---\n# Mara Ilves\n\nborn:: 1953\nborn:: 1954\n"
    assert found({"Mara Ilves.md": page}, make_repo) == []


def test_a_task_s_field_is_no_fact_of_its_page(make_repo) -> None:
    page = "---\ndue: 2024-01-01\n---\n# Renewal\n\n- [ ] Renew the lease [due:: 2025-03-01]\n- [x] Sign the form (due:: 2023-02-01)\n"
    assert found({"Renewal.md": page}, make_repo) == []


def test_a_task_s_field_is_no_fact_of_the_page_it_links(make_repo) -> None:
    files = {
        "David.md": "---\ndue: 2022-01-01\n---\n# David\n\nEditor.\n",
        "Inbox.md": "# Inbox\n\n- [ ] Send a mail to [[David]] about the deadline [due:: 2023-04-05]\n",
        "Desk.md": "# Desk\n\n1. [/] Call [[David]] [due:: 2024-05-01]\n> - [ ] Meet [[David]] [due:: 2025-06-01]\n\t- [ ] Thank [[David]] [due:: 2026-07-01]\n",
    }
    assert found(files, make_repo) == []


def test_a_task_s_fields_on_its_continuation_line_are_the_task_s(make_repo) -> None:
    files = {"Mara Ilves.md": MARA, "Todo.md": "# Todo\n\n- [ ] Check the year on the form:\n  [[Mara Ilves]] [born:: 1954]\n"}
    assert found(files, make_repo) == []


# -- must flag --------------------------------------------------------------------------------


def test_a_property_and_one_inline_field_of_its_key_conflict(make_repo) -> None:
    page = MARA + "\nborn:: 1953\n"
    assert found({"Mara Ilves.md": page}, make_repo) == [("Mara Ilves.md", 8, "`born` of Mara Ilves.md is `1953` here but `1952` at Mara Ilves.md:2")]


def test_a_value_repeated_alike_is_one_value_that_other_pages_contradict(make_repo) -> None:
    # no property on the entity's page: the first value stated (Crew.md comes first) is the reference
    files = {"Mara Ilves.md": "# Mara Ilves\n\nborn:: 1952\n\nBorn:: 1952\n", "Crew.md": "# Crew\n\n- [[Mara Ilves]] born:: 1954\n"}
    assert found(files, make_repo) == [
        ("Mara Ilves.md", 3, "`born` of Mara Ilves.md is `1952` here but `1954` at Crew.md:3"),
        ("Mara Ilves.md", 5, "`born` of Mara Ilves.md is `1952` here but `1954` at Crew.md:3"),
    ]


def test_facts_about_a_linked_entity_conflict_on_one_page(make_repo) -> None:
    page = "# Crew\n\n- [[Henrik Saar]] role:: engineer\n- [[Henrik Saar]] role:: skipper\n"
    files = {"Henrik Saar.md": "# Henrik Saar\n\nEngineer.\n", "Crew.md": page}
    assert found(files, make_repo) == [("Crew.md", 4, "`role` of Henrik Saar.md is `skipper` here but `engineer` at Crew.md:3")]


def test_a_list_item_s_field_about_a_linked_entity_is_a_fact(make_repo) -> None:
    files = {"Mara Ilves.md": MARA, "Notes.md": "# Notes\n\n- Met [[Mara Ilves]] [born:: 1954] at the pier\n"}
    assert found(files, make_repo) == [("Notes.md", 3, "`born` of Mara Ilves.md is `1954` here but `1952` at Mara Ilves.md:2")]


def test_a_list_item_s_own_field_is_a_fact_of_its_page(make_repo) -> None:
    # Dataview merges the fields of list items that are not tasks into their page's
    files = {"Book.md": "# Book\n\n- [rating:: 5]\n", "Review.md": "# Review\n\n- [[Book]] rating:: 3\n"}
    assert found(files, make_repo) == [("Review.md", 3, "`rating` of Book.md is `3` here but `5` at Book.md:3")]


def test_a_bracket_that_opens_a_paragraph_is_no_task(make_repo) -> None:
    files = {"Mara Ilves.md": MARA, "Notes.md": "# Notes\n\n[x] marks [[Mara Ilves]] [born:: 1954]\n"}
    assert found(files, make_repo) == [("Notes.md", 3, "`born` of Mara Ilves.md is `1954` here but `1952` at Mara Ilves.md:2")]
