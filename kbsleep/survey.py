"""What a vault holds that its config should know about: `kbsleep init` writes the config from it.

Templates folders (from Obsidian's and Templater's settings, or found by name and content),
hidden files and folders, Obsidian's Excluded files, the index page with how much of the
wiki it reaches, and the log page.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kbsleep.config import Config
from kbsleep.obsidian import CONFIG_FOLDER, VaultSettings, is_placeholder

SIDECARS = ".kbsleep-answers"  # where `init` keeps a hand-written vault's answers (git tracks it, Obsidian hides it)

if TYPE_CHECKING:
    from kbsleep.wiki import Wiki

# A folder named like a templates folder: "Templates", "_templates", "01 Templates", "99 - template".
TEMPLATE_FOLDER = re.compile(r"[\W\d_]*templates?", re.IGNORECASE)
# Unreachable from the index page beyond this share of the pages judged: missing-from-index would
# report most of the wiki, and bury the rest of the report.
FLOOD_SHARE = 0.5


@dataclass(frozen=True)
class Hidden:
    path: str  # a hidden folder ("sub/.drafts/") or file (".draft.md")
    pages: int  # Markdown files in it
    files: int  # all files in it


@dataclass(frozen=True)
class TemplateFolder:
    folder: str  # wiki path, no trailing "/"
    placeholders: int  # pages in it with a `{{...}}` or `<%...%>` template expression
    pages: int


@dataclass(frozen=True)
class Survey:
    vault: VaultSettings
    pages: int  # pages in the wiki
    templates: tuple[TemplateFolder, ...]  # found by name and content, not set in Obsidian's settings
    hidden: tuple[Hidden, ...]
    excluded: int  # pages among Obsidian's Excluded files
    index: str | None  # the index page, when the wiki has one
    unreached: int  # judged pages that cannot be reached from the index page
    judged: int  # pages that are neither templates nor Excluded files
    log: str | None = None  # the log page, when the wiki has one

    @property
    def empty(self) -> bool:
        """A vault with no page yet: a new wiki, set up as an LLM wiki (an index and a log)."""
        return self.pages == 0

    @property
    def index_floods(self) -> bool:
        return self.index is not None and self.unreached > FLOOD_SHARE * max(self.judged, 1)

    def summary(self) -> str:
        """What was found, in a few words ("" when nothing)."""
        parts = []
        folders = len(self.templates) + len(self.vault.template_folders())
        if folders:
            parts.append(f"{folders} templates folder{'s' if folders != 1 else ''}")
        if self.hidden:
            parts.append(f"{len(self.hidden)} hidden file{'s' if len(self.hidden) != 1 else ''} or folder{'s' if len(self.hidden) != 1 else ''} ignored")
        if self.excluded:
            parts.append(f"{self.excluded} Excluded file{'s' if self.excluded != 1 else ''}")
        if self.empty:
            parts.append("no pages yet")
        elif self.index is None or self.log is None:
            parts.append("no " + " or ".join(name for name, page in (("index", self.index), ("log", self.log)) if page is None) + " page")
        if self.index_floods:
            parts.append(f"missing-from-index off ({self.unreached} of {self.judged} pages unreachable from {self.index})")
        return ", ".join(parts)


def survey(root: Path) -> Survey:
    """Look at the wiki at `root` as kbsleep's defaults and Obsidian's settings see it."""
    from kbsleep.lint import Selection, lint
    from kbsleep.wiki import load_wiki
    from kbsleep.wiki.discovery import hidden_files, is_agent_file

    wiki = load_wiki(root, Config())  # the defaults: init writes a config afresh
    templates = _template_folders(wiki)
    hidden = _hidden(hidden_files(root, in_git=wiki.git_top is not None))
    set_aside = wiki.unjudged | template_pages(wiki, templates)
    judged = len(wiki.pages) - len(set_aside)
    unreached = 0
    if wiki.index_page is not None:
        report = lint(wiki, Selection(select=("missing-from-index",)))
        unreached = sum(1 for d in report.diagnostics if d.path not in set_aside)
    index = wiki.config.index_page if wiki.index_page is not None else None
    excluded = sum(1 for path in wiki.excluded if not is_agent_file(path))  # Obsidian's: the agent files are set aside by kbsleep itself
    log = wiki.config.log_page if wiki.config.log_page in wiki.pages else None
    return Survey(wiki.vault, len(wiki.pages), templates, hidden, excluded, index, unreached, judged, log)


def template_pages(wiki: Wiki, folders: tuple[TemplateFolder, ...] | None = None) -> frozenset[str]:
    """The pages in the templates folders found by name and content (`folders`, else found now)
    that Obsidian's settings and the config do not name: templates all the same, to write into."""
    under = tuple(found.folder + "/" for found in (_template_folders(wiki) if folders is None else folders))
    return frozenset(path for path in wiki.pages if path.startswith(under)) if under else frozenset()


def _template_folders(wiki: Wiki) -> tuple[TemplateFolder, ...]:
    """Folders named like templates folders whose pages are mostly templates (hold a template
    expression), outside the templates folders Obsidian's settings already name."""
    folders: dict[str, list[str]] = defaultdict(list)
    for path in wiki.pages:
        if path in wiki.templates:
            continue
        parts = path.split("/")[:-1]
        for depth, name in enumerate(parts):
            if TEMPLATE_FOLDER.fullmatch(name):
                folders["/".join(parts[: depth + 1])].append(path)
                break  # the outermost: a templates folder's subfolders are in it
    found = []
    for folder, paths in sorted(folders.items()):
        placeholders = sum(1 for path in paths if is_placeholder(wiki.pages[path].text))
        if placeholders * 2 >= len(paths) and placeholders:
            found.append(TemplateFolder(folder, placeholders, len(paths)))
    return tuple(found)


def _hidden(names: list[str]) -> tuple[Hidden, ...]:
    """Hidden folders (by their outermost hidden name) and hidden pages. Hidden files that are not
    pages outside a hidden folder (`.gitignore`, `.editorconfig`) and Obsidian's own `.obsidian/`
    are no news."""
    groups: dict[str, list[str]] = defaultdict(list)
    for name in names:
        parts = name.split("/")
        for depth, part in enumerate(parts):
            if part.startswith("."):
                folder = depth < len(parts) - 1
                groups["/".join(parts[: depth + 1]) + ("/" if folder else "")].append(name)
                break
    found = []
    for path, members in sorted(groups.items()):
        pages = sum(1 for name in members if name.lower().endswith(".md"))
        if path.rstrip("/") == SIDECARS:
            continue  # kbsleep's own answers (`init` put them there)
        if (path.endswith("/") and path != CONFIG_FOLDER + "/") or pages:
            found.append(Hidden(path, pages, len(members)))
    return tuple(found)
