"""What kbsleep learned about an endpoint: the models it serves without native structured output.

Kept in `<wiki>/.kbsleep/endpoints.json` by base URL (without credentials) and model, so the
next run sends those models the prompt form at once instead of learning it again from a 400.
Deleting the file, or a run with `llm.structured = "native"`, tries native output again.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

PROMPT_FORM = "prompt-form"  # url -> {PROMPT_FORM: {model: the endpoint's reason}}


class EndpointMemory:
    """The models of one endpoint that get the prompt form; safe to share between threads."""

    def __init__(self, path: Path | None, url: str) -> None:
        self.path, self.url = path, url
        self._lock = threading.Lock()
        self.prompt_form: dict[str, str] = dict(self._read().get(url, {}).get(PROMPT_FORM, {}))

    def uses_prompt_form(self, model: str) -> bool:
        return model in self.prompt_form

    def remember(self, model: str, reason: str) -> None:
        """`model` gets the prompt form from now on, in this run and (with a state dir) later ones."""
        with self._lock:
            if model in self.prompt_form:
                return
            self.prompt_form[model] = reason
            if self.path is None:
                return
            data = self._read()
            data.setdefault(self.url, {}).setdefault(PROMPT_FORM, {})[model] = reason
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            temporary.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            temporary.replace(self.path)

    def _read(self) -> dict[str, dict[str, dict[str, str]]]:
        """The file's contents; a missing or damaged file is an empty memory, never an error."""
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            str(url): {PROMPT_FORM: {str(m): str(r) for m, r in entry[PROMPT_FORM].items()}}
            for url, entry in data.items()
            if isinstance(entry, dict) and isinstance(entry.get(PROMPT_FORM), dict)
        }
