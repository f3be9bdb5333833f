"""Helpers shared by the model-layer tests."""

from __future__ import annotations

from pydantic import BaseModel

from tests.conftest import TEST_KEY as TEST_KEY  # one dummy key for every test



class Answer(BaseModel):
    """The schema most tests ask for (module-level, so batch files can import it back)."""

    answer: str
    confidence: float
