"""A small wiki for the ask tests, with precomputed answers written the way anticipate writes them."""

from __future__ import annotations

from kbsleep import answers
from kbsleep.answers import QA
from kbsleep.wiki.fences import source_text_hash

COBALT = """\
---
title: Cobalt
aliases:
  - Cobalt pipeline
---

# Cobalt

Cobalt is the data pipeline of the Evra Coast Observatory. It compiles deployment manifests
into processing graphs.

## Maintainers

Dev Arunachalam has maintained the Cobalt compiler since 2021, with two part-time contributors.

## Licensing

Version 4.0 was released under the Apache License 2.0 in 2023.
"""

ADA = """\
# Ada Lovelace

Ada Lovelace was a mathematician. She was born in London in 1815 and wrote the first published
algorithm for Babbage's Analytical Engine.
"""

BRUECKE = """\
# Alte Brücke

Die Alte Brücke wurde 1901 aus rotem Sandstein gebaut. Sie verbindet die Altstadt mit dem Hafen.
"""

TOWER = """\
# 東京タワー

東京タワーは1958年に完成した電波塔です。高さは333メートルです。
"""

MAINTAINER_QA = QA(
    "Who maintains the Cobalt compiler?",
    "Dev Arunachalam has maintained it since 2021. [[Cobalt#Maintainers]]",
    ("Cobalt#Maintainers",),
)
LICENCE_QA = QA(
    "What licence does Cobalt use?",
    "The Apache License 2.0, since version 4.0. [[Cobalt#Licensing]]",
    ("Cobalt#Licensing",),
)


def with_answers(text: str, qas: tuple[QA, ...] = (MAINTAINER_QA, LICENCE_QA)) -> str:
    """`text` with a fresh anticipate section, as the anticipate pass would write it."""
    block = answers.render(qas, {"source": source_text_hash(text), "model": "test", "date": "2026-11-26"})
    return answers.replace(text, block)


def wiki_files(cobalt: str | None = None) -> dict[str, str]:
    return {
        "index.md": "# Index\n\n- [[Cobalt]]\n- [[Ada Lovelace]]\n- [[Alte Brücke]]\n- [[東京タワー]]\n",
        "log.md": "# Log\n\n## [2026-11-26] ingest | Cobalt\n",
        "projects/Cobalt.md": cobalt if cobalt is not None else with_answers(COBALT),
        "people/Ada Lovelace.md": ADA,
        "orte/Alte Brücke.md": BRUECKE,
        "places/東京タワー.md": TOWER,
    }
