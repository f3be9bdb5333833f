"""`kbsleep mcp`: the wiki's tools for the agent that keeps it, over the Model Context Protocol.

A stdio server built on the official `mcp` SDK (`MCPServer`). Only this module imports the SDK,
and only `kbsleep mcp` imports this module: lint and the pre-commit hook never pay for it.

The tools are thin: each hands its arguments to one `kbsleep.toolbox.Toolbox` method and returns
its data as the result (structured, and as one line of JSON text for clients that read only
text), its hints and notes said in the tools' terms (`kbsleep.tool_words`: "call the
`consolidate` tool with `only: ["index"]`", not "run `kbsleep consolidate --only index`"). An argument a tool does not take, or of the wrong type, is an error that says which and
why in one line: ignored, `path` for `paths` would lint the whole wiki. The
toolbox's work runs on a worker thread, one call at a time: the kept Wiki model is never read
while another call replaces it, and a write never overlaps a read. A `KbsleepError` (bad input,
an unknown page) becomes an error result the agent can read and act on; a bug writes a crash
log and says where.

Read-only by default. `--allow-writes` adds `anticipate` and `consolidate`, which are dry runs
unless a call sets `dry_run` to false; each run is the passes' own transaction (writer lock,
checks, one commit per pass or task with kbsleep's trailers), so `kbsleep undo` reverts it.
"""

from __future__ import annotations

import difflib
import functools
import inspect
import json
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, ValidationError

from kbsleep import __version__
from kbsleep.errors import Exit, KbsleepError
from kbsleep.tool_words import advice_for_agent, for_agent
from kbsleep.toolbox import MAX_SEARCH, Toolbox

WRITE_TOOLS = ("anticipate", "consolidate")

INSTRUCTIONS = """\
kbsleep serves the wiki at {root}: Markdown pages that kbsleep lints, cross-links and answers from.
- To answer a question from the wiki, call `ask` first: it answers from precomputed answers or
  the best sections, with citations, and says "Not in the wiki" when no page holds the answer.
- `search` finds sections by their words; `read` opens a page or one section, with its links
  and backlinks. Prefer them to reading files one by one.
- Before committing edits to the wiki, call `lint` with `staged` (or run `kbsleep lint --staged`)
  and fix every error. Link by file name (`[[File name#Heading]]`). Never edit inside
  `<!-- kbsleep:NAME -->` ... `<!-- /kbsleep:NAME -->` sections: kbsleep rewrites them.
- `status` says what is stale and when sleep last ran.{writes}"""
WRITES = """
- `anticipate` and `consolidate` change the wiki: call them with `dry_run` first (the default),
  read the diff, then again with `dry_run` false. Each run is git commits that `kbsleep undo` reverts."""
NO_WRITES = """
- This server is read-only: `kbsleep mcp --allow-writes` adds the `anticipate` and `consolidate` tools."""

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)


Result = Annotated[CallToolResult, dict[str, Any]]  # our own result: compact text, a dict's schema


class Server(MCPServer):
    """An MCPServer that says why a write tool is missing, instead of "Unknown tool", and what
    is wrong with a call's arguments in a line a model can act on."""

    allow_writes = False

    async def call_tool(self, name: str, arguments: dict[str, Any], context: Any = None) -> Any:
        if name in WRITE_TOOLS and not self.allow_writes:
            raise ToolError(f"`{name}` writes to the wiki, and this server is read-only: start it with `kbsleep mcp --allow-writes`")
        listed = {tool.name: tool for tool in await self.list_tools()}
        if name not in listed:
            raise ToolError(f"no tool `{name}`: this server's tools are {', '.join(f'`{known}`' for known in listed)}")
        _no_unknown_arguments(name, arguments or {}, listed[name].input_schema.get("properties", {}))
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                raise ToolError(_bad_arguments(name, exc.__cause__)) from None
            raise


