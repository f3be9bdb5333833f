#!/usr/bin/env python3
"""Add the patterns of real Obsidian vaults to a generated vault, then commit them.

Usage::

    python benchmarks/generate_vault.py VAULT --pages 10000 --git --force --quiet
    python benchmarks/obsidian_patterns.py VAULT [--seed 1]
    kbsleep --wiki VAULT lint --statistics

What it adds (deterministically, standard library only), each something Obsidian writes or
shows without complaint, so none may give an error-tier finding:

- Properties as Obsidian's property editor leaves them, on about a third of the pages with
  frontmatter: a list property with an empty item (``tags:`` then a bare ``-``), an empty
  property (``status:``), ``tags`` as one string or as ``"#tag"``, ``cssclasses`` with an
  empty item.
- Repeated bold labels within a page, one per operating system and under several headings
  (``**macOS:** ...``, ``**Example:** ...``): a list of cases, never a conflict.
- A templates folder named in ``.obsidian/templates.json``, holding pages whose titles and
  aliases are placeholders (``{{title}}``, ``<% tp.file.title %>``) and whose bodies have
  empty sections and facts with placeholder values.
- Hidden folders Obsidian never shows (``.github/``, ``.trash/``), holding Markdown files with
  broken links and frontmatter of any shape.

It prints what it added; the lint of the result must show no error from any of it.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

TEMPLATE_FOLDER = "Templates"
TEMPLATES = {
    "Person": "---\ntitle: \"{{title}}\"\naliases:\n  - \"{{title}}\"\ntags:\n  - person\n  - \nborn: \nstatus:\n---\n\n# {{title}}\n\n**Born:** {{born}}\n\n## Biography\n\n## Related\n",
    "Place": "---\ntitle: \"{{title}}\"\naliases: [\"{{title}}\"]\ntags:\n  - \nfounded:\n---\n\n# {{title}}\n\nfounded:: {{founded}}\n\n## History\n",
    "Meeting": "---\ntitle: \"<% tp.file.title %>\"\ndate: <% tp.date.now(\"YYYY-MM-DD\") %>\ntags: meeting\n---\n\n# <% tp.file.title %>\n\n## Attendees\n\n## Notes\n\n[[<% tp.file.title %> minutes]]\n",
}
HIDDEN = {
    ".github/ISSUE_TEMPLATE/bug_report.md": "---\nname: Bug report\nabout: Create a report\nlabels: bug\nassignees: ''\n---\n\n**Describe the bug**\nSee [[Nonexistent page]] and [docs](missing.md).\n",
    ".github/pull_request_template.md": "## What\n\n- [ ] I linked [[Some page that is not here]]\n",
    ".trash/Old draft.md": "---\ntags:\n  -\n  - \nbroken: [unclosed\n---\n\n# Old draft\n\n[[Gone]]\n",
}
CASES = ("**macOS:** press Cmd+O.", "**Windows:** press Ctrl+O.", "**Linux:** press Ctrl+O.")


def frontmatter_end(lines: list[str]) -> int:
    """The index of the closing `---` of a page's frontmatter, or -1 when it has none."""
    if not lines or lines[0] != "---":
        return -1
    return next((i for i in range(1, len(lines)) if lines[i] == "---"), -1)


def with_properties(lines: list[str], end: int, rng: random.Random) -> tuple[list[str], str]:
    """The page's frontmatter rewritten the way Obsidian's property editor may leave it."""
    head, body = lines[1:end], lines[end:]
    kind = rng.choice(("empty-item", "empty-property", "tags-string", "tags-hash", "cssclasses"))
    if kind == "empty-item":
        for i, line in enumerate(head):
            if line.startswith("tags: ["):
                items = [t.strip() for t in line[len("tags: ["):-1].split(",") if t.strip()]
                head[i:i + 1] = ["tags:", *(f"  - {t}" for t in items), "  - "]
                break
            if line == "tags:":
                head.insert(i + 1, "  -")
                break
    elif kind == "empty-property":
        head.append("status:")
    elif kind in ("tags-string", "tags-hash"):
        start = next((i for i, line in enumerate(head) if line.startswith("tags:")), None)
        if start is not None:
            stop = start + 1
            while stop < len(head) and head[stop].startswith("  - "):
                stop += 1
            head[start:stop] = ["tags: meeting-notes" if kind == "tags-string" else 'tags: "#meeting-notes"']
    else:
        head += ["cssclasses:", "  - wide", "  - "]
    return ["---", *head, *body], kind


def with_cases(lines: list[str]) -> list[str]:
    """Two sections that each list the same bold labels with different values."""
    return [*lines, "", "## Opening a file", "", *CASES, "", "## Closing a file", "",
            *(case.replace("O.", "W.") for case in CASES), "",
            "**Example:** a first case.", "", "**Example:** another case."]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    vault: Path = args.vault
    counts: dict[str, int] = {}
    for path in sorted(vault.rglob("*.md")):
        rel = path.relative_to(vault).as_posix()
        if rel.startswith((".", "index.md", "log.md")):
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        end = frontmatter_end(lines)
        changed = False
        if end > 0 and rng.random() < 0.33:
            lines, kind = with_properties(lines, end, rng)
            counts[kind] = counts.get(kind, 0) + 1
            changed = True
        if rng.random() < 0.02:
            lines = with_cases(lines)
            counts["repeated-labels"] = counts.get("repeated-labels", 0) + 1
            changed = True
        if changed:
            path.write_text("\n".join(lines), encoding="utf-8")
    obsidian = vault / ".obsidian"
    obsidian.mkdir(exist_ok=True)
    (obsidian / "templates.json").write_text(json.dumps({"folder": TEMPLATE_FOLDER}), encoding="utf-8")
    for name, text in TEMPLATES.items():
        (vault / TEMPLATE_FOLDER).mkdir(exist_ok=True)
        (vault / TEMPLATE_FOLDER / f"{name}.md").write_text(text, encoding="utf-8")
        (vault / TEMPLATE_FOLDER / f"{name} (copy).md").write_text(text, encoding="utf-8")
    counts["templates"] = 2 * len(TEMPLATES)
    for rel, text in HIDDEN.items():
        (vault / rel).parent.mkdir(parents=True, exist_ok=True)
        (vault / rel).write_text(text, encoding="utf-8")
    counts["hidden files"] = len(HIDDEN)
    if (vault / ".git").is_dir():
        git = ["git", "-C", str(vault), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run([*git, "add", "-A", "--force", "."], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "Obsidian patterns"], check=True)
    print(", ".join(f"{n} {what}" for what, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
