"""`kbsleep init`: a commented config, the state folder, and on request the hook and a CI workflow."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kbsleep import hooks
from kbsleep.errors import KbsleepError
from kbsleep.state import ensure_state_dir

CONFIG_TEMPLATE = """\
# kbsleep configuration: every key with its default. Delete what you do not change.
# Reference: https://pypi.org/project/kbsleep/ (README, "Configuration").

# exclude = []                 # globs of pages to leave out, gitignore-style ("drafts/")
# max-page-bytes = 5000000     # larger pages are reported, not parsed
# index-page = "index.md"      # the catalogue page
# log-page = "log.md"          # the append-only log
# inbox = "inbox"              # the folder of raw notes that consolidate folds in

[links]
# resolve = "obsidian"         # "obsidian": file names and paths only; "titles": titles and aliases too

[lint]
# select = []                  # rules to run (codes, prefixes like "KB1", names); empty = all but judgement
# ignore = []
# per-file-ignores = {}        # { "sources/**" = ["orphan-page"] }
# required-frontmatter = []    # e.g. ["sources", "updated"]
# orphan-exempt = ["index.md", "log.md", "inbox/**"]
# fail-on = "error"            # error, warning or judgement
# output-format = "full"       # full, concise, json, json-lines, github, sarif, junit

[llm]
# engine = "auto"              # auto: anthropic when ANTHROPIC_API_KEY or ANTHROPIC_BASE_URL is set, else offline
# model = "claude-haiku-4-5"   # bulk sleep-time work
# consolidate-model = "claude-sonnet-4-6"
# concurrency = 4
# batch = false                # Message Batches for sleep passes (half price, results later)
# max-cost-usd = 0.0           # default budget per run; 0 = none
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


@dataclass(frozen=True)
class Created:
    path: Path
    what: str


def init(wiki: Path, hook: bool = False, ci: str | None = None, force: bool = False) -> list[Created]:
    """Set a wiki up for kbsleep; refuses to overwrite files unless `force`."""
    if not wiki.is_dir():
        raise KbsleepError(f"wiki folder not found: {wiki}")
    created = [Created(ensure_state_dir(wiki), "state folder (git-ignored)")]
    config = wiki / "kbsleep.toml"
    if config.exists() and not force:
        raise KbsleepError(f"{config} exists", hint="pass --force to replace it")
    config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
    created.append(Created(config, "commented configuration"))
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
