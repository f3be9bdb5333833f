"""Identifying properties: what tells two pages of one name and one text apart as two things.

A page that gives an identifying property (`id`, `uid`, `isbn`, `doi`, any `*_id`: `plugin-id`,
`bead_id`, `campaign_id`) a value is the record of the thing that value names; two pages that
give one such key different values are two things however alike their text: obsidian-hub keeps a
discontinued plugin's page beside its successor's (one title, one description, two plugin IDs),
and an LLM wiki's issue-tracker pages (`bead_id: jleechan-81q`, `bead_id: jleechan-5cm`) share a
title and a template. Our choice (Obsidian has no notion of duplicates): such pages are neither a
merge for consolidate's `duplicates` task nor duplicate-page's finding.
"""

from __future__ import annotations

from kbsleep.wiki.page import Page

_ID_KEYS = frozenset("id uid uuid isbn issn doi orcid wikidata".split())  # and any key ending in `_id`


def identifiers(page: Page) -> dict[str, str]:
    """A page's identifying properties, key -> value folded: `id`, `plugin-id`, `uid`, `isbn`,
    `doi` ... (one value each; a list or an empty value identifies nothing)."""
    found: dict[str, str] = {}
    for field in page.fields:
        if field.task:
            continue  # a task's `[id:: 3f9a]` (the Tasks plugin's) identifies the task
        key, value = field.key, field.value.strip().strip("`'\"").casefold()
        if value and "," not in value and (key in _ID_KEYS or key.endswith("_id")):
            found.setdefault(key, value)
    return found


def different_ids(a: Page, b: Page) -> str | None:
    """The identifying property two pages give different values ("plugin_id: obsidian-stenography-plugin"
    and "stenography-obsidian": two plugins of one name and one text), or None."""
    mine, theirs = identifiers(a), identifiers(b)
    return next((key for key in sorted(mine.keys() & theirs.keys()) if mine[key] != theirs[key]), None)
