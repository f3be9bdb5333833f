"""`kbsleep init`: a commented config that fits the vault, the state folder, and on request the
hook and a CI workflow.

The config is written for what `survey` finds: a templates folder known only by its name and
its placeholders (Obsidian's and Templater's settings are read at every run and need no line),
hidden files and Excluded files (listed, with the `include` line that would bring them back),
an index page that most pages cannot be reached from (its rule is turned off, said why), and
the index and log pages: set (consolidate then creates and keeps them) for a new, empty wiki
and with `--agent` (an LLM-maintained wiki), left commented out for a vault written by hand,
whose index and log consolidate keeps only if they exist; and for a vault written by hand (no
index or log page), the precomputed answers kept beside its pages, in a hidden folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kbsleep import hooks
from kbsleep.errors import KbsleepError
from kbsleep.state import ensure_state_dir
from kbsleep.survey import SIDECARS, Survey, survey

__all__ = ["Created", "Survey", "init", "render_config", "survey"]

CONFIG_TEMPLATE = """\
# kbsleep configuration: every key with its default. Delete what you do not change.
# Reference: https://pypi.org/project/kbsleep/ (README, "Configuration").
{survey}
# exclude = []                 # globs of pages to leave out, gitignore-style ("drafts/")
{include}
# read-only = ["raw/"]         # pages kbsleep reads and never writes (an LLM wiki's sources); [] = none
# max-page-bytes = 5000000     # larger pages are reported, not parsed
{pages}
# inbox = "inbox"              # raw notes that consolidate folds in: set here, or in an LLM wiki (an index or log page)
# max-pages-per-run = 500      # a pass that would change more asks first (without a terminal: writes that many); 0 = no limit

[links]
# resolve = "obsidian"         # "obsidian": file names and paths only; "titles": titles and aliases too

[lint]
# select = []                  # rules to run (codes, prefixes like "KB1", names); empty = all but judgement
{ignore}
# per-file-ignores = {{}}        # {{ "sources/**" = ["orphan-page"] }}
# required-frontmatter = []    # e.g. ["sources", "updated"]
# orphan-exempt = ["index.md", "log.md", "inbox/**"]
{templates}
# fail-on = "error"            # error, warning or judgement
# output-format = "full"       # full, concise, json, json-lines, github, sarif, junit

[llm]
# engine = "auto"              # auto: anthropic when ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL is set, else offline
# model = "claude-haiku-4-5"   # bulk sleep-time work
# consolidate-model = "claude-sonnet-4-6"
# concurrency = 4
# structured = "auto"          # JSON replies: native (output_config), prompt (schema in the prompt), auto: native where the endpoint has it
# batch = false                # Message Batches for sleep passes (half price, results later)
# max-cost-usd = 0.0           # default budget per run; 0 = none

[anticipate]
{answers}
"""

GITHUB_WORKFLOW = """\
name: wiki
on: [push, pull_request]
jobs:
  lint:
    runs-on: ubuntu-latest
    permissions: { contents: read, security-events: write }
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: { python-version: "3.12" }
      - run: pip install kbsleep
      - run: kbsleep --wiki {wiki} lint --output-format github
      - if: always()
        run: kbsleep --wiki {wiki} lint --output-format sarif -o kbsleep.sarif --exit-zero
      - if: always()
        uses: github/codeql-action/upload-sarif@v3
        with: { sarif_file: kbsleep.sarif }
"""


PAGES_SET = """\
index-page = "index.md"        # the catalogue page: consolidate keeps it, and creates it when it is missing
log-page = "log.md"            # the append-only log: the same"""

PAGES_UNSET = """\
# index-page = "index.md"      # the catalogue page: consolidate keeps it when it exists; set here, creates it too
# log-page = "log.md"          # the append-only log: the same"""


ANSWERS_IN_PAGES = """\
# store = "page"               # "page": answers in each page; "sidecar": in files of their own, pages untouched
# sidecar-folder = "_kbsleep/answers"  # with "sidecar": one file per page here, at the page's path (never a page)"""

