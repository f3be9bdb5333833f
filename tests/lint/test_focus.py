"""A lint with a scope skips work, never findings: it equals the whole lint, then filtered.

`--staged`, `--changed-since` and path arguments hand rules a focus so that a pre-commit run
does not judge ten thousand pages to report on one. Whatever a rule skips, the report must be
exactly the whole wiki's report on those pages (a two-page finding counts when either page is
in scope), for every page of every fixture wiki.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kbsleep.lint import lint, scoped
from kbsleep.wiki import open_wiki
from tests.conftest import FIXTURES, REPO, git

WIKIS = [REPO / "sample_wiki", FIXTURES / "links_wiki", *sorted((FIXTURES / "lint").iterdir())]


@pytest.mark.parametrize("source", WIKIS, ids=lambda p: p.name)
def test_a_focused_lint_equals_the_whole_lint_filtered_to_its_scope(source: Path, tmp_path: Path) -> None:
    root = tmp_path / "wiki"
    shutil.copytree(source, root)
    git(root, "init", "-q")
    wiki = open_wiki(root)
    whole = lint(wiki)
    for path in wiki.pages:
        assert lint(wiki, scope=[path]).diagnostics == scoped(whole, [path], wiki.pages).diagnostics, path
    some = list(wiki.pages)[::3]
    assert lint(wiki, scope=some).diagnostics == scoped(whole, some, wiki.pages).diagnostics
