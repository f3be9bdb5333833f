"""The pre-commit framework route catches what `kbsleep hook install` catches, with the real tool.

Each test runs the hook exactly as `.pre-commit-hooks.yaml` declares it (entry, types,
`always_run`, `pass_filenames`, `require_serial`), through the real `pre-commit` and real `git
commit` in a temporary repository. Only `language` is changed to `system`, so that pre-commit
runs this checkout's `kbsleep` (first on PATH) instead of installing a copy from a package index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import git
from tests.lint.support import REPO

WIKI = {
    "index.md": "# Index\n\n- [[A]]\n- [[B]]\n",
    "A.md": "# A\n\nSee [[B]].\n",
    "B.md": "# B\n\nBack to [[A]].\n",
}
A_BREAKS = "A.md:3:5: KB101 broken link: `[[B]]` matches no page or attachment"
INDEX_BREAKS = "index.md:4:3: KB101 broken link: `[[B]]` matches no page or attachment"


def manifest_hook() -> dict:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return hook


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The environment of `git commit`: pre-commit's cache in the test's folder, and a `kbsleep`
    on PATH that runs this checkout with this interpreter."""
    shim = tmp_path / "bin"
    shim.mkdir()
    script = shim / "kbsleep"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kbsleep "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    environ = {key: value for key, value in os.environ.items() if key != "SKIP"}
    environ["PATH"] = f"{shim}{os.pathsep}{environ.get('PATH', '')}"
    environ["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    return environ


def with_hook(make_repo, files: dict[str, str], env: dict[str, str], args: list[str] | None = None) -> Path:
    """A repository holding `files`, committed, with the manifest's hook installed by pre-commit."""
    hook = {**manifest_hook(), "language": "system"}
    if args:
        hook["args"] = args
    config = yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]})
    root = make_repo({**files, ".pre-commit-config.yaml": config})
    done = run(root, env, sys.executable, "-m", "pre_commit", "install")
    assert done.returncode == 0, done.stdout
    return root


def run(root: Path, env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)


