"""kbsleep's advice said in an agent's tools (`kbsleep.tool_words`): a command a tool runs is that
tool's call, an option a tool takes its argument, a write tool on a read-only server says how to
have it; a command or option no tool has stays as written, for a terminal."""

from __future__ import annotations

import pytest

from kbsleep.tool_words import advice_for_agent, for_agent

CASES = [
    ("run `kbsleep anticipate` to regenerate it", True, "call the `anticipate` tool to regenerate it"),
    ("run `kbsleep anticipate` to regenerate it", False, "call the `anticipate` tool (on a server started with `kbsleep mcp --allow-writes`) to regenerate it"),
    ("or run `consolidate --only index`", True, 'or call the `consolidate` tool with `only: ["index"]`'),
    ("try `kbsleep consolidate --only links,index --dry-run` first", True, 'call the `consolidate` tool with `only: ["links", "index"]`, `dry_run: true` first'),
    ("`kbsleep lint --staged` checks what you commit", False, "the `lint` tool with `staged: true` checks what you commit"),
    ("commit the wiki once, or use --dry-run", True, "commit the wiki once, or use `dry_run: true`"),
    ("kept (--force replaces them)", True, "kept (`force: true` replaces them)"),
    ("answers now with `--engine offline`", False, "answers now with a server started with `kbsleep mcp --engine offline`"),
    # no tool has these: as written
    ("run `kbsleep undo` to revert it", True, "run `kbsleep undo` to revert it"),
    ("run `kbsleep index --rebuild` to embed it again", True, "run `kbsleep index --rebuild` to embed it again"),
    ("`kbsleep lint --list-rules` lists them", True, "`kbsleep lint --list-rules` lists them"),
    ("`kbsleep consolidate --yes` writes them all", True, "`kbsleep consolidate --yes` writes them all"),
    ("pass --ci github", True, "pass --ci github"),
    # a page's words, not commands
    ("add `status:` to the frontmatter", True, "add `status:` to the frontmatter"),
    ("the `ask` property is empty", True, "the `ask` property is empty"),
    ("an en-dash -- like this", True, "an en-dash -- like this"),
]


@pytest.mark.parametrize(("text", "writes", "said"), CASES)
def test_advice_is_said_in_the_tools_terms(text: str, writes: bool, said: str) -> None:
    assert for_agent(text, writes) == said


def test_only_the_advice_fields_of_a_result_are_rewritten_at_any_depth() -> None:
    result = {
        "findings": [{"message": "`kbsleep anticipate` is quoted on this page", "hint": "run `kbsleep anticipate`"}],
        "steps": [{"summary": "not run (or run `consolidate --only index`)", "left": [{"page": "a.md", "reason": "kept (--force replaces them)"}], "diff": "+run `kbsleep anticipate`"}],
        "note": "use --dry-run",
        "total": 1,
    }
    assert advice_for_agent(result, True) == {
        "findings": [{"message": "`kbsleep anticipate` is quoted on this page", "hint": "call the `anticipate` tool"}],
        "steps": [{"summary": 'not run (or call the `consolidate` tool with `only: ["index"]`)', "left": [{"page": "a.md", "reason": "kept (`force: true` replaces them)"}], "diff": "+run `kbsleep anticipate`"}],
        "note": "use `dry_run: true`",
        "total": 1,
    }


MORE = [
    # a command's quoted argument is the tool's argument
    ('e.g. `kbsleep ask "Who maintains Cobalt?"`', True, 'e.g. the `ask` tool with `question: "Who maintains Cobalt?"`'),
    ('`kbsleep undo "abc"` reverts it', True, '`kbsleep undo "abc"` reverts it'),
    # an option to leave out is the argument's name alone
    ("run `kbsleep lint` without `--staged` to check every page", False, "call the `lint` tool without `staged` to check every page"),
    ("run `kbsleep lint` without `--changed-since` to check every page", False, "call the `lint` tool without `--changed-since` to check every page"),
    # a terminal's "run it again" is the tool called again
    ("wait for it to finish, then run kbsleep again", True, "wait for it to finish, then call the tool again"),
    ("nothing was written; run the pass again", True, "nothing was written; call the tool again"),
    ("the cache was damaged; run the command again", True, "the cache was damaged; call the tool again"),
    ("the endpoint looks down: run again later", True, "the endpoint looks down: call the tool again later"),
]


@pytest.mark.parametrize(("text", "writes", "said"), MORE)
def test_arguments_to_give_or_leave_out_and_calling_again(text: str, writes: bool, said: str) -> None:
    assert for_agent(text, writes) == said