ANSWERS_BESIDE = f"""\
store = "sidecar"              # a vault written by hand: the answers in files of their own, its pages untouched
sidecar-folder = "{SIDECARS}"  # one file per page, at the page's path; hidden, so Obsidian does not show it"""


def render_config(found: Survey, llm_wiki: bool = False) -> str:
    """The commented config, with what `found` calls for set and explained; `llm_wiki`: the
    index and log pages set, for consolidate to create and keep."""
    notes: list[str] = []
    include, ignore, templates = [], [], []
    vault = found.vault
    named: dict[str, list[str]] = {}  # one folder may be both the Templates plugin's and Templater's
    for name, folder in vault.templates:
        named.setdefault(folder, []).append(name)
    for folder, names in named.items():
        notes.append(f"Templates folder {_quoted(folder + '/')} (from {' and '.join(names)}): read from there at every run; its pages' links are checked, their content is not judged.")
    for item in found.templates:
        notes.append(f"Templates folder {_quoted(item.folder + '/')}: {item.placeholders} of its {_count(item.pages, 'page')} {'holds' if item.placeholders == 1 else 'hold'} {{{{...}}}} or <%...%> placeholders; set in [lint] templates below.")
        templates.append(item.folder + "/**")
    if found.hidden:
        listed = ", ".join(f"{_quoted(h.path)} ({_count(h.pages, 'page')}" + (f", {_count(h.files - h.pages, 'other file')})" if h.files > h.pages else ")") for h in found.hidden[:10])
        more = f", and {len(found.hidden) - 10} more" if len(found.hidden) > 10 else ""
        notes.append(f"Hidden files and folders (names starting with \".\"), ignored as Obsidian ignores them: {listed}{more}. To lint one anyway, add it to `include`.")
        include.append(found.hidden[0].path)
    if vault.excluded:
        filters = ", ".join(f"`{f}`" for f in vault.excluded)
        notes.append(f"Obsidian's Excluded files (.obsidian/app.json): {filters}, {_count(found.excluded, 'page')}: links to them open, nothing on them is judged. To lint them anyway, add them to `include`.")
    for problem in vault.problems:
        notes.append(f"Warning: {problem}.")
    missing = [(what, page) for what, page, there in (("index", "index.md", found.index), ("log", "log.md", found.log)) if there is None]
    if llm_wiki and missing:
        why = "An empty vault, set up" if found.empty else "With `--agent`, set up"
        pages = " and ".join(f"{page} ({'a catalogue of the pages' if what == 'index' else 'a record of what was done'})" for what, page in missing)
        notes.append(f"{why} as an LLM wiki: `index-page` and `log-page` are set below, so consolidate creates and keeps {pages}. Comment them out to have neither.")
    elif missing:
        pages = " or ".join(f"{what} page ({page})" for what, page in missing)
        keys = " and ".join(f"`{what}-page`" for what, _ in missing)
        unchecked = ", and missing-from-index reports nothing" if found.index is None else ""
        notes.append(f"No {pages}: consolidate creates {'neither' if len(missing) > 1 else 'none'}{unchecked}. Set {keys} below to have consolidate create and keep {'them' if len(missing) > 1 else 'it'}.")
    beside = not llm_wiki and not found.empty and found.index is None and found.log is None
    if beside:
        notes.append(f"A vault written by hand (no index or log page): `anticipate` keeps its precomputed answers in {_quoted(SIDECARS + '/')}, one file per page, so no page of yours changes. Set `store = \"page\"` below to have them in each page.")
    if found.index_floods:
        notes.append(f"{found.unreached} of {found.judged} pages cannot be reached from {found.index}: missing-from-index is off below; turn it on once the index links most pages.")
        ignore.append("missing-from-index")
    survey_text = ""
    if notes:
        survey_text = "#\n# What `kbsleep init` found in this vault:\n" + "".join(_comment(note) for note in notes)
    return CONFIG_TEMPLATE.format(
        survey=survey_text,
        include="# include = []                 # hidden files, or Obsidian's Excluded files, to lint anyway" + (f" (e.g. {_list(include)})" if include else ""),
        ignore=f"ignore = {_list(ignore)}  # see above" if ignore else "# ignore = []",
        pages=PAGES_SET if llm_wiki else PAGES_UNSET,
        answers=ANSWERS_BESIDE if beside else ANSWERS_IN_PAGES,
        templates=f"templates = {_list(templates)}  # template pages: links checked, content not judged" if templates else "# templates = []               # globs of template pages, besides Obsidian's and Templater's templates folders",
    )


