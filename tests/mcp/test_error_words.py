"""An error a tool returns says what to do with the tools and their arguments: the argument that
was given (`staged: true`), not an option of the command line the tool never took
(`--changed-since`); "call the tool again", not "run kbsleep again"; the `ask` tool's `question`,
not `kbsleep ask "..."`. Only a whole command no tool runs (`kbsleep lint --list-rules`), a git
command, or the server's own command line (`kbsleep mcp --allow-writes`) keeps its options: for a
terminal. The error is one line, "message; hint", as the CLI's are two."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from kbsleep.lock import hold
from tests.mcp.support import Session, environment, make_wiki, serve

PAGES = {"index.md": "# Index\n\n- [[Ada]]\n", "Ada.md": "# Ada\n\nShe wrote the first program.\n"}
SDK = "Error executing tool {tool}: "  # the SDK's own prefix to a tool's error


def said(server: Session, tool: str, **arguments: object) -> str:
    """A call's error text, without the SDK's prefix."""
    text = server.error(tool, **arguments)
    assert text.startswith(SDK.format(tool=tool)), text
    return text.removeprefix(SDK.format(tool=tool))


def options_outside_a_terminal_command(text: str) -> list[str]:
    """The `--options` of `text` that are not inside a quoted `kbsleep ...` or `git ...` command."""
    commands = list(re.finditer(r"`(?:kbsleep|git) [^`]*`", text))
    return [found.group(0) for found in re.finditer(r"(?<![\w-])--[a-z][\w-]*", text) if not any(span.start() < found.start() < span.end() for span in commands)]


def folder(root: Path, pages: dict[str, str]) -> Path:
    """`pages` in a plain folder: no git repository."""
    root.mkdir(parents=True)
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_staged_lint_outside_git_names_the_argument_given_and_how_to_lint_without_it(tmp_path: Path) -> None:
    with serve(folder(tmp_path / "notes", PAGES), "--engine", "offline") as server:
        text = said(server, "lint", staged=True)
        assert server.data("lint")["checked"] == 2  # what the hint says to do works
    assert text == "`staged: true` needs the wiki to be in a git repository; call the `lint` tool without `staged` to check every page, or `git init` the wiki and commit it"


def test_an_empty_question_or_page_says_which_argument_to_give(tmp_path: Path) -> None:
    with serve(make_wiki(tmp_path / "wiki", PAGES), "--engine", "offline") as server:
        question, page = said(server, "ask", question="  "), said(server, "read", page=" ")
    assert question == 'the question is empty; give it in words, e.g. the `ask` tool with `question: "Who maintains Cobalt?"`'
    assert page == "the page's name is empty; give a page's path, file name or title, e.g. `Ada Lovelace`"


def test_a_write_in_a_repository_without_commits_says_to_call_the_tool_again(tmp_path: Path) -> None:
    root = folder(tmp_path / "wiki", PAGES)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=environment(tmp_path / "home"), check=True)
    with serve(root, "--allow-writes", "--engine", "offline") as server:
        text = said(server, "consolidate", only=["links"], dry_run=False)
    assert text == "the repository has no commits yet; commit the wiki once first (`git add -A && git commit -m wiki`), then call the tool again"


def test_a_write_while_the_wiki_is_locked_says_to_wait_and_call_again(tmp_path: Path) -> None:
    root = make_wiki(tmp_path / "wiki", PAGES)
    with serve(root, "--allow-writes", "--engine", "offline") as server, hold(root, "sleep"):
        text = said(server, "anticipate", dry_run=False)
    assert re.fullmatch(r"kbsleep is already running on this wiki \(pid \d+, `kbsleep sleep` since [\d-]+ [\d:]+\); wait for it to finish, then call the tool again", text), text


def test_an_unknown_rule_in_the_config_names_the_file_and_key_and_the_rule_meant(tmp_path: Path) -> None:
    root = make_wiki(tmp_path / "wiki", {**PAGES, "kbsleep.toml": '[lint]\nignore = ["orphan-pag"]\n'})
    with serve(root, "--engine", "offline") as server:
        text = said(server, "lint")
    assert text == f"{root / 'kbsleep.toml'}: `lint.ignore` names unknown rule `orphan-pag`; did you mean `KB201` (orphan-page)? `kbsleep lint --list-rules` lists codes and names"


def test_a_page_above_the_wiki_is_outside_it_for_read_as_for_lint(tmp_path: Path) -> None:
    root = make_wiki(tmp_path / "wiki", PAGES)
    (tmp_path / "elsewhere.md").write_text("# Elsewhere\n", encoding="utf-8")
    outside = f"`../elsewhere.md` is outside the wiki at {root}; give paths relative to the wiki folder, e.g. `people/Ada.md`, or absolute paths inside it"
    with serve(root, "--engine", "offline") as server:
        assert said(server, "read", page="../elsewhere.md") == said(server, "lint", paths=["../elsewhere.md"]) == outside


def test_anticipate_on_an_empty_wiki_has_nothing_to_do(tmp_path: Path) -> None:
    root = tmp_path / "wiki"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, env=environment(tmp_path / "home"), check=True)
    with serve(root, "--allow-writes", "--engine", "offline") as server:
        done = server.data("anticipate")
    assert (done["written"], done["diff"]) == ([], "")


def test_no_error_names_an_option_the_tools_do_not_take(tmp_path: Path) -> None:
    plain = folder(tmp_path / "notes", PAGES)
    kept = make_wiki(tmp_path / "wiki", PAGES)
    calls = [
        (plain, "lint", {"staged": True}),
        (plain, "anticipate", {"dry_run": False}),
        (plain, "consolidate", {"only": ["index"], "dry_run": False}),
        (kept, "ask", {"question": " "}),
        (kept, "search", {"query": " "}),
        (kept, "read", {"page": "Nobody"}),
        (kept, "read", {"page": "Ada", "section": "Career"}),
        (kept, "read", {"page": "/etc/passwd"}),
        (kept, "lint", {"paths": ["../elsewhere"]}),
        (kept, "lint", {"paths": [""]}),
        (kept, "consolidate", {"only": ["tidy"]}),
        (kept, "anticipate", {"paths": ["Nobody"]}),
    ]
    errors = []
    for root in (plain, kept):
        with serve(root, "--allow-writes", "--engine", "offline") as server:
            errors += [said(server, tool, **arguments) for where, tool, arguments in calls if where == root]
    assert len(errors) == len(calls)
    assert [(text, options_outside_a_terminal_command(text)) for text in errors if options_outside_a_terminal_command(text)] == []
