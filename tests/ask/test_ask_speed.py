"""What makes a warm `ask` and a re-index cheap, without changing a vector or an answer:
the static model's tokenizer in plain Python from cached tables, imports left to the paths that
need them, and the vectors' watermark."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kbsleep.config import load_config
from kbsleep.search.index import Index
from kbsleep.search import vectors
from kbsleep.search.pieces import LONGEST_WORD, MERGE_BUDGET, Pieces
from tests.ask.support import wiki_files

ROOT = Path(__file__).resolve().parents[2]

EDGE_CASES = [
    "",
    " ",
    "When was Ada Lovelace born?",
    "two  spaces and   three",
    "  leading and trailing  ",
    "tab\tand\nnew line\n\n- a list item",
    "émigré, naïve café; 日本語のテキスト; emoji 🎉 and ✓",
    "a ▁ literal ▁▁ metaspace▁inside",
    "CamelCase snake_case kebab-case 3.14159 [[Wiki link#Heading|alias]] `code` **bold**",
    "x" * 300,
]


@pytest.fixture(scope="module")
def tokenizer():  # type: ignore[no-untyped-def]
    from tokenizers import Tokenizer

    folder = vectors.static_folder()
    assert folder is not None
    loaded = Tokenizer.from_file(str(folder / vectors.TOKENIZER))
    loaded.no_padding()
    loaded.no_truncation()
    return loaded


def _texts() -> list[str]:
    texts = list(EDGE_CASES)
    for page in sorted((ROOT / "sample_wiki").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        texts.append(text)
        texts.extend(text.split("\n\n"))
    return texts


def test_pieces_gives_the_ids_tokenizers_gives(tokenizer) -> None:  # type: ignore[no-untyped-def]
    folder = vectors.static_folder()
    assert folder is not None
    pieces = Pieces.load(folder / vectors.TOKENIZER, None)
    assert pieces is not None
    texts = _texts()
    assert len(texts) > 200
    encoded = 0
    for text in texts:
        ids = pieces.encode(text)
        if ids is not None:  # a long part is left to `tokenizers`
            assert ids == tokenizer.encode(text, add_special_tokens=False).ids, text[:80]
            encoded += 1
    assert encoded > 0.8 * len(texts)


def test_a_special_token_s_spelling_is_left_to_tokenizers(tokenizer) -> None:  # type: ignore[no-untyped-def]
    folder = vectors.static_folder()
    assert folder is not None
    pieces = Pieces.load(folder / vectors.TOKENIZER, None)
    assert pieces is not None
    assert pieces.encode("a <s> b") is None
    longest = "a " + "x" * (LONGEST_WORD - 1) + " b"  # "▁" and the x's: a part of LONGEST_WORD characters
    assert pieces.encode(longest) == tokenizer.encode(longest, add_special_tokens=False).ids
    assert pieces.encode("a " + "x" * LONGEST_WORD + " b") is None  # a part merged in quadratic time
    embedder = vectors.StaticEmbedder(folder)
    assert embedder.token_ids(["a <s> b"]) == [tokenizer.encode("a <s> b", add_special_tokens=False).ids]


def test_the_tables_are_cached_in_the_state_folder_and_read_back_without_the_json(tmp_path: Path, monkeypatch) -> None:
    folder = vectors.static_folder()
    assert folder is not None
    built = Pieces.load(folder / vectors.TOKENIZER, tmp_path)
    assert built is not None
    cached = list(tmp_path.glob("tokens-*.marshal"))
    assert len(cached) == 1

    def no_json(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the tokenizer's JSON was read again")

    monkeypatch.setattr(json, "loads", no_json)
    again = Pieces.load(folder / vectors.TOKENIZER, tmp_path)
    assert again is not None
    assert again.vocab == built.vocab and (again.starts, again.seconds, again.merged) == (built.starts, built.seconds, built.merged)
    assert again.encode("When was Ada Lovelace born?") == built.encode("When was Ada Lovelace born?")


def test_a_damaged_cache_is_built_again(tmp_path: Path) -> None:
    folder = vectors.static_folder()
    assert folder is not None
    assert Pieces.load(folder / vectors.TOKENIZER, tmp_path) is not None
    (cached,) = tmp_path.glob("tokens-*.marshal")
    cached.write_bytes(b"not marshal data")
    pieces = Pieces.load(folder / vectors.TOKENIZER, tmp_path)
    assert pieces is not None and pieces.encode("born") == Pieces.load(folder / vectors.TOKENIZER, None).encode("born")  # type: ignore[union-attr]


def test_a_table_of_another_format_under_the_same_name_is_built_again(tmp_path: Path) -> None:
    import marshal

    folder = vectors.static_folder()
    assert folder is not None
    fresh = Pieces.load(folder / vectors.TOKENIZER, None)
    assert fresh is not None and Pieces.load(folder / vectors.TOKENIZER, tmp_path) is not None
    (cached,) = tmp_path.glob("tokens-*.marshal")
    dict_format = (fresh.vocab, {1 << 16 | 2: 3})  # format 2: the merges as a dict
    for stale in (dict_format, (Pieces.FORMAT + 1, *marshal.loads(cached.read_bytes())[1:]), (Pieces.FORMAT, fresh.vocab, b"", b"", b"")):
        cached.write_bytes(marshal.dumps(stale))
        pieces = Pieces.load(folder / vectors.TOKENIZER, tmp_path)
        assert pieces is not None and pieces.encode("When was Ada Lovelace born?") == fresh.encode("When was Ada Lovelace born?")
        assert marshal.loads(cached.read_bytes()) == Pieces.pack((fresh.vocab, fresh.starts, fresh.seconds, fresh.merged))  # written anew


def test_an_older_kbsleep_s_table_is_left_for_it_and_goes_when_newer_ones_crowd_it_out(tmp_path: Path) -> None:
    import marshal

    from kbsleep.search.pieces import KEPT_TABLES

    folder = vectors.static_folder()
    assert folder is not None
    older = tmp_path / "tokens-0123456789abcdef.marshal"  # an older install's name for its own format-2 table
    older.write_bytes(marshal.dumps(({"a": 1}, {1 << 16 | 2: 3})))
    assert Pieces.load(folder / vectors.TOKENIZER, tmp_path) is not None
    assert older.exists() and len(list(tmp_path.glob("tokens-*.marshal"))) == 2
    for i in range(KEPT_TABLES):  # other installs (other tokenizer files) of this format
        other = tmp_path / f"install-{i}"
        (other / "tokenizers").mkdir(parents=True)
        (other / vectors.TOKENIZER).write_bytes((folder / vectors.TOKENIZER).read_bytes())
        assert Pieces.load(other / vectors.TOKENIZER, tmp_path) is not None
    assert not older.exists() and len(list(tmp_path.glob("tokens-*.marshal"))) == KEPT_TABLES


def test_vectors_are_the_same_by_pieces_and_by_tokenizers(monkeypatch) -> None:
    folder = vectors.static_folder()
    assert folder is not None
    embedder = vectors.StaticEmbedder(folder)
    assert embedder.pieces is not None
    texts = [t for t in _texts() if embedder.pieces.encode(t) is not None][:60]
    assert len(texts) == 60 and embedder.pieces.encode_all(texts) is not None  # all by `Pieces`
    by_pieces = embedder.embed(texts)
    monkeypatch.setattr(vectors, "PIECES_CHARS", -1)  # every batch to `tokenizers`
    by_tokenizers = embedder.embed(texts)
    assert np.array_equal(by_pieces, by_tokenizers)


def test_an_offline_ask_imports_neither_pydantic_nor_the_engines() -> None:
    code = (
        "import sys, kbsleep.cli, kbsleep.ask, kbsleep.search.index, kbsleep.search.extract, kbsleep.search.abstain;"
        "print(sorted(m for m in ('pydantic', 'kbsleep.llm.anthropic_engine', 'kbsleep.llm.batches', 'tokenizers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_the_answer_schema_is_still_importable_by_name() -> None:
    from kbsleep.ask import AnswerOutput

    assert AnswerOutput.__name__ == AnswerOutput.__qualname__ == "AnswerOutput"
    assert AnswerOutput(answer="a", citations=["P#S"], found=True).found is True


def _all_have_vectors(root: Path) -> tuple[int, int, int]:
    with Index(root, load_config(root)) as index:
        index.refresh()
        db = index.db
        docs = db.execute("SELECT count(*) FROM docs").fetchone()[0]
        lacking = db.execute("SELECT count(*) FROM docs d LEFT JOIN vectors v ON v.hash = d.hash WHERE v.hash IS NULL").fetchone()[0]
        top = db.execute("SELECT max(id) FROM docs").fetchone()[0]
        token = db.execute("SELECT value FROM meta WHERE key = 'matrix'").fetchone()[0]
        ids = np.load(root / ".kbsleep" / f"vectors-{token}-ids.npy")
        assert sorted(ids.tolist()) == [r[0] for r in db.execute("SELECT id FROM docs ORDER BY id")]
    return docs, lacking, top


def test_a_section_id_is_never_given_twice_so_every_new_section_gets_its_vector(make_repo) -> None:
    root = make_repo(wiki_files())
    docs, lacking, top = _all_have_vectors(root)
    assert docs > 0 and lacking == 0
    with Index(root, load_config(root)) as index:
        last = index.db.execute("SELECT page FROM docs ORDER BY id DESC LIMIT 1").fetchone()[0]
    # the page holding the highest ids is deleted and a new page added: its sections get ids above
    # every id given before, so the watermark finds them
    (root / last).unlink()
    (root / "zz New page.md").write_text("# New page\n\nA section nobody embedded yet, about lighthouses.\n", encoding="utf-8")
    docs, lacking, new_top = _all_have_vectors(root)
    assert lacking == 0 and new_top > top
    with Index(root, load_config(root)) as index:
        assert index.db.execute("SELECT min(id) FROM docs WHERE page = 'zz New page.md'").fetchone()[0] > top


def test_the_mapped_table_is_the_table_safetensors_reads() -> None:
    from safetensors import safe_open

    folder = vectors.static_folder()
    assert folder is not None
    mapped = vectors._mapped_table(folder / vectors.WEIGHTS)
    assert mapped is not None
    with safe_open(str(folder / vectors.WEIGHTS), framework="np") as weights:
        read = weights.get_tensor(vectors.TENSOR)
    assert mapped.dtype == read.dtype and mapped.shape == read.shape and np.array_equal(mapped, read)


def test_two_installs_sharing_a_wiki_keep_their_own_tables(tmp_path: Path, monkeypatch) -> None:
    folder = vectors.static_folder()
    assert folder is not None
    other = tmp_path / "other-install"
    other.mkdir()
    state = tmp_path / "state"
    state.mkdir()
    (other / "tokenizers").mkdir()
    (other / vectors.TOKENIZER).write_bytes((folder / vectors.TOKENIZER).read_bytes())
    assert Pieces.load(folder / vectors.TOKENIZER, state) is not None
    assert Pieces.load(other / vectors.TOKENIZER, state) is not None
    assert len(list(state.glob("tokens-*.marshal"))) == 2

    def no_json(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the tokenizer's JSON was read again")

    monkeypatch.setattr(json, "loads", no_json)
    assert Pieces.load(folder / vectors.TOKENIZER, state) is not None
    assert Pieces.load(other / vectors.TOKENIZER, state) is not None


def test_a_batch_that_would_cost_more_merging_than_loading_tokenizers_goes_to_tokenizers(tokenizer) -> None:  # type: ignore[no-untyped-def]
    folder = vectors.static_folder()
    assert folder is not None
    embedder = vectors.StaticEmbedder(folder)
    assert embedder.pieces is not None
    word = "y" * (LONGEST_WORD - 4)  # "▁", the y's and three digits: each part as long as a part may be
    heavy = [f"{word}{i:03d}" for i in range(5 + MERGE_BUDGET // LONGEST_WORD**2)]
    assert sum(map(len, heavy)) <= vectors.PIECES_CHARS
    assert all(embedder.pieces.encode(text) is not None for text in heavy[:3])  # each alone is fine (and remembered)
    assert embedder.pieces.encode_all(heavy) is None
    assert embedder.token_ids(heavy) == [e.ids for e in tokenizer.encode_batch(heavy, add_special_tokens=False)]
