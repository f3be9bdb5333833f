"""Templates are not judged as content; placeholder names and links are not findings anywhere.

A page in a templates folder (Obsidian's, Templater's, or `lint.templates`) gets no
duplicate-page, orphan-page, empty-page, empty-section, missing-from-index, conflicting-facts
or contradicting-claims finding, and states no fact for others; its links are still checked.
A title or alias holding `{{...}}` or `<%...%>` is never a duplicate, and a link whose target is
such an expression is never broken, in a templates folder or not.
"""

from __future__ import annotations

import pytest

from kbsleep.lint import Selection, lint
from kbsleep.wiki import open_wiki
from tests.lint.support import triples

TEMPLATES = {"kbsleep.toml": '[lint]\ntemplates = ["Templates/**"]\n'}
PUMP = "---\ntitle: Orion pump\nbuilt: 2019\nflow: 40\n---\n# Orion pump\n\nBuilt in 2019.\n"


def run(make_repo, files: dict[str, str], *rules: str, scope: set[str] | None = None, name: str = "repo") -> set[tuple[str, str, int]]:
    wiki = open_wiki(make_repo({**TEMPLATES, **files}, name=name))
    return triples(lint(wiki, Selection(select=rules or ("ALL",)), scope).diagnostics)


TEMPLATE_CASES = {
    "duplicate-page": {"Templates/Pump.md": "---\ntitle: Orion pump\naliases: [Pump]\n---\n# T\n\nBuilt in 2019.\n", "Orion pump.md": PUMP, "index.md": "[[Orion pump]] [[Pump]]"},
    "orphan-page": {"Templates/Lonely.md": "# Lonely\n\nText.\n"},
    "empty-page": {"Templates/Blank.md": "# {{title}}\n"},
    "empty-section": {"Templates/Day.md": "# Day\n\n## Tasks\n\n## Notes\n"},
    "missing-from-index": {"index.md": "# Index\n", "Templates/Day.md": "# Day\n\nText.\n"},
    "conflicting-facts": {"Orion pump.md": PUMP, "Templates/Log.md": "# Log\n\n- [[Orion pump]] flow:: 99\n", "Templates/Pump.md": "---\nflow: 1\n---\n# P\n\n[[Templates/Pump]] flow:: 2\n"},
    "contradicting-claims": {"Orion pump.md": PUMP, "Templates/Log.md": "# Log\n\n[[Orion pump]], built in 2015, hums.\n"},
}  # fmt: skip


@pytest.mark.parametrize("rule", sorted(TEMPLATE_CASES))
def test_a_template_is_not_judged_as_content(make_repo, rule: str) -> None:
    assert run(make_repo, TEMPLATE_CASES[rule], rule) == set()


@pytest.mark.parametrize("rule", sorted(TEMPLATE_CASES))
def test_the_same_pages_outside_a_templates_folder_are_reported(make_repo, rule: str) -> None:
    """The cases above are real findings once the folder is not a templates folder."""
    files = {path.replace("Templates/", "Drafts/"): text.replace("[[Templates/", "[[Drafts/") for path, text in TEMPLATE_CASES[rule].items()}
    assert {path for _, path, _ in run(make_repo, files, rule)} & {"Drafts/Pump.md", "Drafts/Lonely.md", "Drafts/Blank.md", "Drafts/Day.md", "Drafts/Log.md", "Orion pump.md"}


def test_a_template_is_no_evidence_for_another_page_s_fact(make_repo) -> None:
    """A template's `- [[Orion pump]] flow:: 99` does not make the real log's `flow:: 55` a
    second opinion, nor the reference it is compared against."""
    files = {"Orion pump.md": "# Orion pump\n", "Templates/Log.md": "# L\n\n- [[Orion pump]] flow:: 99\n", "Log.md": "# Log\n\n- [[Orion pump]] flow:: 55\n"}
    assert run(make_repo, files, "conflicting-facts") == set()


def test_a_template_s_links_are_still_checked(make_repo) -> None:
    files = {"Orion pump.md": PUMP, "Templates/Day.md": "# Day\n\n[[Orion pmp]] [[Orion pump#Nowhere]] [[Orion pump]]\n"}
    assert run(make_repo, files, "broken-link", "broken-anchor") == {("KB101", "Templates/Day.md", 3), ("KB102", "Templates/Day.md", 3)}


@pytest.mark.parametrize("scope", [None, {"Templates/Pump.md"}, {"Orion pump.md"}, {"Other.md"}])
def test_a_scoped_run_agrees_with_a_whole_one(make_repo, scope: set[str] | None) -> None:
    files = {
        "Orion pump.md": PUMP, "Other.md": "---\ntitle: Orion pump\n---\n# O\n\nBuilt in 2019.\n",
        "Templates/Pump.md": "---\ntitle: Orion pump\n---\n# T\n\n## Empty\n",
    }  # fmt: skip
    found = run(make_repo, files, "duplicate-page", "empty-section", "orphan-page", scope=scope)
    expected = {("KB202", "Other.md", 2), ("KB201", "Orion pump.md", 1), ("KB201", "Other.md", 1)}
    assert found == {t for t in expected if scope is None or t[1] in scope or (t[0] == "KB202" and "Orion pump.md" in scope)}


