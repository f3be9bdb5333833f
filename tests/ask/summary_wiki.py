"""A small wiki for the summary tests: one long section whose summary must leave sentences out."""

from __future__ import annotations

CONFLICTS = """\
Sync merges edited Markdown notes.
Other files follow a last-modified-wins rule, so the newest copy replaces the older ones.
Settings files are merged key by key on the device that uploads second.
Starting in version 1.9.7 you can pick how conflicts are handled.
A notice appears in the corner whenever a conflict was resolved for you.
The sync log lists each reconciled file together with the name of the device it came from.
"""

SYNC = f"""\
# Sync

Sync keeps your vault the same on every device.

## Conflicts

{CONFLICTS}
## Prices

- Standard: $4 a month
- Plus: $8 a month
"""

RECOVERY = """\
# File recovery

File recovery keeps snapshots of your notes for 7 days by default.
"""


def files(sync: str = SYNC) -> dict[str, str]:
    return {"Sync.md": sync, "File recovery.md": RECOVERY}
