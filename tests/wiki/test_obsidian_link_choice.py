"""Which of several files of one name a link opens: Obsidian's `getLinkpathDest` rule
(docs/obsidian.md, "Wikilinks"; kbsleep/wiki/linkpath.py). The vault path first; then the
files under the linking page's folder (a prefix of the path string), then the rest, each by
the shortest path string; two as near and as long are a tie the files do not decide."""

from __future__ import annotations

import pytest

from kbsleep.lint import Selection, lint
from kbsleep.wiki import load_wiki, open_wiki
from kbsleep.wiki.linkpath import contenders, relative


def _outcome(make_repo, files: dict[str, str], source: str) -> list[tuple[str, str | None, tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    wiki = load_wiki(make_repo(files))
    return [(r.status, r.target, r.others) for r in wiki.outlinks[source]]


PAGE = "# Budget\n\ntext\n"


@pytest.mark.parametrize(
    ("files", "source", "expected"),
    [
        # a page in a subfolder of the linking folder is near; a shorter one elsewhere is not
        ({"projects/2026/q1/Budget.md": PAGE, "fin/Budget.md": PAGE}, "projects/Index.md", ("shadowed", "projects/2026/q1/Budget.md", ("fin/Budget.md",))),
        # the shortest path string, not the fewest folders
        ({"x/y/Budget.md": PAGE, "finance/Budget.md": PAGE}, "Home.md", ("shadowed", "x/y/Budget.md", ("finance/Budget.md",))),
        # an ancestor folder is not near: the shorter path elsewhere wins
        ({"projects/Budget.md": PAGE, "fin/Budget.md": PAGE}, "projects/deep/Plan.md", ("shadowed", "fin/Budget.md", ("projects/Budget.md",))),
        # the vault path wins from every folder, over the linking folder's own page
        ({"Budget.md": PAGE, "projects/Budget.md": PAGE}, "projects/Plan.md", ("resolved", "Budget.md", ())),
        # "near" is a prefix of the path string, as Obsidian tests it: `notes archive/` is near `notes/`
        ({"notes archive/Budget.md": PAGE, "x/Budget.md": PAGE}, "notes/Index.md", ("shadowed", "notes archive/Budget.md", ("x/Budget.md",))),
    ],
)
def test_a_shared_file_name_opens_the_page_obsidian_ranks_first(make_repo, files, source, expected) -> None:  # type: ignore[no-untyped-def]
    assert _outcome(make_repo, {**files, source: "# S\n\n[[Budget]]\n"}, source) == [expected]


def test_a_partial_path_matches_the_end_of_the_path_string(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {"ab/Note.md": "# N\n", "Home.md": "# H\n\n[[b/Note]] [[/Note]] [[/ab/Note]]\n"}
    assert _outcome(make_repo, files, "Home.md") == [
        ("resolved", "ab/Note.md", ()),  # `b/note.md` ends `ab/note.md`
        ("missing", None, ()),  # a path from the vault root names that file or none
        ("resolved", "ab/Note.md", ()),
    ]


def test_dot_paths_name_the_linking_folder_s_file_only(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "fin/Budget.md": PAGE, "sub/Plan.md": "# root sub\n", "projects/sub/Plan.md": "# projects sub\n",
        "projects/Index.md": "# I\n\n[a](./Budget.md) [[./Budget]] [b](sub/Plan.md) [c](../fin/Budget.md) [[../../../fin/Budget]] [d](./../x/../fin/Budget.md)\n",
    }  # fmt: skip
    assert _outcome(make_repo, files, "projects/Index.md") == [
        ("missing", None, ()),  # no projects/Budget.md: `./` does not fall back to the name
        ("missing", None, ()),
        ("resolved", "sub/Plan.md", ()),  # not `./`: the vault path first, as for a wikilink
        ("resolved", "fin/Budget.md", ()),
        ("resolved", "fin/Budget.md", ()),  # `../` above the root stays at the root
        ("resolved", "fin/Budget.md", ()),  # our choice: `x/..` inside the path is read as nothing
    ]


def test_pages_as_near_and_as_long_are_a_tie_in_utf16_units(make_repo) -> None:  # type: ignore[no-untyped-def]
    # `🦊` is one code point but two UTF-16 units: `🦊/Tie.md` is as long as `ab/Tie.md` for Obsidian
    assert contenders(["ab/Tie.md", "🦊/Tie.md", "abc/Tie.md"], "") == ("ab/Tie.md", "🦊/Tie.md")
    assert contenders(["ab/Tie.md", "zz/x/Tie.md"], "zz") == ("zz/x/Tie.md",)
    assert relative("../../x", "a/b/c") == ("a/x", "a/")
    assert relative("./x", "") == ("x", "")


def test_on_a_tie_the_link_works_if_either_page_holds_its_heading(make_repo) -> None:  # type: ignore[no-untyped-def]
    files = {
        "aa/Tie.md": "# Tie\n\ntext\n", "bb/Tie.md": "# Tie\n\n## Budget lines\n\ntext\n",
        "Home.md": "# H\n\n[[Tie#Budget lines]] [[Tie#Nowhere]]\n",
    }  # fmt: skip
    assert _outcome(make_repo, files, "Home.md") == [
        ("shadowed", "bb/Tie.md", ("aa/Tie.md",)),
        ("missing-anchor", "aa/Tie.md", ("bb/Tie.md",)),
    ]


def _messages(root) -> list[str]:  # type: ignore[no-untyped-def]
    report = lint(open_wiki(root), Selection(select=("ambiguous-link",)))
    return [f"{d.message} | {d.hint}" for d in report.diagnostics]


def test_ambiguous_link_names_the_page_obsidian_opens_only_when_its_rule_decides(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({
        "aa/Tie.md": "# A\n", "bb/Tie.md": "# B\n", "ccc/Tie.md": "# C\n",
        "projects/deep/Budget.md": PAGE, "fin/Budget.md": PAGE,
        "projects/Index.md": "# I\n\n[[Budget]]\n",
        "Home.md": "# H\n\n[[Tie|the tie]]\n",
    })  # fmt: skip
    assert _messages(root) == [
        "`[[Tie|the tie]]` matches 3 pages; Obsidian opens aa/Tie.md or bb/Tie.md (as near, paths as long: which one, the files do not decide) (also: ccc/Tie.md)"
        " | write the path of the page meant: `[[aa/Tie|the tie]]` or `[[bb/Tie|the tie]]`",
        "`[[Budget]]` matches 2 pages; Obsidian opens projects/deep/Budget.md (also: fin/Budget.md) | write the path: `[[projects/deep/Budget]]`",
    ]


def test_a_tie_follows_a_heading_added_to_the_other_page_of_the_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"aa/Tie.md": "# A\n", "bb/Tie.md": "# B\n", "Home.md": "# H\n\n[[Tie#Budget lines]]\n"})

    def outcomes() -> list[tuple]:
        got = [(r.status, r.target, r.others) for r in load_wiki(root).outlinks["Home.md"]]
        assert got == [(r.status, r.target, r.others) for r in load_wiki(root, use_cache=False).outlinks["Home.md"]]
        return got

    assert outcomes() == [("missing-anchor", "aa/Tie.md", ("bb/Tie.md",))]
    (root / "bb/Tie.md").write_text("# B\n\n## Budget lines\n\ntext\n")
    assert outcomes() == [("shadowed", "bb/Tie.md", ("aa/Tie.md",))]
    (root / "bb/Tie.md").write_text("# B\n")
    assert outcomes() == [("missing-anchor", "aa/Tie.md", ("bb/Tie.md",))]