def _comment(note: str, width: int = 96) -> str:
    """A note as `# - ` comment lines of at most about `width` characters."""
    lines, line = [], "# -"
    for word in note.split(" "):
        if len(line) + 1 + len(word) > width and line not in ("# -", "#  "):
            lines.append(line)
            line = "#  "
        line += " " + word
    lines.append(line)
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A path in a comment: quoted, nothing escaped."""
    return f'"{text}"'


def _list(items: list[str]) -> str:
    """A TOML array of strings (JSON's string escapes are TOML's)."""
    return "[" + ", ".join(json.dumps(item, ensure_ascii=False) for item in items) + "]"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


@dataclass(frozen=True)
class Created:
    path: Path
    what: str
    verb: str = "wrote"  # "kept": a file already as it should be


def init(wiki: Path, hook: bool = False, ci: str | None = None, force: bool = False, agent: bool = False) -> list[Created]:
    """Set a wiki up for kbsleep; refuses to overwrite files unless `force`.

    With `agent`, the house rules are written into the wiki's AGENTS.md / CLAUDE.md (see
    `kbsleep.agents`), and a config that exists is kept rather than refused: `init --agent`
    is also how a wiki set up earlier gets, or refreshes, its rules.
    """
    if not wiki.is_dir():
        raise KbsleepError(f"wiki folder not found: {wiki}")
    created = [Created(ensure_state_dir(wiki), "state folder (git-ignored)")]
    config = wiki / "kbsleep.toml"
    if config.exists() and not force and not agent:
        raise KbsleepError(f"{config} exists", hint="pass --force to replace it")
    if force or not config.exists():
        found = survey(wiki)
        config.write_text(render_config(found, llm_wiki=agent or found.empty), encoding="utf-8")
        created.append(Created(config, "commented configuration" + (f": {found.summary()}" if found.summary() else "")))
    if agent:
        created.extend(_agent_rules(wiki))
    if hook:
        created.append(Created(hooks.install(wiki, "pre-commit", force=force), "git pre-commit hook"))
    if ci is not None:
        if ci != "github":
            raise KbsleepError(f"unknown CI `{ci}`", hint="`--ci github` is supported")
        top = hooks.toplevel(wiki)
        workflow = top / ".github" / "workflows" / "kbsleep.yml"
        if workflow.exists() and not force:
            raise KbsleepError(f"{workflow} exists", hint="pass --force to replace it")
        workflow.parent.mkdir(parents=True, exist_ok=True)
        rel = wiki.resolve().relative_to(top.resolve()).as_posix() or "."
        workflow.write_text(GITHUB_WORKFLOW.replace("{wiki}", rel), encoding="utf-8")
        created.append(Created(workflow, "GitHub Actions workflow"))
    return created


def _agent_rules(wiki: Path) -> list[Created]:
    from kbsleep import agents
    from kbsleep.changes import git_top
    from kbsleep.config import load_config

    top = git_top(wiki)
    config = load_config(wiki, None, top)
    subfolder = None
    if top is not None:
        rel = wiki.resolve().relative_to(top.resolve()).as_posix()
        subfolder = rel if rel not in ("", ".") else None
    return [
        Created(item.path, f"agent rules: {item.what}", "kept" if item.what.startswith("unchanged") else "wrote")
        for item in agents.write(wiki, config, subfolder)
    ]