def commit(root: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return run(root, env, "git", "commit", "-m", message)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_the_manifest_runs_kbsleep_on_staged_changes_for_every_commit() -> None:
    hook = manifest_hook()
    assert hook["entry"] == "kbsleep lint --staged --output-format concise"
    assert hook["always_run"] is True  # a commit that only deletes pages passes pre-commit no file
    assert hook["pass_filenames"] is True  # and `--all-files` passes every page
    assert hook["types"] == ["markdown"] and hook["require_serial"] is True and hook["language"] == "python"


def test_a_staged_delete_that_breaks_links_fails_the_commit(make_repo, env: dict[str, str]) -> None:
    root = with_hook(make_repo, WIKI, env)
    before = head(root)
    git(root, "rm", "-q", "B.md")
    blocked = commit(root, env, "remove B")
    assert blocked.returncode == 1, blocked.stdout
    lines = blocked.stdout.splitlines()
    assert A_BREAKS in lines and INDEX_BREAKS in lines
    assert "kbsleep lint" in blocked.stdout and "Failed" in blocked.stdout
    assert head(root) == before


def test_a_staged_rename_that_breaks_links_fails_the_commit(make_repo, env: dict[str, str]) -> None:
    root = with_hook(make_repo, WIKI, env)
    before = head(root)
    git(root, "mv", "B.md", "B (old).md")
    blocked = commit(root, env, "rename B")
    assert blocked.returncode == 1, blocked.stdout
    # `[[B]]` now names the renamed page only by its H1 title, which Obsidian does not open.
    assert "A.md:3:5: KB103 `[[B]]` is the title of B (old).md, not a file name: Obsidian will not open it" in blocked.stdout.splitlines()
    assert head(root) == before


def test_a_clean_edit_passes_and_old_problems_elsewhere_do_not_block_it(make_repo, env: dict[str, str]) -> None:
    root = with_hook(make_repo, {**WIKI, "Old.md": "# Old\n\n[[Nowhere]] and [[A]]\n"}, env)
    (root / "A.md").write_text("# A\n\nSee [[B]], which says more.\n", encoding="utf-8")
    git(root, "add", "A.md")
    clean = commit(root, env, "edit A")
    assert clean.returncode == 0, clean.stdout
    assert "kbsleep lint" in clean.stdout and "Passed" in clean.stdout


def test_a_new_page_with_a_broken_link_fails_the_commit(make_repo, env: dict[str, str]) -> None:
    root = with_hook(make_repo, WIKI, env)
    (root / "C.md").write_text("# C\n\nSee [[Nowhere]] and [[A]].\n", encoding="utf-8")
    (root / "index.md").write_text("# Index\n\n- [[A]]\n- [[B]]\n- [[C]]\n", encoding="utf-8")
    git(root, "add", "C.md", "index.md")
    blocked = commit(root, env, "add C")
    assert blocked.returncode == 1, blocked.stdout
    assert "C.md:3:5: KB101 broken link: `[[Nowhere]]` matches no page or attachment" in blocked.stdout.splitlines()


def test_a_commit_with_no_markdown_still_runs_the_hook_and_passes(make_repo, env: dict[str, str]) -> None:
    root = with_hook(make_repo, WIKI, env)
    (root / "notes.txt").write_text("not a page\n", encoding="utf-8")
    git(root, "add", "notes.txt")
    done = commit(root, env, "add a text file")
    assert done.returncode == 0, done.stdout
    assert "kbsleep lint" in done.stdout and "Passed" in done.stdout  # run, not "(no files to check)Skipped"


def test_a_wiki_in_a_subfolder_with_its_args(make_repo, env: dict[str, str]) -> None:
    files = {"README.md": "# Repo\n\n[[Not a wiki page]]\n", **{f"wiki/{k}": v for k, v in WIKI.items()}}
    root = with_hook(make_repo, files, env, args=["--wiki", "wiki"])
    (root / "README.md").write_text("# Repo\n\n[[Still not a wiki page]]\n", encoding="utf-8")
    git(root, "add", "README.md")
    outside = commit(root, env, "edit the README")
    assert outside.returncode == 0, outside.stdout  # not a page of the wiki
    before = head(root)
    git(root, "rm", "-q", "wiki/B.md")
    blocked = commit(root, env, "remove B")
    assert blocked.returncode == 1, blocked.stdout
    assert A_BREAKS in blocked.stdout.splitlines() and INDEX_BREAKS in blocked.stdout.splitlines()
    assert head(root) == before


def test_run_all_files_checks_every_page(make_repo, env: dict[str, str]) -> None:
    root = with_hook(make_repo, WIKI, env)
    (root / "C.md").write_text("# C\n\nSee [[Nowhere]], from [[A]].\n", encoding="utf-8")
    git(root, "add", "C.md")
    assert run(root, env, "git", "commit", "-q", "--no-verify", "-m", "slipped past").returncode == 0
    done = run(root, env, sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert done.returncode == 1, done.stdout
    assert "C.md:3:5: KB101 broken link: `[[Nowhere]]` matches no page or attachment" in done.stdout.splitlines()


def test_with_no_page_staged_lint_builds_no_wiki(make_repo, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # `always_run` runs the hook for every commit: one that stages no page must stay cheap.
    import kbsleep.wiki

    from kbsleep.cli import main

    root = make_repo(WIKI)
    (root / "notes.txt").write_text("not a page\n", encoding="utf-8")
    git(root, "add", "notes.txt")

    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the Wiki was built")

    monkeypatch.setattr(kbsleep.wiki, "load_wiki", no_load)
    assert main(["--wiki", str(root), "lint", "--staged", "--output-format", "concise", "README.md"]) == 0
    assert capsys.readouterr().out == ""
