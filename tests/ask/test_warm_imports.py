"""What a warm offline `ask` loads: the answer forms' patterns only as a question looks for one,
the pattern of unspaced scripts only for a text beyond ASCII, never the SDKs, the model seam's
records, the offline engine or the budget a model answer needs, nor the records a wiki load
returns, and no TOML parser on a wiki without a config file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kbsleep.search import question
from tests.ask.support import wiki_files

ROOT = Path(__file__).resolve().parents[2]
NEVER = ("anthropic", "pydantic", "mcp", "tokenizers", "kbsleep.llm.anthropic_engine", "kbsleep.llm.batches", "kbsleep.llm.model", "kbsleep.llm.offline", "kbsleep.llm.budget", "kbsleep.wiki.load", "tomllib")


def test_every_answer_form_is_the_pattern_written_compiled_when_first_asked_for() -> None:
    forms = question._Compiled(question._FORMS)
    assert list(forms) == list(question._FORMS) and len(forms) == len(question._FORMS)
    assert forms._compiled == {}
    assert forms["money"] == re.compile(*question._FORMS["money"]) and forms.get("money") is forms["money"]
    assert list(forms._compiled) == ["money"]
    assert forms.get("no such form") is None and "date" in forms
    for name, (pattern, flags) in question._FORMS.items():
        assert forms[name] == re.compile(pattern, flags)


@pytest.mark.parametrize(("asked", "form"), [("What is the budget of the survey?", "money"), ("Which year did the survey start?", "year"), ("When did the survey start?", "date"), ("Who maintains it?", None)])
def test_the_form_rules_are_compiled_in_order_up_to_the_first_that_matches(asked: str, form: str | None) -> None:
    code = f"import json\nfrom kbsleep.search import question\nprint(json.dumps([question.analyse({asked!r}).form, sorted(question._RULES._compiled)]))\n"
    found, compiled = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout)
    assert found == form and compiled == list(range(len(compiled)))
    assert question._FORM_RULES[len(compiled) - 1][1] == form if form else len(compiled) == len(question._FORM_RULES)
    assert all(question._RULES[i] == re.compile(pattern) for i, (pattern, _) in enumerate(question._FORM_RULES))


def test_a_form_matches_what_it_matched_when_all_were_compiled_up_front() -> None:
    assert question.answers_form("money", "It costs $40 a year.") and not question.answers_form("money", "It costs a lot.")
    assert question.answers_form("date", "Founded in 1998.") and not question.answers_form("date", "broken links may occur")
    assert question.answers_form("number", "Expend one spell.", {question.stem("spell")}) and not question.answers_form("number", "If you have one.")


def _loaded_by_an_ask(root: Path, asked: str) -> dict[str, object]:
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from kbsleep.ask import ask\n"
        "from kbsleep.config import load_config\n"
        "from kbsleep.search import question\n"
        f"root = Path({str(root)!r})\n"
        f"answer = ask(root, load_config(root), {asked!r}, engine='offline', record=False)\n"
        "print(json.dumps({'found': answer.found, 'modules': sorted(m for m in sys.modules if m.startswith(('kbsleep', *"
        f"{NEVER!r}))), 'forms': sorted(question.FORMS._compiled)}}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_warm_offline_ask_loads_the_forms_it_looks_for_and_no_sdk(make_repo) -> None:
    root = make_repo(wiki_files())
    _loaded_by_an_ask(root, "Who was Ada Lovelace?")  # the first ask builds the index
    when = _loaded_by_an_ask(root, "When was Ada Lovelace born?")
    assert when["found"] is True
    assert set(when["forms"]) <= {"date"}  # type: ignore[arg-type]
    assert not set(NEVER) & set(when["modules"])  # type: ignore[arg-type]
    assert "kbsleep.search.bm25" not in when["modules"]  # type: ignore[operator]  # (the offline engine's in-memory BM25)


def test_a_config_file_is_read_with_the_toml_parser_it_imports_then(make_repo) -> None:
    root = make_repo({**wiki_files(), "kbsleep.toml": "[ask]\ncontext-tokens = 3000\n"})
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from kbsleep.config import load_config\n"
        f"root = Path({str(root)!r})\n"
        "print(json.dumps({'tokens': load_config(root).ask.context_tokens, 'toml': 'tomllib' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(done.stdout) == {"tokens": 3000, "toml": True}


def test_text_in_ascii_is_tokenized_without_compiling_the_pattern_of_unspaced_scripts() -> None:
    code = (
        "from kbsleep.search import words\n"
        "print(words.tokenize('When was Ada Lovelace born? In 1815.'), words.searchable('Ada') == 'Ada', words._unspaced.cache_info().currsize)\n"
        "print(words.tokenize('東京タワー is tall; Brücke'), words.searchable('東京tower'), words._unspaced.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    ascii_line, unspaced_line = done.stdout.splitlines()
    assert ascii_line == "['ada', 'lovelace', 'born', '1815'] True 0"
    assert unspaced_line == "['東', '京', 'タ', 'ワ', 'ー', 'tall', 'brücke']  東  京 tower 1"


def test_an_offline_ask_is_given_no_budget_and_a_model_s_ask_its_own(make_repo, monkeypatch) -> None:
    from kbsleep.commands.ask import _budget
    from kbsleep.config import load_config
    from kbsleep.llm.budget import Budget
    from kbsleep.llm.choice import ModelChoice

    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    settings = load_config(make_repo(wiki_files()))
    assert _budget(ModelChoice("offline", max_tokens=500), settings) is None
    assert _budget(ModelChoice(None, max_tokens=500), settings) is None  # "auto" with no API configured: offline
    assert _budget(ModelChoice("anthropic", max_tokens=500), settings) == Budget(max_tokens=500)  # (its error comes from `ask`)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    assert _budget(ModelChoice(None, max_cost=0.5), settings) == Budget(max_cost_usd=0.5)
    assert _budget(ModelChoice("no-such-engine"), settings) == ModelChoice().budget(settings)
