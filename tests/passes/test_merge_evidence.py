"""Merges need proof: the same title or file name AND near-identical prose; every link form follows.

The look-alike wiki reproduces what offline `consolidate` merged on a real community vault: an
"Orion" theme snippet into the "Orion" plugin page (they share an alias), a category page into
one of its members (the member's name is the category's alias), an organisation into a person
(pages of one author template with the same title). None of them may merge.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kbsleep.lint import lint
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import ConsolidateReport, Options, consolidate, evidence
from kbsleep.wiki import open_wiki
from kbsleep.wiki import prose as prose_module
from kbsleep.wiki.parse import parse_page
from tests.conftest import git

TODAY = datetime.date(2026, 3, 20)
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa".split()
OTHER = "quebec romeo sierra".split()


def run(root: Path, *only: str) -> ConsolidateReport:
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=only, today=TODAY))


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not {".git", ".kbsleep"} & set(p.parts)}


def page(path: str, text: str):  # type: ignore[no-untyped-def]
    return parse_page(path, text.encode("utf-8"))


def paragraphs(words: list[str]) -> str:
    """One two-word paragraph a word: a page of many short paragraphs, read as one run of words."""
    return "\n\n".join(f"{w.capitalize()} beacon." for w in words) + "\n"


# -- the evidence --------------------------------------------------------------------------------


def prose(words: list[str]) -> str:
    """One paragraph of these words: n words are n - 2 shingles."""
    return " ".join(words).capitalize() + ".\n"


def test_the_threshold_is_four_fifths_of_the_shorter_pages_prose() -> None:
    assert evidence.SAME_PROSE == 0.8 and prose_module.SHINGLE == 3 and evidence.MIN_SHINGLES == 10
    # a: 12 words, 10 shingles. The others keep its first 10 or 9 words: 8 or 7 of its shingles.
    a = page("a/Beacon.md", "# Beacon\n\n" + prose(WORDS[:12]))
    eight_of_ten = page("b/Beacon.md", "# Beacon\n\n" + prose(WORDS[:10] + OTHER[:2]))
    seven_of_ten = page("c/Beacon.md", "# Beacon\n\n" + prose(WORDS[:9] + OTHER[:3]))

    assert evidence.overlap(a, eight_of_ten) == 0.8
    assert evidence.evidence(a, eight_of_ten) == evidence.Evidence("file name", "Beacon", 0.8)
    assert evidence.overlap(a, seven_of_ten) == pytest.approx(0.7)
    assert evidence.evidence(a, seven_of_ten) is None


def test_containment_counts_a_stub_the_fuller_page_holds_whole() -> None:
    stub = page("a/Beacon.md", "# Beacon\n\n" + prose(WORDS[:12]))
    full = page("b/Beacon.md", "# Beacon\n\n" + prose(WORDS))  # 14 shingles: Jaccard 10/14

    assert evidence.overlap(stub, full) == 1.0 and evidence.evidence(stub, full) is not None


def test_too_little_prose_proves_nothing_even_when_identical() -> None:
    a = page("a/Beacon.md", "# Beacon\n\n" + prose(WORDS[:11]))  # 9 shingles
    b = page("b/Beacon.md", "# Beacon\n\n" + prose(WORDS[:11]))

    assert evidence.overlap(a, b) is None and evidence.evidence(a, b) is None


def test_an_alias_is_no_name_even_with_identical_prose() -> None:
    body = paragraphs(WORDS)
    plugin = page("plugins/Orion.md", "# Orion\n\n" + body)
    snippet = page("snippets/Orion theme.md", "---\naliases:\n  - Orion\n---\n# Orion theme\n\n" + body)

    assert evidence.overlap(plugin, snippet) == 1.0
    assert evidence.evidence(plugin, snippet) is None


def test_a_title_counts_as_a_name_like_the_file_name() -> None:
    body = paragraphs(WORDS)
    notes = page("notes/tidal-notes.md", "---\ntitle: Tidal mixing\n---\n" + body)
    concept = page("concepts/Tidal Mixing.md", "# Tidal Mixing\n\n" + body)

    assert evidence.evidence(notes, concept) == evidence.Evidence("title", "Tidal mixing", 1.0)


def test_pages_that_identify_themselves_differently_are_two_things(make_repo) -> None:  # type: ignore[no-untyped-def]
    body = "# Stenography\n\n" + paragraphs(WORDS)
    old = page("Plugins/obsidian-stenography-plugin.md", "---\nplugin-id: obsidian-stenography-plugin\n---\n" + body)
    new = page("Plugins/stenography-obsidian.md", "---\nplugin-id: stenography-obsidian\n---\n" + body)
    same = page("Drafts/stenography-obsidian.md", "---\nplugin-id: stenography-obsidian\n---\n" + body)
    assert evidence.overlap(old, new) == 1.0 and evidence.evidence(old, new) is None
    assert evidence.evidence(new, same) == evidence.Evidence("title", "Stenography", 1.0)
    assert evidence.different_ids(page("a/X.md", "---\nisbn: 978-0\n---\n# X\n"), page("b/X.md", "# X\n\nISBN:: 978-1\n")) == "isbn"
    assert evidence.different_ids(page("a/X.md", "---\ntags: [a]\n---\n# X\n"), page("b/X.md", "---\ntags: [b]\n---\n# X\n")) is None

    root = make_repo({"Plugins/obsidian-stenography-plugin.md": "---\nplugin-id: obsidian-stenography-plugin\n---\n" + body,
                      "Plugins/stenography-obsidian.md": "---\nplugin-id: stenography-obsidian\n---\n" + body})  # fmt: skip
    found = evidence.candidates(open_wiki(root))
    assert found.groups == ()
    assert found.look_at == ((("Plugins/obsidian-stenography-plugin.md", "Plugins/stenography-obsidian.md"),
                              "same title `Stenography`, but a different `plugin-id` (obsidian-stenography-plugin, stenography-obsidian): two things, not merged"),)  # fmt: skip


def test_the_shingles_are_the_shared_measure_of_prose() -> None:
    text = "---\nsummary: one two three four\n---\n# Heading words here\n\nBody text of the page.\n\n<!-- kbsleep:answers v=1 -->\nGenerated answer text here.\n<!-- /kbsleep:answers -->\n"
    assert evidence.shingles(page("a.md", text)) == {hash(("body", "text", "of")), hash(("text", "of", "the")), hash(("of", "the", "page"))}


# -- the look-alikes of a real vault: none merges ------------------------------------------------------


@pytest.fixture
def lookalikes(make_repo):  # type: ignore[no-untyped-def]
    return make_repo(fixture="merges/lookalikes")


def test_a_placeholder_title_is_no_name_and_too_little_prose_is_said_so(make_repo) -> None:
    body = prose(WORDS)
    root = make_repo({
        "a/T - Person.md": '---\ntitle: "{{title}}"\n---\n# {{title}}\n\n' + body,
        "b/T - Plugin.md": '---\ntitle: "{{title}}"\n---\n# {{title}}\n\n' + body,
        "a/Beacon.md": "# Beacon\n\nAlpha bravo charlie delta.\n",
        "b/Beacon.md": "# Beacon\n\nAlpha bravo charlie delta.\n",
    })
    found = evidence.candidates(open_wiki(root))

    assert found.groups == ()
    assert found.look_at == (
        (("a/Beacon.md", "b/Beacon.md"), "same file name `Beacon`, but too little prose to compare (a merge needs 10 three-word runs on each page, besides text many pages share): not merged"),
    )


def test_look_alike_pages_are_reported_and_never_merged(lookalikes: Path) -> None:
    """Shared aliases are listed; namesakes that share almost none of their prose (a person and a
    community page of one title, a plugin and a theme both `Orion`) are not worth a look."""
    before = tree(lookalikes)
    report = run(lookalikes, "duplicates")

    assert tree(lookalikes) == before and report.commits == ()
    assert [(left.path, left.reason) for left in report.left] == [
        ("categories/Mindmapping plugins.md", "look at it with plugins/Mindmap.md: `Mindmap` is an alias of one and a name or alias of the other: no evidence that they are one thing, not merged"),
        ("plugins/Orion.md", "look at it with snippets/Orion theme.md, themes/Orion.md: `Orion` is an alias of one and a name or alias of the other: no evidence that they are one thing, not merged"),
    ]


def test_the_template_text_two_people_pages_share_is_no_evidence(lookalikes: Path) -> None:
    wiki = open_wiki(lookalikes)
    person, organisation = wiki.pages["people/valentine.md"], wiki.pages["people/ttrpg-community.md"]

    assert evidence.overlap(person, organisation) >= evidence.SAME_PROSE  # the author template's sentences alone
    boilerplate = evidence.common(wiki.pages.values())
    assert evidence.overlap(person, organisation, boilerplate) == 0.0
    assert evidence.candidates(wiki).groups == ()


def test_the_whole_offline_run_merges_none_of_them(lookalikes: Path) -> None:
    report = run(lookalikes)

    assert all(s.outcome.task != "duplicates" for s in report.steps if s.commit)
    for path in ("plugins/Orion.md", "themes/Orion.md", "snippets/Orion theme.md", "categories/Mindmapping plugins.md", "plugins/Mindmap.md", "people/valentine.md", "people/ttrpg-community.md"):
        assert (lookalikes / path).exists(), path


# -- twins: merged, and every link form follows ------------------------------------------------------


@pytest.fixture
def twins(make_repo):  # type: ignore[no-untyped-def]
    return make_repo(fixture="merges/twins")


def test_twins_merge_into_the_most_linked_page(twins: Path) -> None:
    report = run(twins, "duplicates")

    assert len(report.commits) == 1 and not (twins / "old notes/Orion.md").exists()
    [done] = report.steps[0].outcome.done
    assert done == "merged `old notes/Orion.md` into [[Orion]] (same file name `Orion`, 100% of the shorter page's prose in the other)"
    merged = (twins / "community plugins/Orion.md").read_text(encoding="utf-8")
    assert merged.count("Orion is a community plugin") == 1
    assert "aliases:\n  - Orion plugin\n" in merged and "tags:\n  - plugin\n  - notes\n" in merged
    assert merged.endswith("## History\n\nFirst released in 2024. ^first-release\n")  # the heading and block the links need


def test_every_inbound_link_form_is_rewritten(twins: Path) -> None:
    run(twins, "duplicates")

    assert (twins / "guides/Using Orion.md").read_text(encoding="utf-8") == (
        "# Using Orion\n\n"
        "Start with [[community plugins/Orion|Orion]] and read [[Orion|the old notes]].\n"
        "The notes as a file: [[Orion]]; its history: [[Orion#History]].\n"
        "When it came out: [[Orion#^first-release|first release]].\n"
        "By its alias: [[Orion|Orion plugin]].\n\n"
        "![[Orion]]\n\n"
        "See also [the install notes](../community%20plugins/Orion.md#install) and [settings](<../community plugins/Orion.md#settings>).\n\n"
        "| Page | Link |\n| --- | --- |\n| Notes | [[Orion\\|Orion notes]] |\n"
    )
    errors = [d for d in lint(open_wiki(twins)).diagnostics if d.severity == "error"]
    assert errors == []


def test_a_merge_whose_anchor_the_kept_page_lacks_is_reported_not_made(twins: Path) -> None:
    # `#^first-release` names different text on each page: a link to one would open the other.
    survivor = twins / "community plugins/Orion.md"
    survivor.write_text(survivor.read_text(encoding="utf-8") + "\nReleased as a beta. ^first-release\n", encoding="utf-8")
    git(twins, "commit", "-qam", "a block id on both pages")
    before = tree(twins)
    report = run(twins, "duplicates")

    assert tree(twins) == before and report.commits == ()
    [left] = report.left
    assert left.reason == "merge of old notes/Orion.md rejected: both pages use the block id `^first-release` for different text"


def test_a_merge_that_would_break_a_link_is_dropped_by_the_lint_gate(twins: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kbsleep.passes.consolidate import duplicates

    monkeypatch.setattr(duplicates, "relink", lambda *args: None)  # as if a link form could not be rewritten
    before = tree(twins)
    report = run(twins, "duplicates")

    assert tree(twins) == before and report.commits == ()
    [left] = report.left
    # Eight links would break; `[[Orion plugin]]` was an alias link before and stays one (of the survivor).
    assert left.reason.startswith("merge of old notes/Orion.md rejected: it would add 8 error-tier lint findings: guides/Using Orion.md:3 broken-link: broken link: `[[old notes/Orion|the old notes]]`")
    assert left.reason.endswith("(and 5 more)")


def test_a_page_linking_to_two_merged_groups_gets_both_rewrites(make_repo) -> None:  # type: ignore[no-untyped-def]
    body = paragraphs(WORDS)
    repo = make_repo({
        "a/Alpha.md": "# Alpha\n\n" + body, "b/Alpha.md": "# Alpha\n\n" + body,
        "a/Beta.md": "# Beta\n\n" + body.replace("beacon", "lantern"), "b/Beta.md": "# Beta\n\n" + body.replace("beacon", "lantern"),
        "Hub.md": "# Hub\n\n[[a/Alpha]] [[b/Alpha]] [[a/Beta]] [[b/Beta]] [[a/Alpha]] [[a/Beta]]\n",
    })  # fmt: skip
    report = run(repo, "duplicates")

    assert len(report.steps[0].outcome.done) == 2
    assert (repo / "Hub.md").read_text(encoding="utf-8") == "# Hub\n\n[[a/Alpha]] [[Alpha]] [[a/Beta]] [[Beta]] [[a/Alpha]] [[a/Beta]]\n"  # links to the survivors stay as written
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*.md")) == ["Hub.md", "a/Alpha.md", "a/Beta.md"]
