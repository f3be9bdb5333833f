"""The git layer's read path (`kbsleep.git.reads`), in real repositories: what each function
asks git and gets back; and the house rules of the layer: no module outside `kbsleep/git/`
runs git, and lint (the pre-commit hook) never imports GitPython."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep.errors import KbsleepError
from kbsleep.git import reads
from tests.conftest import git

PACKAGE = Path(__file__).parents[1] / "kbsleep"


def test_toplevel_names_the_work_tree_and_none_outside_one(make_repo, tmp_path: Path) -> None:
    root = make_repo({"wiki/A.md": "# A\n"})
    assert reads.toplevel(root / "wiki") == root.resolve()
    assert reads.in_work_tree(root / "wiki")
    outside = tmp_path / "plain"
    outside.mkdir()
    assert reads.toplevel(outside) is None and not reads.in_work_tree(outside)
    with pytest.raises(KbsleepError, match=r"plain is not in a git work tree$"):
        reads.work_tree_top(outside)


def test_files_lists_tracked_and_untracked_but_not_ignored_files_relative_to_the_folder(make_repo) -> None:
    root = make_repo({"wiki/A.md": "# A\n", "wiki/B.md": "# B\n", ".gitignore": "*.tmp\n", "top.md": "# top\n"})
    (root / "wiki" / "new.md").write_text("# new\n")
    (root / "wiki" / "scratch.tmp").write_text("x\n")
    (root / "wiki" / "B.md").unlink()  # deleted from the work tree, still in the index: listed
    assert sorted(reads.files(root / "wiki")) == ["A.md", "B.md", "new.md"]


def test_staged_names_what_the_index_changes_and_what_it_renames_away(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n", "C.md": "# C\n" * 20})
    (root / "A.md").write_text("# A changed\n")
    git(root, "mv", "C.md", "D.md")
    git(root, "rm", "-q", "B.md")
    git(root, "add", "A.md")
    (root / "E.md").write_text("# E, untracked\n")
    assert reads.staged(root) == reads.Changes(frozenset({"A.md", "D.md"}), frozenset({"B.md", "C.md"}))


def test_staged_before_the_first_commit_is_every_staged_file(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"}, commit=False)
    git(root, "add", "A.md")
    assert reads.staged(root) == reads.Changes(frozenset({"A.md"}), frozenset())


def test_changed_since_a_ref_includes_the_work_tree_and_untracked_files(make_repo) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n"})
    first = git(root, "rev-parse", "HEAD").strip()
    (root / "A.md").write_text("# A2\n")
    git(root, "commit", "-qam", "A2")
    (root / "B.md").write_text("# B, not committed\n")
    (root / "C.md").write_text("# C\n")
    assert reads.changed_since(root, first) == reads.Changes(frozenset({"A.md", "B.md", "C.md"}), frozenset())
    assert reads.changed_since(root, "HEAD") == reads.Changes(frozenset({"B.md", "C.md"}), frozenset())


def test_an_unknown_ref_and_no_commits_are_named_in_our_words(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    with pytest.raises(KbsleepError, match="git does not know the revision `nope`") as raised:
        reads.changed_since(root, "nope")
    assert raised.value.hint == "name a commit, branch or tag (`git log --oneline` lists the commits)"
    empty = make_repo({"A.md": "# A\n"}, commit=False, name="empty")
    with pytest.raises(KbsleepError, match="^the repository has no commits yet$"):
        reads.changed_since(empty, "HEAD")


def test_head_and_blob_read_the_commit_and_a_file_as_it_holds_it(make_repo) -> None:
    root = make_repo({"wiki/A.md": "# A\n"})
    head = git(root, "rev-parse", "HEAD").strip()
    (root / "wiki" / "A.md").write_text("# A, not committed\n")
    assert reads.head(root / "wiki") == head
    assert reads.blob(root / "wiki", head, "A.md") == b"# A\n"
    assert reads.blob(root / "wiki", head, "Nothing.md") is None
    assert reads.head(make_repo({}, commit=False, name="empty")) is None


def test_hooks_folder_follows_core_hooks_path(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    assert reads.hooks_folder(root) == (root / ".git" / "hooks").resolve()
    git(root, "config", "core.hooksPath", "my-hooks")
    assert reads.hooks_folder(root) == (root / "my-hooks").resolve()


def test_trailer_values_are_those_of_the_commits_that_mention_the_text(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    for run, name in (("r1", "anticipate"), ("r2", "consolidate"), ("r3", "anticipate")):
        git(root, "commit", "-q", "--allow-empty", "-m", f"kbsleep {name}\n\nKbsleep-Pass: {name}\nKbsleep-Run: {run}")
    assert reads.trailer_values(root, "Kbsleep-Pass: anticipate", "Kbsleep-Run") == {"r1", "r3"}
    assert reads.trailer_values(make_repo({}, commit=False, name="empty"), "Kbsleep-Pass: anticipate", "Kbsleep-Run") == set()


def test_status_is_none_outside_git(make_repo, tmp_path: Path) -> None:
    root = make_repo({"A.md": "# A\n"})
    (root / "B.md").write_text("# B\n")
    assert b"? B.md" in (reads.status(root) or b"")
    assert reads.status(tmp_path) is None


# -- the layer's house rules --------------------------------------------------------------------

# Modules outside the git layer still running git themselves: none (consolidate's marker and
# `git reset --keep` gave way to the transaction, sleep reads HEAD through `kbsleep.git.runner`).
NOT_YET: set[str] = set()


def runs_git(path: Path) -> bool:
    """Whether a module imports `subprocess` and builds a command that starts with "git"."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = any(isinstance(node, ast.Import) and any(alias.name == "subprocess" for alias in node.names) for node in ast.walk(tree))
    commands = any(
        isinstance(node, (ast.List, ast.Tuple)) and node.elts and isinstance(node.elts[0], ast.Constant) and node.elts[0].value == "git"
        for node in ast.walk(tree)
    )  # fmt: skip
    return imports and commands


def test_no_module_outside_the_git_layer_runs_git() -> None:
    found = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py") if "git" not in path.relative_to(PACKAGE).parts[:1] and runs_git(path)}
    assert found <= NOT_YET
    assert runs_git(PACKAGE / "git" / "reads.py")  # the check sees a call when there is one


def test_no_module_imports_write_atomic_through_the_transaction() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py"))
    assert "transaction import write_atomic" not in text and "transaction.write_atomic" not in text


@pytest.mark.parametrize("args", [["lint"], ["lint", "--staged"], ["lint", "--changed-since", "HEAD"]])
def test_lint_and_the_pre_commit_path_never_import_gitpython(make_repo, args: list[str]) -> None:
    root = make_repo({"index.md": "# Index\n\n[[A]]\n", "A.md": "# A\n\nSee [[index]].\n"})
    (root / "A.md").write_text("# A\n\nSee [[index]] again.\n")
    git(root, "add", "A.md")
    code = (
        "import sys\nfrom kbsleep.cli import main\n"
        f"code = main(['--wiki', {str(root)!r}, *{args!r}])\n"
        "print(code, sorted(m for m in sys.modules if m == 'git' or m.startswith(('git.', 'kbsleep.git.'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "0 ['kbsleep.git.failures', 'kbsleep.git.reads']", done.stderr

