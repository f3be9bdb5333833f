"""Lint's work per page grows with the page, not with its square.

A page with thousands of headings and links to them, thousands of broken links to one missing
page or thousands of suppression comments used to cost a scan of all of them for each one.
These tests count the work by construction (calls, and the candidates handed to difflib), so
they need no timing: see `benchmarks/bench_huge_page.py` for the times.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

import pytest

from kbsleep.lint.formats import sarif
from kbsleep.lint.formats import render
from kbsleep.lint.records import Diagnostic, Location
from kbsleep.lint.rules import links
from kbsleep.lint.suppress import Suppression
from kbsleep.wiki import resolve
from tests.lint.support import lint_wiki

N = 1000


def counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    """Count calls to `owner.name` (one list item per call)."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_anchors_to_a_page_of_many_headings_fold_each_heading_once(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    headings = "\n\n".join(f"## Part {i}\n\nText [[#Part {N - 1 - i}]] [[#Part {i}#Nowhere]] [[B#Part {i}]]." for i in range(N))
    other = "# B\n\n" + "\n\n".join(f"## Part {i}\n\nSee [[A]]." for i in range(N))
    root = make_repo({"A.md": "# A\n\n" + headings + "\n", "B.md": other + "\n"})
    folds = counting(monkeypatch, resolve, "fold_heading")
    found = lint_wiki(root, "broken-anchor").diagnostics
    assert len(found) == N  # each `#Part i#Nowhere`
    assert len(folds) <= 8 * N  # each page's headings once, each part of each link's subpath once


def test_a_heading_hint_scores_a_few_close_headings_on_a_page_of_many(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    headings = "\n\n".join(f"## Section {i}\n\nText [[#Sektion {i}]]." for i in range(N))
    root = make_repo({"A.md": "# A\n\n" + headings + "\n"})
    scored: list[int] = []
    real = difflib.get_close_matches

    def counted(word: str, possibilities: Any, *args: Any, **kwargs: Any) -> list[str]:
        possibilities = list(possibilities)
        scored.append(len(possibilities))
        return real(word, possibilities, *args, **kwargs)

    monkeypatch.setattr(links.difflib, "get_close_matches", counted)
    found = lint_wiki(root, "broken-anchor").diagnostics
    assert len(found) == N
    assert [d.hint for d in found] == [f"did you mean `#Section {i}`?" for i in range(N)]
    assert sum(scored) <= 40 * N  # not N headings for each of N anchors


def test_a_heading_hint_on_a_page_of_few_headings_still_scores_them_all(make_repo) -> None:
    root = make_repo({"A.md": "# A\n\n## Harbour Authority\n\n## Port Rules\n\nSee [[#Harbor Authority]].\n"})
    (finding,) = lint_wiki(root, "broken-anchor").diagnostics
    assert finding.hint == "did you mean `#Harbour Authority`?"


def test_links_to_one_missing_page_look_for_its_near_names_once(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({"A.md": "# A\n\n" + " ".join(["[[Kestrel Rovr]]"] * N) + "\n", "Kestrel Rover.md": "# Kestrel Rover\n\n[[A]]\n"})
    suggestions = counting(monkeypatch, links, "_suggest")
    found = lint_wiki(root, "broken-link").diagnostics
    assert len(found) == N and {d.hint for d in found} == {"did you mean [[Kestrel Rover]]?"}
    assert len(suggestions) == 1


def test_suppressions_are_matched_to_findings_in_one_sweep(make_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "".join(f"<!-- kbsleep-disable-next-line broken-link -->\n[[Missing {i}]]\n\n" for i in range(N))
    root = make_repo({"A.md": "# A\n\n" + body + "[[Missing last]]\n"})
    covers = counting(monkeypatch, Suppression, "covers")
    found = lint_wiki(root, "broken-link", "unused-suppression").diagnostics
    assert [(d.name, d.location.line) for d in found] == [("broken-link", 3 + 3 * N)]
    assert len(covers) <= 2 * N


# -- output of many findings on one long line -------------------------------------------------------

LONG = " ".join(f"[[Missing {i}]]" for i in range(N))  # one source line of about 15,000 characters


def findings_on_the_long_line() -> list[Diagnostic]:
    columns = [LONG.index(f"[[Missing {i}]]") + 1 for i in range(N)]
    return [Diagnostic("KB101", "broken-link", "error", Location("a.md", 3, column), f"broken link {i}", source_line=LONG, span=len(f"[[Missing {i}]]")) for i, column in enumerate(columns)]


def test_the_full_format_shows_a_window_of_a_long_line_not_all_of_it() -> None:
    text = render(findings_on_the_long_line(), [], "full", tool_version="0")
    assert len(text) < 500 * N  # each finding's snippet is bounded, not 15,000 characters
    block = text.split("\n\n")[500]
    start = LONG.index("[[Missing 500]]")
    assert block.splitlines()[2] == f"3 | …{LONG[start - 60 : start + 15 + 60]}…"
    assert block.splitlines()[3] == "  | " + " " * 61 + "^" * 15


def test_sarif_hashes_each_source_line_once(monkeypatch: pytest.MonkeyPatch) -> None:
    hashes = counting(monkeypatch, sarif.hashlib, "sha256")
    results = json.loads(render(findings_on_the_long_line(), [], "sarif", tool_version="0"))["runs"][0]["results"]
    assert len(results) == N and len(hashes) == 1
    assert results[1]["partialFingerprints"]["primaryLocationLineHash"].endswith(":2")
