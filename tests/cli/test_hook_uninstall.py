"""`kbsleep hook uninstall` removes the hook kbsleep installed, and only that one."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.cli import main

FILES = {"index.md": "# Index\n"}


def test_uninstall_removes_the_hook_kbsleep_installed_and_says_so(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(FILES)
    assert main(["hook", "install", "--wiki", str(root)]) == 0
    hook = root / ".git" / "hooks" / "pre-commit"
    assert hook.exists()
    capsys.readouterr()
    assert main(["hook", "uninstall", "--wiki", str(root)]) == 0
    assert not hook.exists()
    assert capsys.readouterr().out == f"removed {hook}\n"


def test_uninstall_leaves_a_hook_of_the_users_own_alone(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(FILES)
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\nmake check\n", encoding="utf-8")
    assert main(["--wiki", str(root), "hook", "uninstall"]) == 0
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\nmake check\n"
    assert capsys.readouterr().err == f"left {hook} alone: kbsleep did not write it (it has no `# installed by kbsleep` line)\n"


def test_uninstall_with_no_hook_says_there_is_nothing_to_remove(make_repo, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_repo(FILES)
    assert main(["--wiki", str(root), "hook", "uninstall", "--post-commit"]) == 0
    hook = root / ".git" / "hooks" / "post-commit"
    assert capsys.readouterr().out == f"no post-commit hook to remove ({hook} does not exist)\n"


def test_uninstall_removes_only_the_kind_asked_for(make_repo) -> None:
    root = make_repo(FILES)
    assert main(["--wiki", str(root), "hook", "install"]) == 0
    assert main(["--wiki", str(root), "hook", "install", "--post-commit"]) == 0
    assert main(["--wiki", str(root), "hook", "uninstall", "--post-commit"]) == 0
    hooks = root / ".git" / "hooks"
    assert (hooks / "pre-commit").exists() and not (hooks / "post-commit").exists()


def test_uninstall_outside_git_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--wiki", str(tmp_path), "hook", "uninstall"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
