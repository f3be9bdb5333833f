"""A link by an alias that several pages claim: alias-link names every page and guesses none."""

from __future__ import annotations

from kbsleep.cli import main
from kbsleep.lint import Selection, lint
from kbsleep.wiki import open_wiki

PAGES = {
    "plugins/Orion Sync.md": "---\naliases: [Orion]\n---\n# Orion Sync\n\nCopies the vault to a WebDAV server.\n",
    "themes/Orion snippet.md": "---\naliases: [Orion]\n---\n# Orion snippet\n\nA navy CSS snippet.\n",
    "Home.md": "# Home\n\nSee [[Orion]] and [[Orion Sync|the plugin]].\n",
}


def test_a_link_by_a_shared_alias_offers_every_page_and_no_fix(make_repo) -> None:
    report = lint(open_wiki(make_repo(PAGES)), Selection(select=("alias-link", "ambiguous-alias")))
    link, alias = report.diagnostics
    assert (link.path, link.location.line, link.location.column, link.name) == ("Home.md", 3, 5, "alias-link")
    assert link.message == "`[[Orion]]` is the alias of plugins/Orion Sync.md, not a file name: Obsidian will not open it"
    assert link.hint == "write `[[Orion Sync|Orion]]` or `[[Orion snippet|Orion]]`"
    assert link.fix == ()
    assert alias.message == "alias `Orion` is also the alias of plugins/Orion Sync.md: `[[Orion]]` cannot tell them apart"
    assert (alias.path, alias.location.line, alias.related[0].path, alias.related[0].line) == ("themes/Orion snippet.md", 2, "plugins/Orion Sync.md", 2)


def test_fix_leaves_a_link_by_a_shared_alias_as_it_is(make_repo) -> None:
    root = make_repo(PAGES)
    main(["--wiki", str(root), "lint", "--fix", "--select", "alias-link"])
    assert (root / "Home.md").read_text(encoding="utf-8") == PAGES["Home.md"]


def test_it_runs_in_the_process_of_duplicate_page_whose_name_groups_it_reuses() -> None:
    from kbsleep.lint import parallel
    from kbsleep.lint.registry import RULES

    for share in parallel.split(list(RULES.values())):
        names = {r.name for r in share}
        assert ("ambiguous-alias" in names) == ("duplicate-page" in names)


def test_an_alias_a_template_shares_is_not_ambiguous(make_repo) -> None:
    files = {
        "kbsleep.toml": '[lint]\ntemplates = ["Templates/**"]\n',
        "Templates/Plugin.md": "---\naliases: [Orion]\n---\n# Plugin template\n\nPlugin ID:\n",
        "plugins/Orion Sync.md": PAGES["plugins/Orion Sync.md"],
        "Home.md": PAGES["Home.md"],
    }  # fmt: skip
    report = lint(open_wiki(make_repo(files)), Selection(select=("alias-link", "ambiguous-alias")))
    [link] = report.diagnostics  # no ambiguous-alias: the name means the page with content
    assert link.hint == "write `[[Orion Sync|Orion]]`" and link.fix == ((3, 5, "[[Orion]]", "[[Orion Sync|Orion]]"),)
