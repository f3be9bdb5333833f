"""The one user-facing error type and the exit-code table."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """Process exit codes, shared by every command."""

    OK = 0
    FINDINGS = 1
    ERROR = 2  # usage, config or tool error
    INTERRUPTED = 130


class KbsleepError(Exception):
    """An error the user can act on; printed as one line, exit code 2."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