PLACEHOLDER_NAMES = {
    "Week one.md": '---\ntitle: "<% tp.file.title %>"\naliases: ["{{week}}", "{{date:YYYY}}"]\n---\n# W1\n\nText.\n',
    "Week two.md": '---\ntitle: "<% tp.file.title %>"\naliases: ["{{week}}"]\n---\n# W2\n\nText.\n',
    "notes/Week three.md": '---\ntitle: "{{date:YYYY}}"\n---\n# W3\n\nText.\n',
}


def test_placeholder_titles_and_aliases_are_never_duplicates_anywhere(make_repo) -> None:
    files = {**PLACEHOLDER_NAMES, "index.md": "[[Week one]] [[Week two]] [[Week three]]"}
    assert run(make_repo, files, "duplicate-page") == set()
    assert run(make_repo, files, "duplicate-page", scope={"Week two.md"}, name="scoped") == set()


@pytest.mark.parametrize("link", [
    "[[<% tp.file.title %>]]", "[[{{date}}]]", "[[{{date:YYYY-MM-DD}}|today]]", "![[{{title}}.png]]",
    "[[Orion pump#{{heading}}]]", "[[Orion pump#^{{block}}]]", '[[<% tp.date.yesterday("YYYY-MM-DD") %>]]',
    "[[Week {{week}}]]", "[Today]({{date}}.md)",
])  # fmt: skip
def test_a_link_to_a_template_expression_is_not_broken_anywhere(make_repo, link: str) -> None:
    """Obsidian shows it unresolved, but it is filled in when a note is made from a template:
    we chose not to call it broken, in a templates folder or anywhere else."""
    files = {**PLACEHOLDER_NAMES, "Orion pump.md": PUMP, "Note.md": f"# Note\n\n{link}\n", "Templates/Day.md": f"# Day\n\n{link}\n"}
    assert run(make_repo, files, "KB1") == set()


def test_a_real_broken_link_beside_a_template_expression_is_still_reported(make_repo) -> None:
    files = {"Note.md": "# Note\n\n[[{{date}}]] [[Nowhere]] [[Nowhere#{{heading}}]]\n"}
    assert run(make_repo, files, "broken-link") == {("KB101", "Note.md", 3)}
    wiki = open_wiki(make_repo({"Note.md": "# Note\n\n[[{{date}}]] [[Nowhere]]\n"}, name="again"))
    assert [d.message for d in lint(wiki, Selection(select=("broken-link",))).diagnostics] == ["broken link: `[[Nowhere]]` matches no page or attachment"]


def test_lint_deep_shows_the_model_no_template_and_no_excluded_file(make_repo) -> None:
    from kbsleep.lint.candidates import select_candidates

    files = {
        ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}',
        "places/Port Evra.md": "# Port Evra\n\nPort Evra was founded in 1712 by fishing families.\n",
        "Templates/Town.md": '---\nsources:\n  - "[[Port Evra]]"\n---\n# {{title}}\n\n[[Port Evra]] was founded in 1731.\n',
        "Archive/Old.md": "# Old\n\n[[Port Evra]] was founded in 1740.\n",
        "people/Ana.md": '---\nsources:\n  - "[[Templates/Town]]"\n---\n# Ana\n\nShe says [[Port Evra]] was founded in 1731.\n',
    }  # fmt: skip
    wiki = open_wiki(make_repo({**TEMPLATES, **files}))
    found = select_candidates(wiki, 50)
    assert {(c.kind, c.a.path, c.b.path) for c in found.chosen} == {("pair", "people/Ana.md", "places/Port Evra.md")}


def test_a_link_by_a_name_a_template_shares_is_meant_for_the_page_with_content(make_repo) -> None:
    files = {
        "Templates/Rover.md": "---\ntitle: Kestrel Rover\naliases: [Kestrel]\n---\n# {{title}}\n",
        "vehicles/Kestrel Rover.md": "---\naliases: [Kestrel]\n---\n# Kestrel Rover\n",
        "Liis.md": "# Liis\n\n[[Kestrel]]\n",
    }  # fmt: skip
    wiki = open_wiki(make_repo({**TEMPLATES, **files}))
    [found] = lint(wiki, Selection(select=("alias-link",))).diagnostics
    assert found.message == "`[[Kestrel]]` is the alias of vehicles/Kestrel Rover.md, not a file name: Obsidian will not open it"
    assert found.fix == ((3, 1, "[[Kestrel]]", "[[Kestrel Rover|Kestrel]]"),)
