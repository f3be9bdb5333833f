"""Shared fixtures: hermetic user state, real git repositories in temporary folders."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Callable, Iterator, Mapping

import pytest

from kbsleep.testing import FakeAnthropic

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
NO_CACHE = shutil.ignore_patterns(".kbsleep")  # a developer's lint of sample_wiki/ or a fixture leaves its cache there
TEST_KEY = "sk-ant-test-DO-NOT-LEAK-0000"  # a dummy: no real key is ever used in tests
ANTHROPIC_ENV = (
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_CUSTOM_HEADERS",
    "ANTHROPIC_PROFILE",
    "ANTHROPIC_LOG",
)
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's home, git config, API key or colour settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for key in (*ANTHROPIC_ENV, "NO_COLOR", "GITHUB_STEP_SUMMARY", "KBSLEEP_OUTPUT_FORMAT"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ANTHROPIC_CONFIG_DIR", str(home / ".anthropic"))  # the SDK's profile lookup: empty


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    """The local fake Messages API, with the real SDK's environment pointed at it."""
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", TEST_KEY)
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        yield server


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def write_files(root: Path, files: Mapping[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


MakeRepo = Callable[..., Path]


@pytest.fixture
def make_repo(tmp_path: Path) -> MakeRepo:
    """A real git repository holding `files` (committed unless `commit=False`)."""

    def make(files: Mapping[str, str | bytes] | None = None, *, fixture: str | None = None, commit: bool = True, name: str = "repo") -> Path:
        root = tmp_path / name
        root.mkdir()
        git(root, "init", "-q", "-b", "main")
        if fixture is not None:
            shutil.copytree(FIXTURES / fixture, root, dirs_exist_ok=True, ignore=NO_CACHE)
        write_files(root, files or {})
        if commit:
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", "initial", "--allow-empty")
        return root

    return make


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    """A copy of `sample_wiki/` in a new git repository (untracked: git lists it all the same)."""
    root = tmp_path / "wiki"
    shutil.copytree(REPO / "sample_wiki", root, ignore=NO_CACHE)
    git(root, "init", "-q")
    return root
