"""Each rule against its fixture wiki: exactly the findings its `expected.txt` lists, nothing else.

A fixture is `tests/fixtures/lint/<rule-name>/`: `wiki/` holds the pages (and a `kbsleep.toml`
when the rule reads config), and `expected.txt` lists every finding the rule must report, each as
a concise line (`path:line:col: CODE message`) followed by its hint, related locations and fixes.
Every other page and link in `wiki/` is a case that must NOT be reported; the pages say which
case they are. Only the fixture's rule runs, unless `expected.txt` has a `select:` line.

After an intended change to a rule, rewrite the lists with
`KBSLEEP_UPDATE_GOLDEN=1 pytest tests/lint/test_rules.py` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kbsleep.lint.registry import RULES
from kbsleep.lint.rules.facts import agree, normalize_value
from kbsleep.lint.rules.links import NEAR_TABLES
from kbsleep.wiki.fences import source_hash
from tests.lint.support import LINT_FIXTURES, copy_wiki, describe, lint_wiki, load

RULE_FIXTURES = sorted(path.name for path in LINT_FIXTURES.iterdir() if (path / "expected.txt").is_file())


def read_expected(name: str) -> tuple[tuple[str, ...], str]:
    """(rules to select, the expected findings) from a fixture's `expected.txt`."""
    select: tuple[str, ...] = (name,)
    body = []
    for line in (LINT_FIXTURES / name / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or (not body and not line.strip()):
            continue
        if line.startswith("select:"):
            select = tuple(ref.strip() for ref in line.removeprefix("select:").split(","))
            continue
        body.append(line)
    return select, "\n".join(body) + "\n" if body else ""


def fixture_repo(make_repo, name: str) -> Path:
    root = make_repo(commit=False, name=name)
    copy_wiki(LINT_FIXTURES / name / "wiki", root)
    return root


def test_every_rule_has_a_fixture() -> None:
    # Judgement rules (`--deep`) need a model; their tests live with the model code.
    assert sorted(rule.name for rule in RULES.values() if rule.severity != "judgement") == RULE_FIXTURES


@pytest.mark.parametrize("name", RULE_FIXTURES)
def test_rule_reports_exactly_the_expected_findings(make_repo, name: str) -> None:
    select, expected = read_expected(name)
    got = describe(lint_wiki(fixture_repo(make_repo, name), *select).diagnostics)
    if os.environ.get("KBSLEEP_UPDATE_GOLDEN"):
        path = LINT_FIXTURES / name / "expected.txt"
        head = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith(("#", "select:"))]
        path.write_text("\n".join(head) + "\n\n" + got, encoding="utf-8")
        return
    assert got == expected


def test_every_rule_is_documented_in_four_parts() -> None:
    for rule in RULES.values():
        assert list(rule.parts()) == ["What it does", "Why it matters", "Example", "Fix"], rule.name
        assert all(rule.parts().values()), rule.name


# -- broken-link ---------------------------------------------------------------------------------


def test_broken_link_suggests_the_file_name_of_a_near_miss(make_repo) -> None:
    root = make_repo({"Kestrel Rover.md": "# Kestrel Rover\n\nA rover.\n", "Log.md": "# Log\n\nSaw [[Kestrel Rovr]] today.\n"})
    (finding,) = lint_wiki(root, "broken-link").diagnostics
    assert (finding.path, finding.location.line, finding.location.column) == ("Log.md", 3, 5)
    assert finding.message == "broken link: `[[Kestrel Rovr]]` matches no page or attachment"
    assert finding.hint == "did you mean [[Kestrel Rover]]?"


def test_near_miss_tables_are_read_back_until_a_name_changes(make_repo) -> None:
    root = make_repo({"Kestrel Rover.md": "# Kestrel Rover\n", "Log.md": "[[Kestrel Rovr]] [[Mara Ilvs]]\n"})
    hints = lambda: [d.hint for d in lint_wiki(root, "broken-link").diagnostics]  # noqa: E731
    assert hints() == ["did you mean [[Kestrel Rover]]?", None]
    (kept,) = (root / ".kbsleep").glob(f"{NEAR_TABLES}.marshal")
    built = kept.read_bytes()
    (root / "Log.md").write_text("[[Kestrel Rovr]] [[Mara Ilvs]] and more\n")  # same names: read back
    assert hints() == ["did you mean [[Kestrel Rover]]?", None]
    assert kept.read_bytes() == built
    (root / "Mara Ilves.md").write_text("# Mara Ilves\n")  # a new page: built again, and it is found
    assert hints() == ["did you mean [[Kestrel Rover]]?", "did you mean [[Mara Ilves]]?"]
    assert kept.read_bytes() != built
    kept.write_bytes(b"\x00torn")  # a torn file is no cache
    assert hints() == ["did you mean [[Kestrel Rover]]?", "did you mean [[Mara Ilves]]?"]


def test_the_entity_names_claims_are_read_by_are_kept_while_names_and_entities_stay(make_repo) -> None:
    from kbsleep.lint.rules.facts import Names

    root = make_repo({"Mara Ilves.md": "---\nborn: 1952\n---\n# Mara Ilves\n", "Log.md": "Mara Ilves was born in 1954.\n"})
    messages = lambda: [d.message for d in lint_wiki(root, "contradicting-claims").diagnostics]  # noqa: E731
    assert messages() == ["says Mara Ilves born 1954, but Mara Ilves.md has `born: 1952`"]
    (kept,) = (root / ".kbsleep").glob(f"{Names.LAYOUT}.marshal")
    built = kept.read_bytes()
    (root / "Log.md").write_text("Mara Ilves was born in 1953. Tor Vik was born in 1930.\n")  # same entities: read back
    assert messages() == ["says Mara Ilves born 1953, but Mara Ilves.md has `born: 1952`"]
    assert kept.read_bytes() == built
    (root / "Tor Vik.md").write_text("---\nborn: 1931\n---\n# Tor Vik\n")  # a new entity: built again, and it is found
    assert messages() == ["says Mara Ilves born 1953, but Mara Ilves.md has `born: 1952`", "says Tor Vik born 1930, but Tor Vik.md has `born: 1931`"]
    assert kept.read_bytes() != built
    (root / "Tor Vik.md").write_text("# Tor Vik\n\nNo dates here.\n")  # an entity no more, same names: built again
    assert messages() == ["says Mara Ilves born 1953, but Mara Ilves.md has `born: 1952`"]


