"""What Obsidian itself sets aside in a vault: hidden names, Excluded files, templates.

- Hidden: Obsidian never indexes a file or folder whose name starts with `.`, at any depth
  (its Sync help: "Files and folders beginning with a `.` are treated as hidden"). Such files
  are not pages, attachments or link targets; `include` in kbsleep's config brings one back.
- Excluded files (Settings > Files and links > Excluded files, `userIgnoreFilters` in
  `.obsidian/app.json`): "hidden in Search, Graph View, and Unlinked Mentions, and less
  noticeable in Quick Switcher and link suggestions" (help: User interface/Settings.md). They
  stay in the vault, so links to them still open them; kbsleep keeps them as pages (link
  targets, their links in the graph) but judges nothing on them. A filter is a path prefix,
  or a regular expression between slashes, both case-insensitive (the format Obsidian writes,
  as read by the Advanced Exclude plugin, src/IgnorePatterns.ts).
- Templates: the core Templates plugin's folder (`.obsidian/templates.json`, `folder`) and
  Templater's (`.obsidian/plugins/templater-obsidian/data.json`, `templates_folder`). Their
  pages are not judged as content; their links are still checked. A name holding a template
  expression (`{{title}}`, `<% tp.file.title %>`) is a placeholder, never a real name.
- Plugin files: a note a plugin keeps in a format of its own, marked by a property (the Kanban
  plugin's boards, `kanban-plugin`; the Excalidraw plugin's drawings, `excalidraw-plugin`). The
  plugin reads the file into its own model and writes it back from that model: the Kanban
  plugin "will overwrite any markdown not in the kanban format" (its author, mgmeyers/
  obsidian-kanban issue #506), and Excalidraw finds its drawing data by the exact layout it wrote
  (zsviczian/obsidian-excalidraw-plugin issue #182). Their headings are lanes or the plugin's
  data sections, not an outline; no pass writes into them.

The settings are read from the vault folder: the wiki folder, or the nearest folder above it
(inside its git work tree) that holds `.obsidian/`. A settings file that cannot be read is a
problem to report, never an error: Obsidian too carries on without it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

CONFIG_FOLDER = ".obsidian"  # Obsidian's default; an override is kept per device, not in the vault
APP = f"{CONFIG_FOLDER}/app.json"
TEMPLATES = f"{CONFIG_FOLDER}/templates.json"
TEMPLATER = f"{CONFIG_FOLDER}/plugins/templater-obsidian/data.json"
PLACEHOLDER = re.compile(r"\{\{.*?\}\}|<%.*?%>", re.DOTALL)
# The file types Obsidian opens (help, *Files and folders/Accepted file formats*).
FILE_FORMATS = ("md", "base", "canvas", "avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp", "flac", "m4a", "mp3", "ogg", "wav", "webm", "3gp", "mkv", "mov", "mp4", "ogv", "pdf")


# The property that marks a note a plugin keeps in its own format -> what the note is, in words.
PLUGIN_FILES = {"kanban-plugin": "a Kanban board", "excalidraw-plugin": "an Excalidraw drawing"}


def plugin_file(properties: Mapping[str, Any]) -> str | None:
    """What a note is when a plugin keeps it in a format of its own ("an Excalidraw drawing"),
    from its properties; None for a note of Markdown anyone may write."""
    return next((what for key, what in PLUGIN_FILES.items() if key in properties), None)


def is_hidden(path: str) -> bool:
    """Does a wiki path have a file or folder name starting with `.` (at any depth)?"""
    return path[:1] == "." or "/." in path


def is_placeholder(text: str) -> bool:
    """Is this name (a title, alias or link target) a template expression such as `{{title}}`?"""
    return ("{{" in text or "<%" in text) and PLACEHOLDER.search(text) is not None


@dataclass(frozen=True)
class VaultSettings:
    """The Obsidian settings that decide which pages kbsleep judges."""

    prefix: str = ""  # the wiki folder inside the vault: "" or "notes/"
    excluded: tuple[str, ...] = ()  # `userIgnoreFilters`, as written
    templates: tuple[tuple[str, str], ...] = ()  # (settings file, vault-relative folder)
    problems: tuple[str, ...] = ()  # what could not be read, for a warning

    def excluder(self) -> Callable[[str], bool] | None:
        """A test of wiki paths against the Excluded files filters (None: there are none)."""
        prefixes, expressions, _ = _exclusion_patterns(self.excluded)
        return _matcher(self.prefix, prefixes, expressions)

    def template_folders(self) -> tuple[str, ...]:
        """The templates folders as wiki paths (those inside the wiki)."""
        folders = []
        for _, folder in self.templates:
            if folder.lower().startswith(self.prefix.lower()):
                folders.append(folder[len(self.prefix) :])
        return tuple(dict.fromkeys(folders))


def read_vault(root: Path, top: Path | None = None) -> VaultSettings:
    """The vault settings of the wiki at `root` (its git work tree's `top` bounds the search)."""
    vault = _vault_root(root, top)
    if vault is None:
        return VaultSettings()
    prefix = root.resolve().relative_to(vault.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    problems: list[str] = []
    where = "" if vault.resolve() == root.resolve() else f"{vault}/"
    app = _read_json(vault, APP, where, problems)
    excluded: tuple[str, ...] = ()
    if app is not None:
        filters = app.get("userIgnoreFilters", [])
        if isinstance(filters, list) and all(isinstance(f, str) for f in filters):
            excluded = tuple(f for f in filters if f)
            problems.extend(f"{where}{APP}: {message}" for message in _exclusion_patterns(excluded)[2])
        else:
            problems.append(f"{where}{APP}: `userIgnoreFilters` is not a list of strings; Excluded files are not applied")
    templates: list[tuple[str, str]] = []
    for name, key in ((TEMPLATES, "folder"), (TEMPLATER, "templates_folder")):
        settings = _read_json(vault, name, where, problems)
        if settings is None or key not in settings:
            continue
        folder = settings[key]
        if not isinstance(folder, str):
            problems.append(f"{where}{name}: `{key}` is not a folder path; ignored")
            continue
        folder = folder.strip().strip("/")
        if folder:  # empty: not set (the vault root as a templates folder would set aside every page)
            templates.append((name, folder))
    return VaultSettings(prefix, excluded, tuple(templates), tuple(problems))


def _vault_root(root: Path, top: Path | None) -> Path | None:
    """The folder holding `.obsidian/`: the wiki's own, else the nearest above it inside git."""
    if (root / CONFIG_FOLDER).is_dir():
        return root
    if top is None:
        return None
    top = top.resolve()
    for folder in root.resolve().parents:
        if not folder.is_relative_to(top):
            break
        if (folder / CONFIG_FOLDER).is_dir():
            return folder
    return None


def _read_json(vault: Path, name: str, where: str, problems: list[str]) -> dict[str, Any] | None:
    path = vault / name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{where}{name}: cannot be read ({getattr(exc, 'strerror', None) or exc}); its settings are not applied")
        return None
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(f"{where}{name}: invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg}); its settings are not applied")
        return None
    if not isinstance(found, dict):
        problems.append(f"{where}{name}: not a JSON object; its settings are not applied")
        return None
    return found


def _exclusion_patterns(filters: Iterable[str]) -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...], list[str]]:
    """The filters as lowercased path prefixes and as expressions (`/regex/`), and the problems
    of those that are not valid expressions (left out, as Obsidian leaves them out)."""
    prefixes, expressions, problems = [], [], []
    for text in filters:
        if len(text) > 2 and text.startswith("/") and text.endswith("/"):
            try:
                expressions.append(re.compile(text[1:-1], re.IGNORECASE))
            except re.error as exc:
                problems.append(f"Excluded files filter `{text}` is not a valid regular expression ({exc}); ignored")
        else:
            prefixes.append(text.lower())
    return tuple(prefixes), tuple(expressions), problems


def _matcher(prefix: str, prefixes: tuple[str, ...], expressions: tuple[re.Pattern[str], ...]) -> Callable[[str], bool] | None:
    if not prefixes and not expressions:
        return None

    def excluded(path: str) -> bool:
        path = prefix + path  # the filters are written against the vault's paths
        return path.lower().startswith(prefixes) or any(e.search(path) for e in expressions)

    return excluded
