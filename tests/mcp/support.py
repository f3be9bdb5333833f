"""`kbsleep mcp` as a real subprocess, driven by the `mcp` SDK's own stdio client.

`serve` starts one server (tests share it per module: a start costs about a second) and hands
back a `Session` whose calls are plain blocking functions, run on an event loop in a thread
(anyio's blocking portal), so the tests read like the other specifications.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from anyio.from_thread import BlockingPortal, start_blocking_portal
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.types import CallToolResult, Tool

from tests.ask.support import wiki_files
from tests.conftest import GIT_ENV

DEV = "# Dev Arunachalam\n\nMaintains [[Cobalt#Maintainers|the Cobalt compiler]] since 2021.\nStudied with [[Mara Ilves]].\n"


def files() -> dict[str, str]:
    """The ask tests' wiki, and a page that links into it and has one broken link."""
    found = wiki_files()
    found["index.md"] += "- [[Dev Arunachalam]]\n"
    found["people/Dev Arunachalam.md"] = DEV
    return found


def make_wiki(root: Path, content: dict[str, str] | None = None) -> Path:
    """A git repository holding `content` (the wiki above by default), committed."""
    root.mkdir(parents=True)
    for name, text in (content or files()).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "initial"]):
        subprocess.run(["git", *args], cwd=root, env=environment(root.parent / "home"), check=True, capture_output=True)
    return root


def environment(home: Path) -> dict[str, str]:
    """The server's environment: a home of its own, no git config of the developer's, no API key."""
    home.mkdir(exist_ok=True)
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        **GIT_ENV,
    }


class Session:
    def __init__(self, portal: BlockingPortal, client: Client, root: Path, stderr: Path) -> None:
        self.portal, self.client, self.root, self.stderr = portal, client, root, stderr

    def tools(self) -> dict[str, Tool]:
        listed = self.portal.call(self.client.list_tools)
        return {tool.name: tool for tool in listed.tools}

    def call(self, name: str, **arguments: Any) -> CallToolResult:
        return self.portal.call(self.client.call_tool, name, arguments)

    def data(self, name: str, **arguments: Any) -> dict[str, Any]:
        """A call's structured result; the call must succeed."""
        result = self.call(name, **arguments)
        assert not result.is_error, result.content[0].text  # type: ignore[union-attr]
        assert result.structured_content is not None
        return result.structured_content

    def error(self, name: str, **arguments: Any) -> str:
        """The text of a call's error result; the call must fail."""
        result = self.call(name, **arguments)
        assert result.is_error, result.structured_content
        return result.content[0].text  # type: ignore[union-attr]


@contextmanager
def serve(root: Path, *options: str, mode: str = "legacy") -> Iterator[Session]:
    """`kbsleep --wiki ROOT mcp OPTIONS` over stdio. `legacy`: the initialize handshake that
    clients of the protocol's earlier revisions use; `auto`: the 2026 revision's discovery first."""
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "kbsleep", "--wiki", str(root), "mcp", *options],
        env=environment(root.parent / "home"),
        cwd=str(root.parent),
    )
    stderr = root.parent / f"server-{os.getpid()}-{id(params)}.err"
    with stderr.open("w", encoding="utf-8") as errlog, start_blocking_portal() as portal:
        client = Client(stdio_client(params, errlog=errlog), mode=mode, cache=None, read_timeout_seconds=60)
        with portal.wrap_async_context_manager(client) as entered:
            yield Session(portal, entered, root, stderr)