# -- orphan-page and missing-from-index -----------------------------------------------------------


def test_orphan_page_exempts_index_log_and_inbox_by_default(make_repo) -> None:
    root = make_repo({
        "index.md": "# Index\n\nNo links.\n",
        "log.md": "# Log\n\nNo links.\n",
        "inbox/Captured.md": "# Captured\n\nNo links.\n",
        "Orphan.md": "# Orphan\n\nNo links.\n",
    })  # fmt: skip
    assert [d.path for d in lint_wiki(root, "orphan-page").diagnostics] == ["Orphan.md"]


def test_missing_from_index_reports_nothing_when_there_is_no_index(make_repo) -> None:
    root = fixture_repo(make_repo, "missing-from-index")
    assert lint_wiki(root, "missing-from-index").diagnostics  # the fixture's unreachable pages...
    (root / "index.md").unlink()
    assert lint_wiki(root, "missing-from-index").diagnostics == ()  # ...are fine without an index


# -- required-frontmatter -------------------------------------------------------------------------


def test_required_frontmatter_requires_nothing_unless_configured(make_repo) -> None:
    root = fixture_repo(make_repo, "required-frontmatter")
    (root / "kbsleep.toml").unlink()
    assert lint_wiki(root, "required-frontmatter").diagnostics == ()


def test_required_frontmatter_reads_the_pyproject_table_too(make_repo) -> None:
    root = make_repo({"pyproject.toml": "[tool.kbsleep.lint]\nrequired-frontmatter = ['sources']\n", "Page.md": "# Page\n\nText.\n"})
    (finding,) = lint_wiki(root, "required-frontmatter").diagnostics
    assert (finding.path, finding.message) == ("Page.md", "frontmatter lacks required `sources`")


# -- conflicting-facts: lenient equality ----------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("64 (2025)", "64"),  # a year in brackets qualifies the number, it is not another value
        ("41,000", "41000"),  # thousands separators
        ("director", "Director, Evra Coast Observatory"),  # the words of one within the other
        ("[[people/Mara Ilves]]", "Mara Ilves"),  # a link to the entity names it
        ('"1987"', "1987"),
    ],
)
def test_values_that_state_the_same_fact_agree(a: str, b: str) -> None:
    assert agree(normalize_value(a), normalize_value(b))
    assert agree(normalize_value(b), normalize_value(a))


@pytest.mark.parametrize(("a", "b"), [("1987", "1989"), ("64", "58 (2025)"), ("director", "skipper"), ("41,000", "41,500")])
def test_values_that_state_different_facts_disagree(a: str, b: str) -> None:
    assert not agree(normalize_value(a), normalize_value(b))


# -- stale-generated ------------------------------------------------------------------------------

PAGE = """\
# Port Evra

A harbour town with four piers.

<!-- kbsleep:anticipate v=1 source={source} -->
## Questions this page answers

- How many piers? Four.
<!-- /kbsleep:anticipate -->

## History

Founded as a fishing village.
"""


def fenced_repo(make_repo) -> tuple[Path, str]:
    """A wiki whose fence records the true source hash of its page."""
    root = make_repo({"Port Evra.md": PAGE.format(source="0000000000000000")}, commit=False)
    fresh = source_hash(load(root).pages["Port Evra.md"])
    (root / "Port Evra.md").write_text(PAGE.format(source=fresh), encoding="utf-8")
    return root, fresh


def test_a_fence_whose_source_hash_matches_the_page_is_fresh(make_repo) -> None:
    root, fresh = fenced_repo(make_repo)
    assert source_hash(load(root).pages["Port Evra.md"]) == fresh  # the hash ignores the fence itself
    assert lint_wiki(root, "stale-generated").diagnostics == ()


def test_editing_the_page_outside_the_fence_makes_it_stale(make_repo) -> None:
    root, _ = fenced_repo(make_repo)
    page = root / "Port Evra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("four piers", "five piers"), encoding="utf-8")
    (finding,) = lint_wiki(root, "stale-generated").diagnostics
    assert (finding.code, finding.path, finding.location.line) == ("KB501", "Port Evra.md", 5)
    assert finding.message == "generated `anticipate` section is stale: the page changed since it was written"
    assert finding.hint == "run `kbsleep anticipate` to regenerate it"


def test_editing_inside_the_fence_does_not_make_it_stale(make_repo) -> None:
    root, _ = fenced_repo(make_repo)
    page = root / "Port Evra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("- How many piers? Four.", "- How many piers? Four.\n- Since when? 1990."), encoding="utf-8")
    assert lint_wiki(root, "stale-generated").diagnostics == ()


def test_the_fresh_fixture_page_records_its_true_source_hash() -> None:
    from kbsleep.wiki.parse import parse_page

    path = LINT_FIXTURES / "stale-generated" / "wiki" / "Fresh.md"
    page = parse_page("Fresh.md", path.read_bytes())
    (fence,) = page.fences
    assert fence.attrs["source"] == source_hash(page)
