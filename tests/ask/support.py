"""A small wiki for the ask tests, with precomputed answers written the way anticipate writes them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from threading import Thread

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


@contextmanager
def embeddings_server(reply: Callable[[dict], dict | int]) -> Iterator[str]:
    """A real OpenAI-compatible `POST /v1/embeddings` on 127.0.0.1 for the endpoint backend: each
    request's JSON body goes to `reply`, which returns the JSON to answer, or an HTTP error
    status. Yields the API base (`http://127.0.0.1:PORT/v1`)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            answer = reply(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            if isinstance(answer, int):
                self.send_error(answer)
                return
            body = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1"
    finally:
        server.shutdown()


class TwoRankings:
    """An index with a BM25 ranking (`hits`, in order) and a vector ranking: the rows of
    `nearest`, or the hits in reverse; no links. For testing how `retrieve` fuses them."""

    embedder = None  # no questions of its own to compare (search.peers)

    def __init__(self, hits: list, nearest: list[int] | None = None) -> None:  # type: ignore[type-arg]
        self.hits = hits
        self.order = nearest if nearest is not None else [h.id for h in reversed(hits)]

    def search(self, terms, k=20):  # type: ignore[no-untyped-def]
        return self.hits

    def nearest(self, vector, k=30):  # type: ignore[no-untyped-def]
        return [(row, 0.6) for row in self.order]

    def sections(self, ids):  # type: ignore[no-untyped-def]
        return [h for i in ids for h in self.hits if h.id == i]

    def linked(self, pages):  # type: ignore[no-untyped-def]
        return {}

    def page_sections(self, pages):  # type: ignore[no-untyped-def]
        return []

    def anchored(self, ids):  # type: ignore[no-untyped-def]
        return []

    def pages_named(self, name, alias=False):  # type: ignore[no-untyped-def]
        return ()

    def shared_names(self, pages):  # type: ignore[no-untyped-def]
        return set()

    def aliases_of(self, pages):  # type: ignore[no-untyped-def]
        return {}

