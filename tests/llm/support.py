"""Helpers shared by the model-layer tests."""

from __future__ import annotations

from pydantic import BaseModel

TEST_KEY = "sk-ant-test-DO-NOT-LEAK-5f2c9a71"  # a dummy; set with monkeypatch.setenv only


class Answer(BaseModel):
    """The schema most tests ask for (module-level, so batch files can import it back)."""

    answer: str
    confidence: float
