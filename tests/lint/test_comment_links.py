"""A link in a `%% comment %%` is a link of the graph, never a finding.

Obsidian's metadata cache keeps the links inside a `%%` comment, inline or over several lines:
the note's backlinks pane and its graph count them, and so do its unresolved links. Reading
view hides the comment, so what it holds is never shown broken. So a page linked only from a
comment is no orphan, and an index that links a page only in a comment reaches it; but no link
rule reports a link inside a comment, `lint --fix` never rewrites one, and `ask` never follows
one. (docs/obsidian.md, "Comments, code, and kbsleep's fences".) An HTML comment's links, and
a code span's, are no links at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.lint import Selection, lint
from kbsleep.search.sections import section_links
from kbsleep.wiki import open_wiki
from tests.lint.support import triples

# How a page can write a link that reading view hides: in an inline `%%` comment, one over
# several lines, and one whose closing `%%` is on the link's line.
HIDDEN = {
    "inline": "Text %% see {link} %% more.\n",
    "block": "%%\nTo do: {link}\n%%\n",
    "closing": "%%\nTo do:\n{link} %%\n",
}
# Where a link is no link at all.
NOT_LINKS = {
    "html comment": "Text <!-- see {link} --> more.\n",
    "code span": "Text `{link}` more.\n",
}
PUMP = "---\naliases: [Pump]\n---\n# Orion pump\n\nIt moves water.\n\n## Parts\n\nA rotor.\n"


def run(make_repo, files: dict[str, str], *rules: str, name: str = "repo") -> set[tuple[str, str, int]]:
    wiki = open_wiki(make_repo(files, name=name))
    return triples(lint(wiki, Selection(select=rules)).diagnostics)


def graph_case(form: str, link: str) -> dict[str, str]:
    """An index linking Hub, and a page Lonely that only Hub links to, written as `form` makes it."""
    return {
        "index.md": "# Index\n\n[[Hub]]\n",
        "Hub.md": "# Hub\n\nIntro.\n\n" + form.format(link=link),
        "Lonely.md": "# Lonely\n\nSome text.\n",
    }


@pytest.mark.parametrize("form", sorted(HIDDEN))
@pytest.mark.parametrize("rule", ["orphan-page", "missing-from-index"])
def test_a_page_linked_only_from_a_comment_is_linked(make_repo, form: str, rule: str) -> None:
    assert run(make_repo, graph_case(HIDDEN[form], "[[Lonely]]"), rule) == set()


@pytest.mark.parametrize("form", sorted(NOT_LINKS))
@pytest.mark.parametrize("rule", ["orphan-page", "missing-from-index"])
def test_a_page_named_only_in_an_html_comment_or_code_is_not_linked(make_repo, form: str, rule: str) -> None:
    assert {path for _, path, _ in run(make_repo, graph_case(NOT_LINKS[form], "[[Lonely]]"), rule)} == {"Lonely.md"}


def test_the_index_reaches_a_page_it_links_only_in_a_comment(make_repo) -> None:
    files = {"index.md": "# Index\n\n%% [[Lonely]] %%\n", "Lonely.md": "# Lonely\n\nSome text.\n"}
    assert run(make_repo, files, "missing-from-index") == set()


# Each link rule's finding, and a link that gives it: reported when written in the text.
FINDINGS = {
    "broken-link": "[[Nowhere]]",
    "broken-anchor": "[[Orion pump#Valves]]",
    "alias-link": "[[Pump]]",
    "ambiguous-link": "[[Notes]]",
}
LINKED = {"Orion pump.md": PUMP, "a/Notes.md": "# Notes\n\nA.\n", "b/Notes.md": "# Notes\n\nB.\n"}


@pytest.mark.parametrize("rule", sorted(FINDINGS))
def test_the_link_written_in_the_text_is_reported(make_repo, rule: str) -> None:
    files = {**LINKED, "Log.md": f"# Log\n\nSaw {FINDINGS[rule]} today.\n"}
    assert run(make_repo, files, rule) == {(_code(rule), "Log.md", 3)}


@pytest.mark.parametrize("form", sorted(HIDDEN))
@pytest.mark.parametrize("rule", sorted(FINDINGS))
def test_no_link_rule_reports_a_link_in_a_comment(make_repo, form: str, rule: str) -> None:
    files = {**LINKED, "Log.md": "# Log\n\nSaw it today.\n\n" + HIDDEN[form].format(link=FINDINGS[rule])}
    assert run(make_repo, files, rule) == set()


def test_a_comment_s_link_is_reported_where_the_comment_ends_on_its_line(make_repo) -> None:
    """`%% note %% [[Nowhere]]`: the link after the closing `%%` is shown, and broken."""
    files = {"Log.md": "# Log\n\n%% note %% [[Nowhere]]\n\n%%\nnote\n%% and [[Elsewhere]]\n"}
    assert run(make_repo, files, "broken-link") == {("KB101", "Log.md", 3), ("KB101", "Log.md", 7)}


def test_fix_rewrites_the_alias_link_in_the_text_and_not_the_one_in_the_comment(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    log = "# Log\n\nSaw [[Pump]] today.\n\n%% Uncomment: [[Pump]] %%\n\n%%\n[[Pump]]\n%%\n"
    root = make_repo({"Orion pump.md": PUMP, "Log.md": log})
    main(["--wiki", str(root), "lint", "--fix", "--select", "alias-link", "--output-format", "concise"])
    capsys.readouterr()
    assert (root / "Log.md").read_text(encoding="utf-8") == log.replace("Saw [[Pump]]", "Saw [[Orion pump|Pump]]")


def test_ask_follows_no_link_in_a_comment(make_repo) -> None:
    root = make_repo({**LINKED, "Log.md": "# Log\n\nSee [[Orion pump]].\n\n%% and [[a/Notes]] %%\n"})
    page = open_wiki(root).pages["Log.md"]
    assert [name for name, _, _ in section_links(page)] == ["Orion pump"]  # the link path as written


def _code(rule: str) -> str:
    return {"broken-link": "KB101", "broken-anchor": "KB102", "alias-link": "KB103", "ambiguous-link": "KB104"}[rule]


def test_the_codes_are_the_rules(make_repo) -> None:
    """(The table above names each rule's code as the registry does.)"""
    from kbsleep.lint.registry import RULES

    assert {rule: _code(rule) for rule in FINDINGS} == {rule.name: rule.code for rule in RULES.values() if rule.name in FINDINGS}

