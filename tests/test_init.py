"""`kbsleep init`: a commented config that loads, the state folder, the hook and CI on request."""

from __future__ import annotations

import dataclasses
import os

from kbsleep.cli import main
from kbsleep.config import AnticipateConfig, Config, load_config
from tests.conftest import git


def test_init_writes_a_config_that_loads_as_the_defaults(make_repo) -> None:
    root = make_repo({"wiki/A.md": "# A\n"})
    assert main(["--wiki", str(root / "wiki"), "init"]) == 0
    assert (root / "wiki" / "kbsleep.toml").read_text().startswith("# kbsleep configuration")
    config = load_config(root / "wiki")
    # the defaults, but a vault written by hand keeps its answers beside its pages
    beside = AnticipateConfig(store="sidecar", sidecar_folder=".kbsleep-answers")
    assert dataclasses.replace(config, given=frozenset()) == Config(source=root / "wiki" / "kbsleep.toml", anticipate=beside)
    assert git(root, "status", "--porcelain", "--", "wiki/.kbsleep") == ""


def test_init_refuses_to_overwrite_without_force(make_repo) -> None:
    root = make_repo({"kbsleep.toml": "[lint]\nignore = ['KB2']\n"})
    assert main(["--wiki", str(root), "init"]) == 2
    assert "KB2" in (root / "kbsleep.toml").read_text()
    assert main(["--wiki", str(root), "init", "--force"]) == 0


def test_init_with_hook_and_github_ci(make_repo) -> None:
    root = make_repo({"notes/A.md": "# A\n"})
    assert main(["--wiki", str(root / "notes"), "init", "--hook", "--ci", "github"]) == 0
    hook = root / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK) and "lint --staged" in hook.read_text()
    workflow = (root / ".github" / "workflows" / "kbsleep.yml").read_text()
    assert "kbsleep --wiki notes lint --output-format github" in workflow
    assert "upload-sarif" in workflow
    assert main(["--wiki", str(root / "notes"), "init", "--force", "--ci", "gitlab"]) == 2
