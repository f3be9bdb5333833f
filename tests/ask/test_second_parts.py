"""A question in two parts gets a second unit for the words the first leaves out. When the first
holds the form asked ("... stopped in Fluxdb 3.2" for "In which version ...?"), a unit of its page
holding a name the question uses that nothing chosen holds ("`shard`: Old name of `shards`.") is
not asked for that form, and is not held to it; one from another page still is, and so is one
for a word that is no name (issue 19, measured with a sentence-embedding model)."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config

SETTINGS = """\
# Settings file

The settings file holds one key a line.

## Retired keys

These keys were retired in Fluxdb 2.4 and should be replaced with their current names. Reading them from the settings file stopped in Fluxdb 3.2.

| Key | Description |
|-|-|
| `bucket` | Old name of `buckets`. |
| `shard` | Old name of `shards`. |
| `ttl` | Old name of `retention`. |

## Current keys

`buckets` lists the buckets to create at start.
"""


def test_a_part_on_the_best_unit_s_page_need_not_hold_the_form_the_first_part_holds(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Settings file.md": SETTINGS, "Other.md": "# Other\n\nFluxdb writes its log to the data folder.\n"})
    got = ask(root, load_config(root), "In which Fluxdb version did reading the old `bucket` and `shard` keys stop?", engine="offline", record=False)
    assert got.found, got.why  # the version alone leaves the keys asked about unsaid
    assert got.text == "Reading them from the settings file stopped in Fluxdb 3.2. `shard`: Old name of `shards`."


def test_a_part_from_another_page_is_still_held_to_the_form(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({
        "Upload limits.md": "# Upload limits\n\nYou can upload files up to 20 MB in size to a Fluxdb bucket.\n\nUploads resume after a dropped connection.\n",
        "Backups.md": "# Backups\n\nThe maximum file size of a single Fluxdb archive depends on your backup plan.\n\nBackups run every night.\n",
    })  # fmt: skip
    got = ask(root, load_config(root), "What is the maximum size of a single file I can upload to a Fluxdb bucket?", engine="offline", record=False)
    assert got.text == "You can upload files up to 20 MB in size to a Fluxdb bucket."

