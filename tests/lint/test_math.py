"""Lint on a course vault's math: nothing inside `$...$` or `$$ ... $$` is reported, what is
outside it still is (the shapes are from a linear-algebra vault that lint once misread)."""

from __future__ import annotations

from tests.lint.support import describe, lint_wiki

VAULT = {
    "Eigenvalues.md": (
        "# Eigenvalues\n\n"
        "### How to compute them\n"
        "$$\n\\begin{bmatrix}a_{11} & a_{12}\\end{bmatrix}\n=\n\\lambda \\cdot x\n$$\n\n"
        "### Projections\n\n\n"
        "### Uniform\n"
        "Draw $x_1\\sim u[[0,1]\\times[0,1]]$ as in [[Sampling]].\n"
        "The response is $y_f(t)=[W(t)*u](t)$, see [[Linear systems]].\n"
    ),
    "Linear systems.md": "# Linear systems\n\nAbout [[Eigenvalues]].\n",
}

EXPECTED = """\
Eigenvalues.md:10:1: KB205 section `Projections` is empty
    hint: write the section or remove the heading
Eigenvalues.md:14:42: KB101 broken link: `[[Sampling]]` matches no page or attachment
"""


def test_math_holds_no_links_or_headings_and_the_rest_is_still_checked(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB101", "KB205")
    assert describe(report.diagnostics) == EXPECTED
