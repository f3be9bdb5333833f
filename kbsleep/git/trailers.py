"""The trailers kbsleep writes into its commits, and reading them back: a module of its own,
without GitPython, since `kbsleep stats` counts runs by them too."""

from __future__ import annotations

from typing import Mapping, Sequence

TRAILER_PASS = "Kbsleep-Pass"
TRAILER_RUN = "Kbsleep-Run"
TRAILER_UNDO = "Kbsleep-Undo"


def message(subject: str, reasons: Sequence[str], trailers: Mapping[str, str]) -> str:
    """A commit message: the subject, a line per reason (if any), then the trailers."""
    lines = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    body = "\n\n" + "\n".join(reasons) if reasons else ""
    return f"{subject}{body}\n\n{lines}\n"


def parse(body: str) -> dict[str, str]:
    """The `Kbsleep-*` trailers of a commit message."""
    found = {}
    for line in body.strip().splitlines():
        key, sep, value = line.partition(": ")
        if sep and key.startswith("Kbsleep-"):
            found[key] = value.strip()
    return found
