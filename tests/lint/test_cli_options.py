"""`kbsleep lint` options end to end: exit codes, --fail-on, --exit-zero, --statistics, -o, GitHub."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kbsleep.cli import main

CLEAN = {"index.md": "# Index\n\n- [[A]]\n", "A.md": "# A\n\nBack to [[index]].\n"}
WARNINGS_ONLY = {**CLEAN, "Orphan.md": "# Orphan\n\nText.\n"}  # orphan-page, missing-from-index
ERRORS = {**WARNINGS_ONLY, "A.md": "# A\n\nSee [[Nowhere]] and [[Nowhere]] again.\n"}  # + 2 broken-link

CONCISE = [
    "A.md:3:5: KB101 broken link: `[[Nowhere]]` matches no page or attachment",
    "A.md:3:21: KB101 broken link: `[[Nowhere]]` matches no page or attachment",
    "Orphan.md:1:1: KB201 no page links to Orphan.md",
    "Orphan.md:1:1: KB203 Orphan.md cannot be reached from index.md",
]


def lint(root: Path, *args: str) -> int:
    return main(["--wiki", str(root), "lint", *args])


# -- exit codes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "args", "code"),
    [
        (CLEAN, [], 0),
        (WARNINGS_ONLY, [], 0),  # by default only errors fail
        (WARNINGS_ONLY, ["--fail-on", "error"], 0),
        (WARNINGS_ONLY, ["--fail-on", "warning"], 1),
        (WARNINGS_ONLY, ["--fail-on", "judgement"], 1),  # the lowest tier: anything fails
        (ERRORS, [], 1),
        (ERRORS, ["--fail-on", "warning"], 1),
        (ERRORS, ["--exit-zero"], 0),
        (ERRORS, ["--fail-on", "warning", "--exit-zero"], 0),
        (ERRORS, ["--select", "orphan-page"], 0),  # only what is reported counts
        (CLEAN, ["--fail-on", "sometimes"], 2),
        (CLEAN, ["--output-format", "yaml"], 2),
    ],
)
def test_exit_codes(make_repo, capsys: pytest.CaptureFixture[str], files: dict, args: list[str], code: int) -> None:
    assert lint(make_repo(files), *args) == code


def test_fail_on_from_config(make_repo) -> None:
    root = make_repo({**WARNINGS_ONLY, "kbsleep.toml": '[lint]\nfail-on = "warning"\n'})
    assert lint(root) == 1
    assert lint(root, "--fail-on", "error") == 0  # the command line wins


def test_bad_fail_on_is_one_clear_error_line(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    lint(make_repo(CLEAN), "--fail-on", "sometimes")
    err = capsys.readouterr().err
    assert err.startswith("error: --fail-on must be one of error, warning, judgement, not `sometimes`")


# -- output ---------------------------------------------------------------------------------------


def test_concise_output_is_path_line_column_code_message(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    lint(make_repo(ERRORS), "--output-format", "concise")
    out = capsys.readouterr().out
    assert out.splitlines() == CONCISE
    assert all(re.fullmatch(r"[^:]+:\d+:\d+: KB\d{3} \S.*", line) for line in out.splitlines())


def test_output_format_from_the_environment(make_repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KBSLEEP_OUTPUT_FORMAT", "concise")
    lint(make_repo(ERRORS))
    assert capsys.readouterr().out.splitlines() == CONCISE


def test_a_clean_wiki_says_so(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(make_repo(CLEAN)) == 0
    assert capsys.readouterr().out == "All checks passed.\n"


def test_statistics_counts_findings_per_rule(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(make_repo(ERRORS), "--statistics") == 1
    assert capsys.readouterr().out == "2  KB101  broken-link\n1  KB201  orphan-page\n1  KB203  missing-from-index\n"


def test_output_file_receives_the_report_instead_of_stdout(make_repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "reports" / "lint.txt"  # missing folders are created
    assert lint(make_repo(ERRORS), "--output-format", "concise", "-o", str(report)) == 1
    assert capsys.readouterr().out == ""
    assert report.read_text(encoding="utf-8").splitlines() == CONCISE


def test_github_annotations_and_the_step_summary(make_repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "step-summary.md"
    summary.write_text("Earlier step.\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert lint(make_repo(ERRORS), "--output-format", "github") == 1
    assert capsys.readouterr().out.splitlines() == [
        "::error file=A.md,line=3,col=5,title=KB101 broken-link::broken link: `[[Nowhere]]` matches no page or attachment",
        "::error file=A.md,line=3,col=21,title=KB101 broken-link::broken link: `[[Nowhere]]` matches no page or attachment",
        "::warning file=Orphan.md,line=1,col=1,title=KB201 orphan-page::no page links to Orphan.md%0Ahint: link it from a topic page or from index.md",
        "::warning file=Orphan.md,line=1,col=1,title=KB203 missing-from-index::Orphan.md cannot be reached from index.md%0Ahint: add [[Orphan]] to index.md",
    ]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("Earlier step.\n\n## kbsleep lint\n\nFound 4 problems (2 errors, 2 warnings).\n")  # appended
    rows = [line for line in text.splitlines() if line.startswith("| KB")]
    assert [row.split(" | ")[:3] for row in rows] == [["| KB101", "broken-link", "2"], ["| KB201", "orphan-page", "1"], ["| KB203", "missing-from-index", "1"]]
    assert text.endswith(
        "| Location | Code | Message |\n"
        "| --- | --- | --- |\n"
        "| A.md:3 | KB101 | broken link: `[[Nowhere]]` matches no page or attachment |\n"
        "| A.md:3 | KB101 | broken link: `[[Nowhere]]` matches no page or attachment |\n"
        "| Orphan.md:1 | KB201 | no page links to Orphan.md |\n"
        "| Orphan.md:1 | KB203 | Orphan.md cannot be reached from index.md |\n"
    )


def test_no_step_summary_without_github_format(make_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    lint(make_repo(ERRORS), "--output-format", "concise")
    assert not summary.exists()


# -- the git options outside git --------------------------------------------------------------------


@pytest.mark.parametrize("options", [["--staged"], ["--changed-since", "HEAD"]])
def test_a_git_option_outside_git_names_only_itself(tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]) -> None:
    for name, text in CLEAN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert lint(tmp_path, *options) == 2
    assert capsys.readouterr().err == (
        f"error: `{options[0]}` needs the wiki to be in a git repository\n"
        f"  hint: run `kbsleep lint` without `{options[0]}` to check every page, or `git init` the wiki and commit it\n"
    )


@pytest.mark.parametrize(("config", "said"), [
    ('[lint]\nselect = ["KB999"]\n', "`lint.select` names unknown rule `KB999`\n  hint: `kbsleep lint --list-rules`"),
    ('[lint]\nignore = ["orphan-pag"]\n', "`lint.ignore` names unknown rule `orphan-pag`\n  hint: did you mean `KB201` (orphan-page)? `kbsleep lint --list-rules`"),
    ('[lint.per-file-ignores]\n"a/*" = ["broken-links"]\n', "`lint.per-file-ignores` names unknown rule `broken-links`\n  hint: did you mean `KB101` (broken-link)? `kbsleep lint --list-rules`"),
])  # fmt: skip
def test_an_unknown_rule_in_the_config_names_its_key(tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, said: str) -> None:
    for name, text in {**CLEAN, "kbsleep.toml": config}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert lint(tmp_path) == 2
    assert said in capsys.readouterr().err
