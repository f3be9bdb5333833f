"""The command line: version, help, exit codes, errors as one line, crashes as a log file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep import __version__
from kbsleep.cli import main

CLEAN = {"index.md": "# Index\n\n- [[A]]\n", "A.md": "# A\n\nBack to [[index]].\n"}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kbsleep", *args], capture_output=True, text=True, cwd=cwd)


def test_version() -> None:
    done = run("--version")
    assert (done.returncode, done.stdout) == (0, f"kbsleep {__version__}\n")


def test_help_lists_the_commands_and_does_not_import_the_sdk() -> None:
    code = "import sys\nfrom kbsleep.cli import main\ntry:\n    main(['--help'])\nfinally:\n    print('SDK' if {'anthropic', 'mcp'} & set(sys.modules) else 'no SDK')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "lint" in done.stdout and "rule" in done.stdout
    assert done.stdout.rstrip().endswith("no SDK")


def test_lint_does_not_import_the_sdk(make_repo) -> None:
    root = make_repo(CLEAN)
    code = f"import sys\nfrom kbsleep.cli import main\nmain(['--wiki', {str(root)!r}, 'lint'])\nprint('SDK' if {{'anthropic', 'mcp'}} & set(sys.modules) else 'no SDK')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.rstrip().endswith("no SDK")


def test_exit_codes_clean_findings_and_errors(make_repo, tmp_path: Path) -> None:
    clean = make_repo(CLEAN)
    assert main(["--wiki", str(clean), "lint"]) == 0
    broken = make_repo({**CLEAN, "A.md": "# A\n\n[[index]] and [[Nowhere]]\n"}, name="broken")
    assert main(["--wiki", str(broken), "lint"]) == 1
    assert main(["--wiki", str(broken), "lint", "--exit-zero"]) == 0
    assert main(["--wiki", str(tmp_path / "missing"), "lint"]) == 2
    assert main(["--wiki", str(clean), "lint", "--output-format", "yaml"]) == 2
    assert main(["lint", "--no-such-option"]) == 2


def test_errors_are_one_clear_line_not_a_traceback(make_repo) -> None:
    root = make_repo({**CLEAN, "kbsleep.toml": "[lint]\nfail-on = 'sometimes'\n"})
    done = run("--wiki", str(root), "lint")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "`lint.fail-on` must be one of" in done.stderr


def test_an_unexpected_exception_prints_one_line_and_writes_a_crash_log(make_repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import kbsleep.lint.command

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(kbsleep.lint.command, "run", explode)  # a stand-in for a real bug
    assert main(["--wiki", str(make_repo(CLEAN)), "lint"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kbsleep crashed (RuntimeError: a bug); details in ")
    log = Path(err.rsplit(" ", 1)[-1])
    assert "Traceback" in log.read_text() and "a bug" in log.read_text()


def test_ctrl_c_exits_130_and_says_so(make_repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import kbsleep.lint.command

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kbsleep.lint.command, "run", interrupted)  # as if Ctrl-C arrived mid-run
    assert main(["--wiki", str(make_repo(CLEAN)), "lint"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == "interrupted"  # never a silent exit


def test_rule_explains_a_rule_by_code_or_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "KB103"]) == 0
    text = capsys.readouterr().out
    for part in ("alias-link (KB103)", "What it does", "Why it matters", "Example", "Fix", "[[Kestrel Rover|Kestrel]]"):
        assert part in text
    assert main(["rule", "alias-link"]) == 0
    assert main(["rule", "KB999"]) == 2


def test_list_rules_shows_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from kbsleep.lint.registry import RULES

    assert main(["lint", "--list-rules"]) == 0
    out = capsys.readouterr().out
    assert all(rule.code in out and rule.name in out for rule in RULES.values())


def test_no_color_when_not_a_terminal(make_repo) -> None:
    broken = make_repo({**CLEAN, "A.md": "# A\n\n[[index]] and [[Nowhere]]\n"})
    done = run("--wiki", str(broken), "lint")
    assert "\x1b[" not in done.stdout
    assert "A.md:3:15: KB101 [broken-link] error: broken link: `[[Nowhere]]` matches no page or attachment" in done.stdout


def test_lint_accepts_wiki_after_the_command_as_pre_commit_args_pass_it(make_repo) -> None:
    root = make_repo({**CLEAN, "A.md": "# A\n\n[[index]] and [[Nowhere]]\n"})
    assert main(["lint", "--wiki", str(root)]) == 1


def test_an_unknown_rule_in_select_is_an_error_not_a_silent_pass(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(CLEAN)
    assert main(["--wiki", str(root), "lint", "--select", "brokn-link"]) == 2
    assert "unknown rule `brokn-link`" in capsys.readouterr().err


def test_github_and_sarif_name_files_from_the_repository_top_when_the_wiki_is_a_subfolder(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    root = make_repo({"wiki/index.md": "# Index\n\n[[Nowhere]]\n"})
    assert main(["--wiki", str(root / "wiki"), "lint", "--output-format", "github"]) == 1
    assert capsys.readouterr().out.startswith("::error file=wiki/index.md,line=3,col=1,")
    main(["--wiki", str(root / "wiki"), "lint", "--output-format", "sarif"])
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "wiki/index.md"
    main(["--wiki", str(root / "wiki"), "lint", "--output-format", "concise"])
    assert capsys.readouterr().out.startswith("index.md:3:1: KB101")
