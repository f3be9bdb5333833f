"""The house rules for the agent that keeps the wiki: a section of the wiki's `AGENTS.md` /
`CLAUDE.md` (`kbsleep init --agent`), and the same rules as the MCP server's instructions.

Which files get the section, and why:
- every one of `AGENTS.md` and `CLAUDE.md` that exists in the wiki folder (Codex, Cursor and
  other agents read `AGENTS.md`; Claude Code reads `CLAUDE.md`);
- when neither exists, `AGENTS.md` with the section and a `CLAUDE.md` that imports it
  (`@AGENTS.md`, Claude Code's import syntax), so both kinds of agent read one text;
- a `CLAUDE.md` that already imports `AGENTS.md` is left as it is: the rules would be read twice.

The section sits between `<!-- kbsleep:agent -->` and `<!-- /kbsleep:agent -->`, a kbsleep fence
like the others: running `init --agent` again replaces it and touches nothing outside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kbsleep.config import Config
from kbsleep.errors import KbsleepError
from kbsleep.wiki.discovery import AGENT_FILES
from kbsleep.wiki.fences import closes, line_ending, opens, separator
from kbsleep.wiki.page import split_lines_keepends

FENCE = "agent"
IMPORT = "@AGENTS.md"

RULES = """\
## Keeping this wiki (kbsleep)

This folder is a wiki that kbsleep checks and maintains.{where}

- **Ask kbsleep first.** To answer a question from the wiki, call the kbsleep MCP tool `ask`
  (or run `kbsleep ask "..."`) before reading pages; use `search` and `read` to open the pages
  it cites. It says so when the wiki does not hold the answer.
- **Link by file name.** Write `[[File name]]` or `[[File name#Heading]]`: the page's file
  name without `.md`, not its title. A title or alias alone does not open a page in Obsidian.
- **Lint before committing.** Run `kbsleep lint --staged` and fix every error it reports.
- **Leave kbsleep's sections alone.** Never edit between `<!-- kbsleep:NAME ... -->` and
  `<!-- /kbsleep:NAME -->` (this section included): kbsleep rewrites them. Edit around them.
- **Log your work.** Append one entry per change to `{log}`: a heading
  `## [YYYY-MM-DD] kind | subject` (kind: ingest, query, edit, lint...) and a line or two under
  it. Never rewrite earlier entries.
- **New raw notes go in `{inbox}/`**; `kbsleep consolidate` folds them into the pages.
"""


@dataclass(frozen=True)
class Written:
    path: Path
    what: str  # "created", "updated", "unchanged", "imports AGENTS.md"


def rules(config: Config, subfolder: str | None = None) -> str:
    """The rules as Markdown; `subfolder`: the wiki's folder inside its repository, if it is one."""
    where = f" Run kbsleep here, or from the repository's top with `--wiki {subfolder}`." if subfolder else ""
    return RULES.format(where=where, log=config.log_page, inbox=config.inbox.strip("/"))


def section(config: Config, subfolder: str | None = None) -> str:
    """The fenced section, ending with a newline."""
    return f"<!-- kbsleep:{FENCE} -->\n{rules(config, subfolder)}<!-- /kbsleep:{FENCE} -->\n"


def write(root: Path, config: Config, subfolder: str | None = None) -> list[Written]:
    """Write or update the section in the wiki's agent files (see the module docstring)."""
    block = section(config, subfolder)
    agents, claude = root / AGENT_FILES[0], root / AGENT_FILES[1]
    if not agents.exists() and not claude.exists():
        agents.write_text(block, encoding="utf-8")
        claude.write_text(IMPORT + "\n", encoding="utf-8")
        return [Written(agents, "created"), Written(claude, "created: imports AGENTS.md")]
    done = []
    for path in (agents, claude):
        if not path.exists():
            continue
        text = _read(path)
        if path == claude and agents.exists() and _imports_agents(text):
            done.append(Written(path, "unchanged: imports AGENTS.md"))
            continue
        updated = replace(text, block, path.name)
        if updated == text:
            done.append(Written(path, "unchanged"))
            continue
        path.write_bytes(updated.encode("utf-8"))  # bytes: the file's own line endings, as read
        done.append(Written(path, "updated"))
    return done


def replace(text: str, block: str, name: str = "the file") -> str:
    """`text` with its agent section replaced by `block`, or `block` appended; in `text`'s line endings."""
    ending = line_ending(text)
    block = block.replace("\n", ending)
    lines = split_lines_keepends(text)
    starts = [i for i, line in enumerate(lines) if opens(line, FENCE)]
    ends = [i for i, line in enumerate(lines) if closes(line, FENCE)]
    if not starts and not ends:
        return text + separator(text, ending) + block
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise KbsleepError(
            f"{name} has a broken kbsleep:{FENCE} section (its opening and closing lines do not pair up)",
            hint=f"keep one `<!-- kbsleep:{FENCE} -->` line and one `<!-- /kbsleep:{FENCE} -->` line after it, or delete both",
        )
    first, last = starts[0], ends[0]
    after = "".join(lines[last + 1 :])
    if not after:  # the section ended the file: keep it ending as it did
        block = block if lines[last].endswith(("\n", "\r")) else block.rstrip("\r\n")
    return "".join(lines[:first]) + block + after


def _imports_agents(text: str) -> bool:
    return any(line.strip() in (IMPORT, "@./AGENTS.md") for line in text.splitlines())


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KbsleepError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise KbsleepError(f"{path} is not UTF-8 text; kbsleep will not rewrite it") from None
