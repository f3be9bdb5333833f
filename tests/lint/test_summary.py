"""The end of the full format: one summary line by tier and rule, and advice on a rule that floods.

Machine formats (concise, json, json-lines, github, sarif, junit) stay exactly as they were: no
summary, no advice, whatever the findings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.lint.formats import FORMATS, NOISY, Settings, noisy, render, summary
from kbsleep.lint.records import Diagnostic, Location

ADVICE_ONE = (
    'Over 100 findings from one rule: orphan-page (101). If this wiki does not need it checked, '
    'set `ignore = ["orphan-page"]` under [lint] in kbsleep.toml.'
)


def finding(name: str, severity: str = "warning", n: int = 0) -> Diagnostic:
    return Diagnostic("KB000", name, severity, Location(f"p{n:04}.md", 1, 1), f"{name} here")  # type: ignore[arg-type]


def many(name: str, count: int, severity: str = "warning") -> list[Diagnostic]:
    return [finding(name, severity, n) for n in range(count)]


def test_the_summary_counts_each_tier_by_rule_most_first_then_by_name() -> None:
    found = [*many("broken-link", 9, "error"), *many("broken-anchor", 3, "error"), *many("orphan-page", 30), *many("empty-section", 3), *many("duplicate-page", 3)]
    assert summary(found) == (
        "Found 12 errors (broken-link 9, broken-anchor 3) and 36 warnings (orphan-page 30, duplicate-page 3, empty-section 3);"
        " `--statistics` prints the counts alone."
    )


def test_the_summary_names_only_the_tiers_that_have_findings_in_the_singular_for_one() -> None:
    assert summary([finding("orphan-page")]) == "Found 1 warning (orphan-page 1); `--statistics` prints the counts alone."
    assert summary([finding("broken-link", "error")]) == "Found 1 error (broken-link 1); `--statistics` prints the counts alone."
    three = [finding("broken-link", "error"), finding("orphan-page"), *many("stale-claim", 2, "judgement")]
    assert summary(three) == (
        "Found 1 error (broken-link 1), 1 warning (orphan-page 1) and 2 judgements (stale-claim 2); `--statistics` prints the counts alone."
    )


def test_no_findings_pass_unless_there_was_nothing_to_check() -> None:
    assert summary([]) == "All checks passed."
    assert summary([], pages=3) == "All checks passed."
    assert summary([], pages=0) == "No pages found: nothing was checked."


def test_a_rule_with_more_than_noisy_findings_gets_the_config_line_that_stops_it() -> None:
    assert NOISY == 100
    assert noisy(many("orphan-page", 100)) == ""
    assert noisy(many("orphan-page", 101)) == ADVICE_ONE


def test_the_advice_names_every_noisy_rule_once_and_keeps_the_ignore_list_there_is() -> None:
    found = [*many("orphan-page", 101), *many("frontmatter-invalid", 250, "error"), *many("empty-section", 5)]
    assert noisy(found, Settings("pyproject.toml", "[tool.kbsleep.lint]", ("KB205",))) == (
        "Over 100 findings from 2 rules: frontmatter-invalid (250), orphan-page (101). If this wiki does not need them"
        ' checked, set `ignore = ["KB205", "frontmatter-invalid", "orphan-page"]` under [tool.kbsleep.lint] in pyproject.toml.'
    )


def test_the_full_format_ends_with_the_summary_then_the_advice_once() -> None:
    lines = render(many("orphan-page", 101), (), "full", tool_version="x").splitlines()
    assert lines[-2:] == ["Found 101 warnings (orphan-page 101); `--statistics` prints the counts alone.", ADVICE_ONE]
    assert sum("Over 100 findings" in line for line in lines) == 1


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "full"])
def test_machine_formats_carry_no_summary_and_no_advice(fmt: str) -> None:
    found = many("orphan-page", 101)
    text = render(found, (), fmt, tool_version="x", pages=5000, settings=Settings("pyproject.toml", "[tool.kbsleep.lint]", ("KB1",)))
    assert text == render(found, (), fmt, tool_version="x")
    assert "Found " not in text and "Over 100" not in text and "statistics" not in text


def orphans(root: Path, count: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (root / f"Page {n:03}.md").write_text(f"# Page {n}\n\nText of page {n}.\n", encoding="utf-8")


def test_lint_advises_in_the_file_that_configures_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wiki = tmp_path / "wiki"
    orphans(wiki, 101)
    (wiki / "pyproject.toml").write_text('[tool.kbsleep.lint]\nignore = ["empty-page"]\n', encoding="utf-8")
    assert main(["--wiki", str(wiki), "lint", "--select", "orphan-page"]) == 0  # warnings do not fail
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Over 100 findings from one rule: orphan-page (101). If this wiki does not need it checked, "
        'set `ignore = ["empty-page", "orphan-page"]` under [tool.kbsleep.lint] in pyproject.toml.'
    )
    (wiki / "pyproject.toml").unlink()
    (wiki / ".kbsleep.toml").write_text("[lint]\n", encoding="utf-8")
    main(["--wiki", str(wiki), "lint", "--select", "orphan-page"])
    assert capsys.readouterr().out.splitlines()[-1].endswith('set `ignore = ["orphan-page"]` under [lint] in .kbsleep.toml.')


def test_an_empty_wiki_is_not_a_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a page\n", encoding="utf-8")
    assert main(["--wiki", str(tmp_path), "lint"]) == 0
    assert capsys.readouterr().out == f"No Markdown page found under {tmp_path}: nothing was checked.\n"
    assert main(["--wiki", str(tmp_path), "lint", "--output-format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "[]\n"
    assert captured.err == f"warning: no Markdown page found under {tmp_path}: nothing was checked\n"
