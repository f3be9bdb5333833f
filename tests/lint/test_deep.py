"""`lint --deep` without a key: candidate selection, the offline numeric judge, and import hygiene."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kbsleep.cli import main
from kbsleep.lint.candidates import PER_ENTITY, select_candidates
from kbsleep.wiki import open_wiki
from tests.lint.support import REPO

WIKI = {
    "index.md": "# Index\n\n- [[Port Evra]]\n- [[Ana Kask]]\n- [[Tern Bay]]\n- [[Bread]]\n- [[Soup]]\n",
    "places/Port Evra.md": (
        "# Port Evra\n\nPort Evra is a harbour town on the Evra coast.\n\n"
        "## History\n\nPort Evra was founded in 1712 by fishing families.\n"
    ),
    "people/Ana Kask.md": (
        "# Ana Kask\n\nAna Kask is a local historian.\n\n"
        "## Work\n\nShe wrote that [[Port Evra]] was founded in 1731, after the great storm.\n"
    ),
    "places/Tern Bay.md": "---\nfounded: 1800\n---\n# Tern Bay\n\nA small bay north of [[Port Evra]].\n",
    "people/Olev.md": "# Olev\n\nOlev says [[Tern Bay]] was founded in 1801.\n",
    "people/Mari.md": "# Mari\n\nMari says [[Tern Bay]] was founded in 1802.\n",
    "recipes/Bread.md": "# Bread\n\nFlour, water and salt; bake for 40 minutes. Serve with [[Soup]].\n",
    "recipes/Soup.md": "# Soup\n\nA winter soup, eaten with [[Bread]] since 1990.\n",
}


def lint(root: Path, *args: str) -> int:
    return main(["--wiki", str(root), "lint", *args])


# -- candidate selection ----------------------------------------------------------------------


def test_the_contradicting_pair_is_selected_first_and_unrelated_pages_are_not_paired_with_it(make_repo) -> None:
    wiki = open_wiki(make_repo(WIKI))
    found = select_candidates(wiki, 50, sources=False)
    top = found.chosen[0]
    assert {top.a.path, top.b.path} == {"people/Ana Kask.md", "places/Port Evra.md"}
    assert (top.a.start, top.b.start) == (5, 5)  # the two sections with the claims, not the pages
    assert {(c.path, c.line, c.value) for c in top.claims} == {("people/Ana Kask.md", 7, 1731.0), ("places/Port Evra.md", 7, 1712.0)}
    for candidate in found.chosen:
        pages = {candidate.a.path, candidate.b.path}
        assert not (pages & {"recipes/Bread.md", "recipes/Soup.md"}) or pages == {"recipes/Bread.md", "recipes/Soup.md"}
    assert "index.md" not in {c.a.path for c in found.chosen} | {c.b.path for c in found.chosen}


def test_the_cap_and_the_scope_limit_the_candidates(make_repo) -> None:
    wiki = open_wiki(make_repo(WIKI))
    assert len(select_candidates(wiki, 1).chosen) == 1
    scoped = select_candidates(wiki, 50, scope={"recipes/Soup.md"})
    assert scoped.chosen and all("recipes/Soup.md" in (c.a.path, c.b.path) for c in scoped.chosen)


def test_a_hub_entity_adds_a_bounded_number_of_pairs_however_many_pages_mention_it(make_repo) -> None:
    def hub_wiki(pages: int) -> dict[str, str]:
        files = {"Hub.md": "# Hub\n\nThe hub.\n"}
        files.update({f"n/Note {i}.md": f"# Note {i}\n\nAbout [[Hub]].\n" for i in range(pages)})
        return files

    small = select_candidates(open_wiki(make_repo(hub_wiki(10), name="small")), 10_000, sources=False)
    large = select_candidates(open_wiki(make_repo(hub_wiki(80), name="large")), 10_000, sources=False)
    bound = PER_ENTITY * (PER_ENTITY - 1) // 2
    assert small.considered == large.considered <= bound


def test_a_page_is_paired_with_the_sources_it_lists(make_repo) -> None:
    files = {
        "sources/Survey.md": "# Survey\n\nThe harbour is 12 m deep.\n",
        "places/Harbour.md": '---\nsources:\n  - "[[sources/Survey]]"\n---\n# Harbour\n\nThe harbour is 14 m deep.\n',
    }
    wiki = open_wiki(make_repo(files))
    found = select_candidates(wiki, 10, pairs=False)
    assert [(c.kind, c.a.path, c.b.path) for c in found.chosen] == [("sources", "places/Harbour.md", "sources/Survey.md")]


# -- the offline judge: numeric prose claims across pages ---------------------------------------


def test_offline_deep_reports_numeric_claims_that_differ_across_pages(make_repo, capsys) -> None:
    root = make_repo(WIKI)
    assert lint(root, "--deep", "--select", "contradiction", "--output-format", "json") == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 1
    finding = found[0]
    assert (finding["code"], finding["name"], finding["severity"]) == ("KB601", "contradiction", "judgement")
    assert (finding["filename"], finding["location"]["row"]) == ("people/Ana Kask.md", 7)
    assert finding["message"] == "contradicts places/Port Evra.md:7: Port Evra founded 1731 here, 1712 there"
    assert [(r["filename"], r["row"], r["message"]) for r in finding["related"]] == [
        ("places/Port Evra.md", 7, "Port Evra was founded in 1712 by fishing families.")
    ]


def test_offline_deep_leaves_prose_against_a_structured_fact_to_contradicting_claims(make_repo, capsys) -> None:
    root = make_repo(WIKI)
    lint(root, "--deep", "--select", "KB402", "--select", "KB601", "--output-format", "concise")
    out = capsys.readouterr().out
    assert "people/Olev.md:3:11: KB402" in out and "people/Mari.md:3:11: KB402" in out
    assert [line for line in out.splitlines() if "KB601" in line and "Tern Bay" in line] == []


def test_judgement_findings_fail_only_with_fail_on_judgement(make_repo, capsys) -> None:
    root = make_repo(WIKI)
    assert lint(root, "--deep", "--select", "contradiction") == 0
    assert lint(root, "--deep", "--select", "contradiction", "--fail-on", "judgement") == 1
    err = capsys.readouterr().err
    assert "deep: judged" in err and "with the offline engine (numeric claims only)" in err


def test_a_suppression_comment_hides_a_judgement_and_is_not_unknown_without_deep(make_repo, capsys) -> None:
    files = dict(WIKI)
    files["people/Ana Kask.md"] = files["people/Ana Kask.md"].replace("She wrote", "<!-- kbsleep-disable-next-line contradiction -->\nShe wrote")
    root = make_repo(files)
    lint(root, "--deep", "--output-format", "concise", "--select", "contradiction", "--select", "unused-suppression")
    lint(root, "--output-format", "concise")
    out = capsys.readouterr().out
    assert "KB601" not in out and "KB901" not in out


def test_model_options_without_deep_are_a_clear_error(make_repo, capsys) -> None:
    root = make_repo(WIKI)
    assert lint(root, "--engine", "offline") == 2
    assert lint(root, "--deep", "--wait") == 2
    err = capsys.readouterr().err
    assert "--engine works only with --deep" in err and "--wait works only with --batch" in err


def test_the_deep_max_candidates_key_is_read_from_the_config(make_repo, capsys) -> None:
    root = make_repo({**WIKI, "kbsleep.toml": "[deep]\nmax-candidates = 1\nmax-section-chars = 500\n"})
    lint(root, "--deep")
    assert "deep: judged 1 of 1 candidate (" in capsys.readouterr().err


# -- plain `kbsleep lint` stays light -----------------------------------------------------------


def _modules_after(code: str, cwd: Path) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, env=env, check=True)
    return set(done.stdout.split())


def test_plain_lint_imports_neither_the_model_layer_nor_the_deep_modules_nor_pydantic(make_repo) -> None:
    # pydantic alone costs 0.1 s of start-up, a fifth of a pre-commit run's budget (and is why
    # Typer is held below 0.29, which coerces every option through it).
    root = make_repo(WIKI)
    code = (
        "import sys\nfrom kbsleep.cli import main\nmain(['lint', '-o', 'out.txt'])\n"
        "print(' '.join(m for m in sys.modules if m.startswith(('anthropic', 'kbsleep', 'pydantic', 'mcp'))))"
    )
    loaded = _modules_after(code, root)
    assert "kbsleep.lint.command" in loaded  # it did lint
    assert not {"anthropic", "pydantic", "kbsleep.llm", "kbsleep.lint.deep", "kbsleep.lint.candidates"} & loaded
    assert not {"mcp", "kbsleep.commands.mcp", "kbsleep.toolbox"} & loaded  # `kbsleep mcp`'s alone


def test_a_negative_candidate_cap_is_a_clear_error(make_repo, capsys) -> None:
    root = make_repo({**WIKI, "kbsleep.toml": "[deep]\nmax-candidates = -1\n"})
    assert lint(root, "--deep") == 2
    assert "error: `deep.max-candidates` must be 0 or more" in capsys.readouterr().err