def _no_unknown_arguments(name: str, arguments: dict[str, Any], known: dict[str, Any]) -> None:
    """Refuse an argument the tool does not take: ignored, `path` for `paths` would lint the whole wiki."""
    unknown = [key for key in arguments if key not in known]
    if not unknown:
        return
    said = []
    for key in unknown:
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        said.append(f"`{key}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
    takes = ", ".join(f"`{key}`" for key in known) or "no arguments"
    raise ToolError(f"`{name}` has no argument {', '.join(said)}; it takes {takes}")


def _bad_arguments(name: str, error: ValidationError) -> str:
    """Pydantic's report on a call's arguments as one line: each argument, what is wrong, what was given."""
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "arguments"
        given = "" if item["type"] == "missing" else f" (got {_shown(item.get('input'))})"
        problems.append(f"`{where}`: {item['msg'][0].lower()}{item['msg'][1:]}{given}")
    return f"bad arguments for `{name}`: " + "; ".join(problems)


def _shown(value: Any, width: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def run(wiki: Path, allow_writes: bool = False, engine: Optional[str] = None) -> int:
    """Serve the wiki over stdio until the client closes the connection."""
    toolbox = Toolbox(wiki, engine)  # a missing folder is refused here, before the server starts
    build(toolbox, allow_writes).run("stdio")
    return Exit.OK


def build(toolbox: Toolbox, allow_writes: bool = False) -> Server:
    """The server with its tools, over `toolbox`."""
    server = Server(
        name="kbsleep",
        title="kbsleep wiki",
        version=__version__,
        instructions=INSTRUCTIONS.format(root=toolbox.root, writes=WRITES if allow_writes else NO_WRITES),
        log_level="WARNING",
    )
    server.allow_writes = allow_writes
    limiter = anyio.CapacityLimiter(1)  # one call at a time (see the module docstring)

    async def call(name: str, work: Callable[[], dict[str, Any]]) -> CallToolResult:
        data = await anyio.to_thread.run_sync(functools.partial(_guarded, name, work, allow_writes), limiter=limiter)
        return _result(advice_for_agent(data, allow_writes))

    def tool(annotations: ToolAnnotations) -> Callable[[Callable[..., Any]], Any]:
        """Register a tool, its docstring's indentation removed (every session reads each description)."""
        return lambda fn: server.tool(annotations=annotations, description=inspect.cleandoc(fn.__doc__ or ""))(fn)

    @tool(READ_ONLY)
    async def ask(
        question: Annotated[str, Field(description="The question, in plain words, e.g. 'Who maintains Cobalt?'")],
    ) -> Result:
        """Answer a question from the wiki, with citations. Call this before reading pages.

        Returns `answer` (text), `found` (false when no page holds the answer: then `answer` is
        "Not in the wiki..."), `citations` (each with `path`, `line`, `target` and `wikilink`, e.g.
        "[[Cobalt#Maintainers]]"), `path` (how it was answered: "precomputed" for a precomputed
        answer with no model call, "model" for retrieval and a model-written answer, "offline"
        for retrieval and the best supporting sentences, "not-found"), `how` (the same in words),
        `why` (when not found: why no answer was given), `matched` (the precomputed question
        served, if any), `fallback` (why the offline engine answered instead of the model, if it
        did), `tokens` and `latency_s`.
        The ask is logged and, when it missed the precomputed answers, queued for `anticipate`.
        """
        return await call("ask", lambda: toolbox.ask(question))

    @tool(READ_ONLY)
    async def search(
        query: Annotated[str, Field(description="Words to look for, e.g. 'Cobalt licence'")],
        limit: Annotated[int, Field(description="How many sections to return, best first", ge=1, le=MAX_SEARCH)] = 10,
    ) -> Result:
        """Find the wiki's sections that best match some words (full-text search, ranked).

        Returns `results`, best first (the ranking `ask` retrieves with): each section's `page`
        (its path), `title`, `heading` ("" for the text before the first heading), `line` and
        `end_line`, a `wikilink` to it,
        and a `snippet` (the line that matches best, as Obsidian shows it: links as their text, no
        Markdown marks). Open one with `read`.
        """
        return await call("search", lambda: toolbox.search(query, limit))

    @tool(READ_ONLY)
    async def read(
        page: Annotated[str, Field(description="The page: its path in the wiki ('people/Ada Lovelace.md', or absolute), file name, title or a [[wikilink]]")],
        section: Annotated[Optional[str], Field(description="A heading of the page to read only that section, as a link's `#Heading` opens it: 'Career' at any depth, or 'Life#Career' for the first Career after Life")] = None,
    ) -> Result:
        """Read one page of the wiki, or one section of it, with its links and backlinks.

        Returns `page` (its path), `title`, `aliases`, `tags`, `text` (the page's or section's
        lines from `start_line` to `end_line`), `headings` (the page's outline, to pick a section;
        of a section, its own headings), `links` (the links in the text: `link` as written, `line`,
        the `target` page and `status`: resolved, shadowed, missing, meant-for or missing-anchor),
        `backlinks` (the links from other pages that open this page: `page`, `line`, `link`; of a
        section, the links that open it, with `page_backlinks_total`); a link or backlink inside a
        `%% comment %%` has `in_comment: true` (Obsidian counts it, reading view hides it, lint
        never reports it), `namesakes` (when the name
        given is several pages' file name: the others, to read by path), and `problems` with the
        file itself (invalid UTF-8, unreadable frontmatter) when it has any. Long lists are cut; the
        `*_total` fields give the full counts. An unknown page is an error that names the closest pages.
        """
        return await call("read", lambda: toolbox.read(page, section))

    @tool(READ_ONLY)
    async def lint(
        paths: Annotated[Optional[list[str]], Field(description="Report only on these pages or folders (paths in the wiki, or absolute; a page may be named as `read` takes it); the whole wiki is still checked")] = None,
        staged: Annotated[bool, Field(description="Report on the pages staged for commit (and those their deletions break)")] = False,
        limit: Annotated[int, Field(description="Most findings to return (errors first when cut)", ge=1)] = 100,
    ) -> Result:
        """Check the wiki: broken links, orphans, duplicates, conflicting facts, stale sections.

        Returns `findings`, each with its `page`, `line` and `column`, `code`, `name`, `severity`
        (error, warning or judgement), `message`, and when it has them a `hint`, `related` places
        (`page`, `line`, `column`, `message`) and a safe `fix` (edits: replace `old` at `line`,
        `column` with `new`); `counts` by severity,
        `total`, `rules` (the count of each rule's findings, the cut ones too), `truncated` (more
        findings than `limit`), the `pages` in the wiki and `checked` (the pages reported on), and
        a `note` when `staged` found no page staged. Fix every error before committing.
        """
        return await call("lint", lambda: toolbox.lint(paths or (), staged, limit))

    @tool(READ_ONLY)
    async def status() -> Result:
        """What is stale in the wiki, what is queued, and when sleep last ran.

        Returns `pages`, `findings` (counts by severity), `stale_answers` (pages whose
        precomputed answers predate an edit), `unanswered` (pages with none yet), `inbox`
        (notes waiting to be folded in), `pending_batches`, `queued_questions` (questions `ask`
        missed, which anticipate answers next: `question`, `attempts`) - each a `count` and the
        `first` few -, `last_sleep` (what the last `kbsleep sleep` did, and when) and `spend`
        (model tokens and cost, by phase).
        """
        return await call("status", toolbox.status)

    if allow_writes:

        @tool(ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False))
        async def anticipate(
            paths: Annotated[Optional[list[str]], Field(description="Only these pages or folders (default: every page that needs it)")] = None,
            dry_run: Annotated[bool, Field(description="Only show the diff; write nothing. Set false to write and commit")] = True,
            force: Annotated[bool, Field(description="Regenerate every selected page, hand-edited sections included")] = False,
        ) -> Result:
            """Write each page's likely questions, with cited answers, so `ask` answers them at once.

            A dry run (the default) returns the `diff`; otherwise the pages are written in one git
            commit (`commit`, `run_id`; `kbsleep undo` reverts it). Also returns what was `written`
            (page, reason, questions), `skipped` and `kept` (with reasons), `up_to_date`,
            `left_for_later` (past max-pages-per-run), `tokens` and `cost_usd`.
            """
            return await call("anticipate", lambda: toolbox.anticipate(paths or (), dry_run, force))

        @tool(ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=False, open_world_hint=False))
        async def consolidate(
            only: Annotated[Optional[list[str]], Field(description="Tasks to run, in order: links, duplicates, inbox, contradictions, index, log (default: all)")] = None,
            dry_run: Annotated[bool, Field(description="Only show each task's diff; write nothing. Set false to write and commit")] = True,
        ) -> Result:
            """Reorganise the wiki safely: repair links, merge duplicates, fold the inbox, flag conflicts, rebuild the index, log it.

            Returns `steps`, one per task: `task`, `summary`, `done`, `left` (items not done, with
            reasons), and its `diff` on a dry run (the default) or its `commit` otherwise. Every
            commit of the run shares `run_id`; `kbsleep undo` reverts the whole run.
            """
            return await call("consolidate", lambda: toolbox.consolidate(only or (), dry_run))

    return server


def _result(data: dict[str, Any]) -> CallToolResult:
    """The data as structured content, and as compact JSON text for clients that read only text:
    the SDK's own text is indented, which costs a model's context a third more for nothing."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def _guarded(name: str, work: Callable[[], dict[str, Any]], writes: bool) -> dict[str, Any]:
    """Run one tool's work; a user error as an error result, its advice in the tools' terms
    (`tool_words`), a bug as a crash log named in one."""
    try:
        return work()
    except KbsleepError as exc:
        # "message; hint": a hint holds parentheses of its own ("(`git add -A`)"), which nest badly.
        raise ToolError(for_agent(exc.message + (f"; {exc.hint}" if exc.hint else ""), writes)) from None
    except Exception as exc:  # noqa: BLE001 - a bug: the agent gets one line, the log the traceback
        from kbsleep.crash import item_failure

        raise ToolError(item_failure(exc, f"kbsleep mcp: tool {name}")) from None
