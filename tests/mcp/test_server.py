"""`kbsleep mcp`, read-only: every tool called over stdio by the SDK's client, on a wiki of our own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from kbsleep import usage
from kbsleep import missed
from kbsleep.ask import NOT_FOUND
from kbsleep.state import STATE_DIR
from tests.ask.support import ADA
from tests.mcp.support import Session, environment, files, make_wiki, serve


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    # The 2026 protocol here (the SDK client's default), the initialize handshake of today's
    # clients in test_writes.py: one server each, both paths covered.
    # An empty section on the index (the log's `## [date] ingest | Cobalt` is an entry, not one):
    # one warning before the broken link's error, for the limit's "errors first".
    content = files()
    content["index.md"] += "\n## To sort\n"
    root = make_wiki(tmp_path_factory.mktemp("mcp") / "wiki", content)
    with serve(root, "--engine", "offline", mode="auto") as session:
        yield session


def test_the_read_tools_are_listed_with_descriptions_and_no_write_tool(server: Session) -> None:
    tools = server.tools()
    assert sorted(tools) == ["ask", "lint", "read", "search", "status"]
    for tool in tools.values():
        assert tool.description and len(tool.description) > 80
        assert tool.annotations is not None and tool.annotations.read_only_hint is True
    assert tools["ask"].input_schema["required"] == ["question"]
    assert sorted(tools["read"].input_schema["properties"]) == ["page", "section"]
    assert sorted(tools["lint"].input_schema["properties"]) == ["limit", "paths", "staged"]


def test_the_server_says_it_is_kbsleep_and_how_to_use_it(server: Session) -> None:
    assert server.client.server_info is not None and server.client.server_info.name == "kbsleep"
    instructions = server.client.instructions or ""
    assert str(server.root.resolve()) in instructions
    assert "call `ask` first" in instructions and "kbsleep mcp --allow-writes" in instructions


# -- ask ------------------------------------------------------------------------------------------


def test_ask_serves_a_precomputed_answer_with_its_citation(server: Session) -> None:
    got = server.data("ask", question="Who maintains the Cobalt compiler?")
    assert (got["found"], got["path"], got["tokens"]) == (True, "precomputed", 0)
    assert got["answer"] == "Dev Arunachalam has maintained it since 2021. [[Cobalt#Maintainers]]"
    assert got["matched"] == "Who maintains the Cobalt compiler?"
    assert got["citations"] == [{"target": "Cobalt#Maintainers", "wikilink": "[[Cobalt#Maintainers]]", "path": "projects/Cobalt.md", "line": 12}]
    assert got["how"] == "precomputed answer (no model call)"


def test_a_question_the_wiki_cannot_answer_is_said_to_be_not_in_the_wiki(server: Session) -> None:
    got = server.data("ask", question="What is the population of Tokyo?")
    assert (got["found"], got["path"], got["answer"], got["citations"]) == (False, "not-found", NOT_FOUND, [])


def test_an_empty_question_is_an_error_the_agent_can_read(server: Session) -> None:
    assert "the question is empty" in server.error("ask", question="   ")


def test_asks_over_mcp_are_logged_and_queued_like_terminal_asks(server: Session) -> None:
    state = server.root / STATE_DIR
    before = usage.compute(server.root)
    got = server.data("ask", question="When was Ada Lovelace born?")
    assert got["path"] == "offline" and got["citations"][0]["path"] == "people/Ada Lovelace.md"
    after = usage.compute(server.root)
    assert after.asks == before.asks + 1
    assert after.by_path.get("offline", 0) == before.by_path.get("offline", 0) + 1
    assert "When was Ada Lovelace born?" in missed.pending(state)["people/Ada Lovelace.md"]
    stats = subprocess.run([sys.executable, "-m", "kbsleep", "--wiki", str(server.root), "stats", "--json"], capture_output=True, text=True, env=environment(server.root.parent / "home"))
    assert json.loads(stats.stdout)["asks"] == after.asks


# -- search -----------------------------------------------------------------------------------------


def test_search_ranks_sections_with_page_heading_line_and_snippet(server: Session) -> None:
    got = server.data("search", query="Cobalt licence Apache", limit=3)
    assert got["query"] == "Cobalt licence Apache"
    assert len(got["results"]) == 3 and got["results"][0]["page"] == "projects/Cobalt.md"
    licensing = next(r for r in got["results"] if r["heading"] == "Licensing")
    assert licensing == {
        "page": "projects/Cobalt.md", "title": "Cobalt", "heading": "Licensing", "line": 16, "end_line": 18,
        "wikilink": "[[Cobalt#Licensing]]", "snippet": "Version 4.0 was released under the Apache License 2.0 in 2023.",
    }  # fmt: skip


def test_search_for_words_no_page_holds_finds_nothing(server: Session) -> None:
    assert server.data("search", query="zeppelin quasar")["results"] == []


def test_search_refuses_an_empty_query_and_a_limit_out_of_range(server: Session) -> None:
    assert "the query is empty" in server.error("search", query=" ")
    assert "limit" in server.error("search", query="Cobalt", limit=0)
    assert "limit" in server.error("search", query="Cobalt", limit=51)


# -- read -------------------------------------------------------------------------------------------


def test_read_a_page_with_its_links_and_backlinks(server: Session) -> None:
    got = server.data("read", page="Dev Arunachalam")
    assert (got["page"], got["title"], got["wikilink"]) == ("people/Dev Arunachalam.md", "Dev Arunachalam", "[[Dev Arunachalam]]")
    assert (got["start_line"], got["end_line"], got["truncated"], got["section"]) == (1, 4, False, None)
    assert got["text"] == "# Dev Arunachalam\n\nMaintains [[Cobalt#Maintainers|the Cobalt compiler]] since 2021.\nStudied with [[Mara Ilves]]."
    assert got["links"] == [
        {"link": "[[Cobalt#Maintainers|the Cobalt compiler]]", "line": 3, "target": "projects/Cobalt.md", "status": "resolved"},
        {"link": "[[Mara Ilves]]", "line": 4, "target": None, "status": "missing"},
    ]
    assert got["backlinks"] == [{"page": "index.md", "line": 7, "link": "[[Dev Arunachalam]]"}]
    assert (got["links_total"], got["backlinks_total"]) == (2, 1)


@pytest.mark.parametrize("name", ["Ada Lovelace", "people/Ada Lovelace.md", "people/Ada Lovelace", "ada lovelace", "[[Ada Lovelace]]"])
def test_a_page_is_found_by_path_file_name_or_wikilink(server: Session, name: str) -> None:
    got = server.data("read", page=name)
    assert got["page"] == "people/Ada Lovelace.md"
    assert got["text"] == ADA.rstrip("\n")


def test_a_page_is_found_by_its_title_or_alias(server: Session) -> None:
    assert server.data("read", page="Cobalt pipeline")["page"] == "projects/Cobalt.md"


@pytest.mark.parametrize(("page", "section"), [("Cobalt", "Licensing"), ("[[Cobalt#Licensing]]", None), ("Cobalt", "Cobalt#Licensing"), ("Cobalt", "licensing")])
def test_read_one_section(server: Session, page: str, section: str | None) -> None:
    got = server.data("read", page=page, **({"section": section} if section else {}))
    assert (got["page"], got["section"], got["wikilink"]) == ("projects/Cobalt.md", "Licensing", "[[Cobalt#Licensing]]")
    assert (got["start_line"], got["end_line"]) == (16, 19)
    assert got["text"] == "## Licensing\n\nVersion 4.0 was released under the Apache License 2.0 in 2023.\n"
    assert got["links"] == []
    assert [h["text"] for h in got["headings"]] == ["Licensing"] and got["headings_total"] == 4  # the section's own
    assert got["backlinks"] == [{"page": "projects/Cobalt.md", "line": 27, "link": "[[Cobalt#Licensing]]"}]
    assert (got["backlinks_total"], got["page_backlinks_total"]) == (1, 4)


def test_an_unknown_page_is_an_error_that_names_the_closest_pages(server: Session) -> None:
    text = server.error("read", page="Ada Lovelance")
    assert "no page `Ada Lovelance` in the wiki" in text
    assert "did you mean: `people/Ada Lovelace.md`" in text


def test_a_misspelt_section_is_an_error_that_names_the_close_headings(server: Session) -> None:
    text = server.error("read", page="[[Cobalt#Licence]]")
    assert "no section `Licence` in projects/Cobalt.md; close headings: `Licensing`" in text


def test_an_unknown_section_is_an_error_that_lists_the_headings(server: Session) -> None:
    text = server.error("read", page="Cobalt", section="Funding")
    assert "no section `Funding` in projects/Cobalt.md" in text
    assert "`Maintainers`, `Licensing`" in text


# -- lint, status -----------------------------------------------------------------------------------


def test_lint_returns_the_findings_of_the_cli_in_the_tools_shape(server: Session) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kbsleep", "--wiki", str(server.root), "lint", "--output-format", "json"],
        capture_output=True, text=True, env=environment(server.root.parent / "home"),
    )  # fmt: skip
    assert done.returncode == 1
    got = server.data("lint")
    cli = json.loads(done.stdout)
    assert [(f["page"], f["line"], f["column"], f["code"], f["message"], f.get("hint")) for f in got["findings"]] == [
        (f["filename"], f["location"]["row"], f["location"]["column"], f["code"], f["message"], f["hint"]) for f in cli
    ]
    assert [(f["code"], f["page"], f["line"]) for f in got["findings"]] == [
        ("KB205", "index.md", 9),
        ("KB101", "people/Dev Arunachalam.md", 4),
    ]
    assert (got["total"], got["counts"], got["truncated"], got["pages"], got["checked"]) == (2, {"error": 1, "warning": 1, "judgement": 0}, False, 7, 7)


def test_lint_reports_on_the_paths_given_and_cuts_to_the_limit_errors_first(server: Session) -> None:
    got = server.data("lint", paths=["people"])
    assert [f["page"] for f in got["findings"]] == ["people/Dev Arunachalam.md"]
    assert got["checked"] == 2
    cut = server.data("lint", limit=1)
    assert [f["code"] for f in cut["findings"]] == ["KB101"]
    assert (cut["total"], cut["truncated"]) == (2, True)
    assert server.data("lint", staged=True)["findings"] == []  # nothing staged


def test_lint_refuses_a_path_outside_the_wiki(server: Session) -> None:
    assert "outside the wiki" in server.error("lint", paths=["../elsewhere.md"])
    assert "no page `people/Nobody.md` in the wiki" in server.error("lint", paths=["people/Nobody.md"])


def test_status_says_what_is_stale_and_what_is_queued(server: Session) -> None:
    server.data("ask", question="When was Ada Lovelace born?")  # a miss: queued for anticipate
    got = server.data("status")
    assert got["pages"] == 7
    assert got["findings"] == {"error": 1, "warning": 1, "judgement": 0}
    assert got["stale_answers"] == {"count": 0, "first": []}
    assert got["unanswered"]["count"] == 4 and "people/Ada Lovelace.md" in got["unanswered"]["first"]
    assert {"question": "When was Ada Lovelace born?", "attempts": 0} in got["queued_questions"]["first"]
    assert got["queued_questions"]["count"] == len(got["queued_questions"]["first"])
    assert got["last_sleep"] is None


# -- writes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tool", ["anticipate", "consolidate"])
def test_a_write_is_refused_without_allow_writes(server: Session, tool: str) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=server.root, capture_output=True, text=True).stdout
    text = server.error(tool, dry_run=False)
    assert text == f"`{tool}` writes to the wiki, and this server is read-only: start it with `kbsleep mcp --allow-writes`"
    assert subprocess.run(["git", "rev-parse", "HEAD"], cwd=server.root, capture_output=True, text=True).stdout == head


def test_nothing_but_protocol_reaches_stdout(server: Session) -> None:
    server.data("lint")
    assert "Traceback" not in server.stderr.read_text(encoding="utf-8")


def test_a_missing_wiki_folder_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kbsleep", "--wiki", str(tmp_path / "nowhere"), "mcp"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.startswith("error: wiki folder not found") and "Traceback" not in done.stderr
