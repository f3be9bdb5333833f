"""`kbsleep mcp` as the agent that keeps the wiki calls it: arguments it gets wrong, absolute paths,
results it reads as text, pages it edits between calls. The SDK's client over stdio, real git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Iterator

import pytest

from kbsleep.ask import MAX_QUESTION_CHARS
from tests.mcp.support import Session, environment, files, make_wiki, serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    content = files()
    content["index.md"] += "\n## To sort\n"  # a warning beside Dev's broken link
    content["people/Dev Arunachalam.md"] += "Met [[Lin Okafor]].\n"  # a second broken link
    root = make_wiki(tmp_path_factory.mktemp("agent") / "wiki", content)
    with serve(root, "--engine", "offline") as session:
        yield session


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, env=environment(root.parent / "home"), capture_output=True, text=True, check=True)
    return done.stdout


# -- arguments ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "arguments", "said"),
    [
        ("lint", {"path": "people"}, "`lint` has no argument `path` (did you mean `paths`?); it takes `paths`, `staged`, `limit`"),
        ("read", {"page": "Cobalt", "heading": "Licensing"}, "`read` has no argument `heading`; it takes `page`, `section`"),
        ("search", {"q": "Cobalt"}, "`search` has no argument `q`; it takes `query`, `limit`"),
        ("status", {"verbose": True}, "`status` has no argument `verbose`; it takes no arguments"),
    ],
)
def test_an_argument_the_tool_does_not_take_is_refused_not_ignored(server: Session, tool: str, arguments: dict[str, object], said: str) -> None:
    # Ignored, `path` would lint the whole wiki and `heading` read the whole page, and the agent
    # would take the result for what it asked.
    assert server.error(tool, **arguments) == said


@pytest.mark.parametrize(
    ("tool", "arguments", "said"),
    [
        ("ask", {}, "bad arguments for `ask`: `question`: field required"),
        ("ask", {"question": 5}, "bad arguments for `ask`: `question`: input should be a valid string (got 5)"),
        ("search", {"query": "Cobalt", "limit": "ten"}, "bad arguments for `search`: `limit`: input should be a valid integer, unable to parse string as an integer (got \"ten\")"),
        ("lint", {"paths": "people"}, "bad arguments for `lint`: `paths`: input should be a valid list (got \"people\")"),
        ("lint", {"paths": ["people", 3]}, "bad arguments for `lint`: `paths.1`: input should be a valid string (got 3)"),
        ("read", {"page": None, "section": 2}, "bad arguments for `read`: `page`: input should be a valid string (got null); `section`: input should be a valid string (got 2)"),
    ],
)
def test_arguments_of_the_wrong_type_are_one_line_per_argument_with_what_was_given(server: Session, tool: str, arguments: dict[str, object], said: str) -> None:
    text = server.error(tool, **arguments)
    assert text == said
    assert "pydantic" not in text and "\n" not in text


def test_a_long_value_is_shown_cut_in_the_error(server: Session) -> None:
    text = server.error("lint", paths="x" * 500)
    assert text.startswith("bad arguments for `lint`: `paths`: input should be a valid list (got \"xxx")
    assert len(text) < 160


def test_an_unknown_tool_is_an_error_that_names_the_tools(server: Session) -> None:
    assert server.error("ingest") == "no tool `ingest`: this server's tools are `ask`, `search`, `read`, `lint`, `status`"


def test_a_search_query_longer_than_a_question_may_be_is_refused_not_echoed(server: Session) -> None:
    text = server.error("search", query="Cobalt " * MAX_QUESTION_CHARS)
    assert f"the limit is {MAX_QUESTION_CHARS:,}" in text and len(text) < 200
    assert server.data("search", query="Cobalt " * (MAX_QUESTION_CHARS // 8))["results"]  # under the limit: searched


# -- paths ------------------------------------------------------------------------------------------


def test_an_absolute_path_inside_the_wiki_is_a_path_in_it(server: Session) -> None:
    # An agent edits files by absolute paths, and gives kbsleep the same ones.
    root = server.root.resolve()
    page = server.data("read", page=str(root / "people" / "Dev Arunachalam.md"))
    assert page["page"] == "people/Dev Arunachalam.md"
    assert server.data("read", page=str(root / "projects" / "Cobalt"), section="Licensing")["section"] == "Licensing"
    one = server.data("lint", paths=[str(root / "people" / "Dev Arunachalam.md")])
    assert one["checked"] == 1 and [f["code"] for f in one["findings"]] == ["KB101", "KB101"]
    assert server.data("lint", paths=[str(root / "people")])["checked"] == 2
    assert server.data("lint", paths=[str(root)])["checked"] == server.data("lint")["checked"]


@pytest.mark.parametrize("name", ["Dev Arunachalam", "[[Dev Arunachalam]]", "dev arunachalam.md", "people/Dev Arunachalam"])
def test_lint_takes_a_page_by_the_name_read_takes(server: Session, name: str) -> None:
    got = server.data("lint", paths=[name])
    assert got["checked"] == 1 and {f["page"] for f in got["findings"]} == {"people/Dev Arunachalam.md"}


def test_lint_refuses_an_empty_path_and_a_page_it_cannot_find(server: Session) -> None:
    assert server.error("lint", paths=[" "]).endswith("a path is empty; give a page or folder in the wiki, or no `paths` for the whole wiki")
    assert "no page `Dev Arunachalan` in the wiki; did you mean: `people/Dev Arunachalam.md`" in server.error("lint", paths=["Dev Arunachalan"])


def test_a_path_from_the_wiki_root_is_still_read_as_obsidian_reads_it(server: Session) -> None:
    assert server.data("read", page="/people/Ada Lovelace.md")["page"] == "people/Ada Lovelace.md"
    assert server.data("lint", paths=["/people"])["checked"] == 2


@pytest.mark.parametrize("tool", ["read", "lint"])
def test_an_absolute_path_outside_the_wiki_is_said_to_be_outside(server: Session, tool: str) -> None:
    outside = server.root.parent / "home"  # exists, next to the wiki
    arguments = {"page": str(outside)} if tool == "read" else {"paths": [str(outside)]}
    text = server.error(tool, **arguments)
    assert f"`{outside}` is outside the wiki at {server.root.resolve()}" in text
    other = "/no/such/folder/Ada Lovelace.md"  # its file name is a page's: still not this wiki's
    arguments = {"page": other} if tool == "read" else {"paths": [other]}
    assert "is outside the wiki" in server.error(tool, **arguments)


# -- results ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tool", "arguments"), [("read", {"page": "Cobalt"}), ("lint", {}), ("search", {"query": "Cobalt"}), ("status", {})])
def test_the_text_of_a_result_is_its_data_as_one_line_of_json(server: Session, tool: str, arguments: dict[str, object]) -> None:
    # A client that shows the model only the text gets the same data without the indentation,
    # which cost a third more of its context.
    result = server.call(tool, **arguments)
    text = result.content[0].text  # type: ignore[union-attr]
    assert json.loads(text) == result.structured_content
    assert text == json.dumps(result.structured_content, ensure_ascii=False, separators=(",", ":"))
    assert "\n" not in text


ADA = """\
# Ada

