"""The endpoint embeddings backend (`embeddings.backend = "endpoint"`), against a real local HTTP
server that serves deterministic vectors: a switch of model, what each `ask` sends, and errors."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from kbsleep.ask import ask
from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.errors import KbsleepError
from kbsleep.search import vector_store, vectors
from kbsleep.search.endpoint import EndpointEmbedder
from kbsleep.search.index import Index
from tests.ask.support import embeddings_server, wiki_files


@dataclass
class FakeModel:
    """Each word hashed to a dimension: texts that share words get close vectors."""

    dim: int = 16
    mixed: bool = False  # one vector of each reply one dimension short
    fail_after: int | None = None  # requests answered before the server answers 500
    inputs: list[list[str]] = field(default_factory=list)

    def reply(self, body: dict) -> dict | int:
        """The endpoint's answer to one request: the vectors, or 500 once `fail_after` requests were answered."""
        if self.fail_after is not None:
            if self.fail_after <= 0:
                return 500
            self.fail_after -= 1
        self.inputs.append(list(body["input"]))
        data = [{"index": i, "embedding": self.vector(t)} for i, t in enumerate(body["input"])]
        if self.mixed and len(data) > 1:
            data[-1]["embedding"] = data[-1]["embedding"][:-1]
        return {"data": data}

    def vector(self, text: str) -> list[float]:
        row = [0.0] * self.dim
        for word in text.casefold().split():
            row[int(hashlib.sha1(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        row[0] += 0.5  # no text is a zero vector
        return row


@pytest.fixture
def endpoint() -> Iterator[tuple[str, FakeModel]]:
    model = FakeModel()
    fresh_process()
    with embeddings_server(model.reply) as url:
        yield url, model
    fresh_process()


def fresh_process() -> None:
    """Forget the embedders and matrices this process loaded, as a new `kbsleep` process would."""
    vectors._endpoint.cache_clear()
    vector_store._MATRICES.clear()


def configure(root: Path, url: str, model: str = "fake") -> None:
    (root / "kbsleep.toml").write_text(f'[embeddings]\nbackend = "endpoint"\nurl = "{url}"\nmodel = "{model}"\ntimeout = 5.0\n', encoding="utf-8")


def answer(root: Path, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def matrix_width(root: Path) -> int:
    with Index(root, load_config(root)) as index:
        index.refresh()
        token = index.db.execute("SELECT value FROM meta WHERE key = 'matrix'").fetchone()[0]
    return int(np.load(vector_store.matrix_paths(root / ".kbsleep", token)[0], mmap_mode="r").shape[1])


def test_another_embedder_gets_a_matrix_of_its_own_vectors_not_the_last_ones(make_repo, endpoint) -> None:  # type: ignore[no-untyped-def]
    url, model = endpoint
    root = make_repo(wiki_files())
    configure(root, url, "small")
    assert matrix_width(root) == 16
    model.dim = 24
    configure(root, url, "large")
    fresh_process()
    # the pages did not change, only the embedder: the matrix is built from the new vectors
    assert matrix_width(root) == 24
    got = answer(root, "When was Ada Lovelace born?")
    assert "1815" in got.text and got.retrieved[0] == "people/Ada Lovelace.md"


def test_an_ask_sends_only_texts_never_embedded_before_in_any_process(make_repo, endpoint) -> None:  # type: ignore[no-untyped-def]
    url, model = endpoint
    root = make_repo(wiki_files())
    configure(root, url)
    first = answer(root, "When was Ada Lovelace born?")
    sent = [t for batch in model.inputs for t in batch]
    assert sent.count("When was Ada Lovelace born?") == 1  # embedded once, though searched with and compared with
    model.inputs.clear()
    fresh_process()
    again = answer(root, "When was Ada Lovelace born?")
    assert model.inputs == [] and again.text == first.text and again.citations == first.citations
    other = answer(root, "Who was Ada Lovelace?")
    sent = [t for batch in model.inputs for t in batch]
    assert "Who was Ada Lovelace?" in sent and "When was Ada Lovelace born?" not in sent
    assert [p.name for p in (root / ".kbsleep").glob("endpoint-*.sqlite")] == [f"endpoint-{hashlib.blake2b(b'endpoint-fake@' + url.encode() + b'/1', digest_size=16).hexdigest()}.sqlite"]
    assert other.text


def test_a_model_changed_behind_the_same_name_is_said_and_index_rebuild_recovers(make_repo, endpoint, capsys) -> None:  # type: ignore[no-untyped-def]
    url, model = endpoint
    root = make_repo(wiki_files())
    configure(root, url)
    answer(root, "When was Ada Lovelace born?")
    model.dim = 24
    fresh_process()
    with pytest.raises(KbsleepError, match=r"the search index's vectors have 16 dimensions and the question's 24: the embedding model changed"):
        answer(root, "Where is the Alte Brücke?")
    assert main(["--wiki", str(root), "ask", "Where is the Alte Brücke?", "--engine", "offline"]) == 2
    err = capsys.readouterr().err
    assert "kbsleep index --rebuild" in err and "Traceback" not in err
    assert main(["--wiki", str(root), "index", "--rebuild"]) == 0
    fresh_process()
    assert "1815" in answer(root, "When was Ada Lovelace born?").text and matrix_width(root) == 24


def test_a_reply_with_vectors_of_two_sizes_is_said(make_repo, endpoint) -> None:  # type: ignore[no-untyped-def]
    url, model = endpoint
    model.mixed = True
    embedder = EndpointEmbedder(url, "fake")
    with pytest.raises(KbsleepError, match=r"returned vectors of 15 and 16 dimensions in one run"):
        embedder.embed(["one text", "another text"])


def test_an_endpoint_that_is_down_at_index_time_is_one_line_not_a_traceback(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(wiki_files())
    configure(root, "http://127.0.0.1:9/v1")
    fresh_process()
    assert main(["--wiki", str(root), "index"]) == 2
    err = capsys.readouterr().err
    assert "the embeddings endpoint http://127.0.0.1:9/v1/embeddings failed" in err and "Traceback" not in err


def test_the_cache_gives_the_vectors_the_endpoint_gave(make_repo, endpoint, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, model = endpoint
    texts = ["Ada Lovelace was born in 1815.", "born", "", "x" * 5000]
    direct = EndpointEmbedder(url, "fake").embed_fresh(texts)
    cached = EndpointEmbedder(url, "fake", state=tmp_path)
    assert np.array_equal(cached.embed(texts), direct)
    model.inputs.clear()
    again = EndpointEmbedder(url, "fake", state=tmp_path).embed(list(reversed(texts)))
    assert model.inputs == [] and np.array_equal(again, direct[::-1])
    assert all(math.isclose(float(np.linalg.norm(row)), 1.0, rel_tol=1e-5) for row in again)


def test_a_switch_of_embedder_interrupted_halfway_is_finished_by_the_next_index(make_repo, endpoint, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url, model = endpoint
    root = make_repo(wiki_files())
    configure(root, url, "small")
    assert matrix_width(root) == 16
    monkeypatch.setattr(vector_store, "CHUNK", 2)  # the vectors are committed two texts at a time
    model.dim, model.fail_after = 24, 2  # the endpoint goes down after two requests
    configure(root, url, "large")
    fresh_process()
    with pytest.raises(KbsleepError, match="the embeddings endpoint .* failed"):
        matrix_width(root)
    model.fail_after = None
    fresh_process()
    # the next index embeds what the interrupted one left, and the matrix is the new model's
    assert matrix_width(root) == 24
    with Index(root, load_config(root)) as index:
        lacking = index.db.execute("SELECT count(*) FROM docs d LEFT JOIN vectors v ON v.hash = d.hash WHERE v.hash IS NULL").fetchone()[0]
    assert lacking == 0
    assert "1815" in answer(root, "When was Ada Lovelace born?").text


def test_an_endpoint_too_slow_for_the_timeout_names_the_setting() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection and never answers
    try:
        embedder = EndpointEmbedder(f"http://127.0.0.1:{listener.getsockname()[1]}/v1", "fake", timeout=0.2)
        with pytest.raises(KbsleepError, match="timed out") as raised:
            embedder.embed(["one text", "another"])
    finally:
        listener.close()
    assert raised.value.hint == "raise embeddings.timeout (0.2 s for 2 texts)"


def test_one_endpoint_cache_per_wiki_another_model_replaces_it(endpoint, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url, _ = endpoint
    EndpointEmbedder(url, "first", state=tmp_path).embed(["a text"])
    EndpointEmbedder(url, "second", state=tmp_path).embed(["a text"])
    digest = hashlib.blake2b(f"endpoint-second@{url}/1".encode(), digest_size=16).hexdigest()
    assert [p.name for p in tmp_path.glob("endpoint-*.sqlite")] == [f"endpoint-{digest}.sqlite"]
