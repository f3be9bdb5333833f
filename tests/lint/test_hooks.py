"""Commit-time lint: the pre-commit framework hook and `kbsleep hook install`, with real git commits."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kbsleep.cli import main
from tests.conftest import git
from tests.lint.support import REPO

WIKI = {"index.md": "# Index\n\n- [[A]]\n", "A.md": "# A\n\nBack to [[index]].\n"}
BROKEN = "# Broken\n\nSee [[Nowhere]].\n"
BROKEN_FINDING = "Broken.md:3:5: KB101 broken link: `[[Nowhere]]` matches no page or attachment"


def commit(root: Path, message: str) -> subprocess.CompletedProcess[str]:
    """`git commit`, hooks and all; the output of both streams in `stdout`."""
    return subprocess.run(["git", "commit", "-m", message], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


# -- .pre-commit-hooks.yaml -----------------------------------------------------------------------


def test_the_pre_commit_manifest_declares_the_kbsleep_lint_hook() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "kbsleep-lint"
    assert hook["name"]
    assert hook["entry"] == "kbsleep lint --staged --output-format concise"  # as `kbsleep hook install`'s hook
    assert hook["language"] == "python"
    assert hook["types"] == ["markdown"]
    assert hook["require_serial"] is True
    assert hook["pass_filenames"] is True  # `kbsleep lint PATH...` reports on those pages too
    assert hook["always_run"] is True  # see tests/lint/test_pre_commit_framework.py


def test_the_pre_commit_manifest_passes_pre_commits_own_validation() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "kbsleep-lint"


@pytest.fixture
def pre_commit_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    monkeypatch.delenv("SKIP", raising=False)


def pre_commit(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=root, capture_output=True, text=True)


@pytest.mark.skipif(not os.environ.get("KBSLEEP_NETWORK_TESTS"), reason="installs kbsleep and its dependencies from the package index; set KBSLEEP_NETWORK_TESTS=1")
def test_pre_commit_try_repo_installs_and_runs_the_published_hook(make_repo, tmp_path: Path, pre_commit_env: None) -> None:
    # try-repo clones committed state, so commit this checkout's package and manifest to a copy.
    package = make_repo(commit=False, name="kbsleep-src")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, package / name)
    shutil.copytree(REPO / "kbsleep", package / "kbsleep", ignore=shutil.ignore_patterns("__pycache__"))
    git(package, "add", "-A")
    git(package, "commit", "-q", "-m", "package")
    root = make_repo({**WIKI, "Broken.md": BROKEN})
    done = pre_commit(root, "try-repo", str(package), "kbsleep-lint", "--files", "Broken.md", "A.md")
    if "An unexpected error has occurred" in done.stdout + done.stderr:  # the environment install failed
        log = tmp_path / "pre-commit-home" / "pre-commit.log"
        details = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        offline = ("Failed to establish a new connection", "No matching distribution", "Could not find a version", "Temporary failure in name resolution", "Network is unreachable")
        if any(reason in details for reason in offline):
            pytest.skip("no network to install kbsleep's dependencies from the package index")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Broken.md:3:5: KB101" in done.stdout


# -- kbsleep hook install ------------------------------------------------------------------------


def test_hook_install_writes_an_executable_pre_commit_hook(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(WIKI)
    assert main(["--wiki", str(root), "hook", "install"]) == 0
    path = root / ".git" / "hooks" / "pre-commit"
    assert capsys.readouterr().out == f"installed {path}\n"
    assert path.stat().st_mode & stat.S_IXUSR
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh\n# installed by kbsleep\n")
    assert "lint --staged" in text


def test_the_installed_hook_blocks_a_commit_with_a_broken_link(make_repo) -> None:
    root = make_repo(WIKI)
    assert main(["--wiki", str(root), "hook", "install"]) == 0
    (root / "index.md").write_text("# Index\n\n- [[A]]\n- [[B]]\n", encoding="utf-8")
    (root / "B.md").write_text("# B\n\nBack to [[A]].\n", encoding="utf-8")
    git(root, "add", "-A")
    clean = commit(root, "add B")
    assert clean.returncode == 0, clean.stdout
    before = head(root)

    (root / "Broken.md").write_text(BROKEN, encoding="utf-8")
    git(root, "add", "Broken.md")
    blocked = commit(root, "add a broken page")
    assert blocked.returncode == 1
    assert BROKEN_FINDING in blocked.stdout.splitlines()
    assert head(root) == before


def test_the_installed_hook_lints_a_wiki_in_a_subfolder(make_repo) -> None:
    root = make_repo({"README.md": "# Repo\n\n[[Not a wiki page]]\n", **{f"wiki/{k}": v for k, v in WIKI.items()}})
    assert main(["--wiki", str(root / "wiki"), "hook", "install"]) == 0
    (root / "wiki" / "Broken.md").write_text(BROKEN, encoding="utf-8")
    git(root, "add", "-A")
    blocked = commit(root, "add a broken page")
    assert blocked.returncode == 1
    assert BROKEN_FINDING in blocked.stdout.splitlines()


def test_hook_install_refuses_to_replace_a_hook_it_did_not_write(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(WIKI)
    path = root / ".git" / "hooks" / "pre-commit"
    path.parent.mkdir(parents=True, exist_ok=True)
    theirs = "#!/bin/sh\necho someone else's hook\n"
    path.write_text(theirs, encoding="utf-8")
    assert main(["--wiki", str(root), "hook", "install"]) == 2
    err = capsys.readouterr().err
    assert f"{path} exists and was not written by kbsleep" in err
    assert "--force" in err
    assert path.read_text(encoding="utf-8") == theirs

    assert main(["--wiki", str(root), "hook", "install", "--force"]) == 0
    assert "# installed by kbsleep" in path.read_text(encoding="utf-8")


def test_hook_install_may_replace_its_own_hook(make_repo) -> None:
    root = make_repo(WIKI)
    assert main(["--wiki", str(root), "hook", "install"]) == 0
    first = (root / ".git" / "hooks" / "pre-commit").read_text(encoding="utf-8")
    assert main(["--wiki", str(root), "hook", "install"]) == 0
    assert (root / ".git" / "hooks" / "pre-commit").read_text(encoding="utf-8") == first


def test_hook_install_outside_git_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(tmp_path), "hook", "install"]) == 2
    err = capsys.readouterr().err
    assert f"error: {tmp_path} is not in a git work tree\n" in err and "hint: kbsleep commits what it writes: run `git init` there" in err