## Life

### Early life

Born in London.

## Work

Notes on the Analytical Engine. ^engine
"""

LINKS = """\
# Readers

[[Ada]] and [[Ada#Life]] and [[Ada#Early life]] and [[Ada#Life#Early life]]
[[Ada#Work]] and [[Ada#^engine]] and [[Ada#Nowhere]]
"""


def test_a_section_is_read_with_its_own_headings_and_the_links_that_open_it(tmp_path: Path) -> None:
    # The page's outline and all its backlinks were most of a short section's result.
    root = make_wiki(tmp_path / "wiki", {"Ada.md": ADA, "Readers.md": LINKS})
    with serve(root, "--engine", "offline") as session:
        page = session.data("read", page="Ada")
        assert [h["text"] for h in page["headings"]] == ["Ada", "Life", "Early life", "Work"]
        assert page["backlinks_total"] == 7 and "page_backlinks_total" not in page
        life = session.data("read", page="Ada", section="Life")
        assert [h["text"] for h in life["headings"]] == ["Life", "Early life"] and life["headings_total"] == 4
        assert [b["link"] for b in life["backlinks"]] == ["[[Ada#Life]]", "[[Ada#Early life]]", "[[Ada#Life#Early life]]"]
        assert (life["backlinks_total"], life["page_backlinks_total"]) == (3, 7)
        work = session.data("read", page="[[Ada#Work]]")
        assert [(b["page"], b["line"], b["link"]) for b in work["backlinks"]] == [("Readers.md", 4, "[[Ada#Work]]"), ("Readers.md", 4, "[[Ada#^engine]]")]


@pytest.mark.parametrize(("name", "page", "others"), [
    ("Notes", "a/Notes.md", ["b/Notes.md", "b/c/Notes.md"]),
    ("[[Notes#Plan]]", "a/Notes.md", ["b/Notes.md", "b/c/Notes.md"]),
    ("c/Notes", "b/c/Notes.md", []),
    ("b/Notes.md", "b/Notes.md", []),
    ("Other", "Other.md", []),
])  # fmt: skip
def test_a_name_several_pages_share_opens_one_and_names_the_others(tmp_path: Path, name: str, page: str, others: list[str]) -> None:
    # An agent that meant another page of that name learns the paths to read it by.
    content = {path: "# Notes\n\n## Plan\n\nText.\n" for path in ("a/Notes.md", "b/Notes.md", "b/c/Notes.md")}
    root = make_wiki(tmp_path / "wiki", {**content, "Other.md": "# Other\n"})
    with serve(root, "--engine", "offline") as session:
        got = session.data("read", page=name)
        assert got["page"] == page
        assert got.get("namesakes", []) == others


def test_tool_descriptions_are_not_indented(server: Session) -> None:
    for tool in server.tools().values():
        lines = (tool.description or "").splitlines()
        assert lines and not any(line.startswith(" ") for line in lines), tool.name


def test_lint_counts_the_findings_of_each_rule_even_when_the_list_is_cut(server: Session) -> None:
    everything = server.data("lint")
    cut = server.data("lint", limit=1)
    assert cut["truncated"] and len(cut["findings"]) == 1
    assert cut["rules"] == everything["rules"]
    named = [finding["name"] for finding in everything["findings"]]
    assert cut["rules"] == {name: named.count(name) for name in named}
    assert cut["rules"] == {"broken-link": 2, "empty-section": 1} and sum(cut["rules"].values()) == cut["total"]


# -- the agent edits between calls --------------------------------------------------------------------


def test_a_staged_lint_that_checks_nothing_names_the_edited_pages_not_staged(tmp_path: Path) -> None:
    root = make_wiki(tmp_path / "wiki")
    with serve(root, "--engine", "offline") as session:
        assert session.data("lint", staged=True)["note"] == "no page is staged for commit"
        (root / "people" / "New.md").write_text("# New\n\n[[Nobody]]\n", encoding="utf-8")
        (root / "index.md").write_text((root / "index.md").read_text(encoding="utf-8") + "- [[New]]\n", encoding="utf-8")
        got = session.data("lint", staged=True)
        assert (got["checked"], got["findings"]) == (0, [])
        assert got["note"] == "no page is staged for commit; 2 edited page(s) are not staged: `index.md`, `people/New.md`: `git add` them, or lint them by `paths`"
        git(root, "add", "people/New.md")
        staged = session.data("lint", staged=True)
        assert "note" not in staged and [f["code"] for f in staged["findings"]] == ["KB101"]
    assert git(root, "status", "--porcelain") == " M index.md\nA  people/New.md\n"  # nothing but the agent's edits


def test_read_says_what_is_wrong_with_the_file_itself(tmp_path: Path) -> None:
    content = files()
    root = make_wiki(tmp_path / "wiki", content)
    (root / "Latin.md").write_bytes(b"# Latin\n\nCaf\xe9 au lait.\n")
    (root / "Props.md").write_text("---\ntitle: [never closed\n---\n# Props\n", encoding="utf-8")
    with serve(root, "--engine", "offline") as session:
        latin = session.data("read", page="Latin")
        assert latin["problems"] == [{"rule": "encoding-error", "line": 3, "message": "invalid UTF-8 (byte 0xe9); read with replacement characters"}]
        props = session.data("read", page="Props")
        assert [p["rule"] for p in props["problems"]] == ["frontmatter-invalid"] and props["problems"][0]["line"] == 2
        assert "problems" not in session.data("read", page="Cobalt")
        (root / "Latin.md").write_text("# Latin\n\nCafé au lait.\n", encoding="utf-8")  # fixed between calls
        assert "problems" not in session.data("read", page="Latin")
