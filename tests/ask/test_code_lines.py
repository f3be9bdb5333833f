"""A page that gives a value only in code is answered by the code line holding it: the model a
setup guide pulls (`ollama pull mistral:7b` under "Install the runtime and pull a model"), a
database image a deploy guide pulls. A line states a value only when it holds a digit; a long block
is a program; a how-to keeps quoting the sentence that announces its example; prose that says as
much answers first."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.llm.model import Passage
from kbsleep.search.code_lines import MAX_LINES, code_units
from kbsleep.search.extract import _REFERS, pick
from kbsleep.search.question import analyse

SETUP = """\
# Setup

The assistant runs on a local model server, so no account is needed.

## Install the runtime and pull a model

```bash
curl -fsSL https://example.org/install.sh | sh
# a smaller tag fits 8 GB of memory
runtime pull mistral:7b
```

If the runtime is not running, start it first.
"""

COSTS = """\
# Costs

Running the assistant on the hosted service costs money for every request.

## Routine use

```
  Input:  20,000 tokens x $0.80/MTok = $0.016
  Daily total:                        ~$0.05
  Monthly:                            ~$1.50
```

Heavy weeks cost more.
"""


def test_the_lines_of_a_short_block_that_hold_a_value_are_units() -> None:
    got = [(u.kind, u.text) for u in code_units("Setup#Install the runtime and pull a model", SETUP, 10)]
    assert got == [("code", "# a smaller tag fits 8 GB of memory"), ("code", "runtime pull mistral:7b")]  # no digit: the install line states no value


def test_code_units_come_after_the_passage_s_other_units_and_are_no_one_s_neighbour() -> None:
    found = code_units("Costs#Routine use", COSTS, 1000)
    assert [u.order for u in found] == [1000, 1001, 1002]
    assert all(u.block < 0 for u in found)


def test_a_long_block_is_a_program_and_no_unit() -> None:
    program = "```python\n" + "".join(f"x{i} = {i}\n" for i in range(MAX_LINES + 1)) + "```\n"
    assert code_units("Script", program, 0) == []
    assert len(code_units("Script", program.replace(f"x{MAX_LINES} = {MAX_LINES}\n", ""), 0)) == MAX_LINES


def test_a_model_named_only_in_code_answers_which_one_to_pull(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Setup.md": SETUP})
    got = ask(root, load_config(root), "Which model does the setup tell you to pull?", engine="offline", record=False)
    assert "mistral:7b" in got.text
    assert {c.path for c in got.citations} == {"Setup.md"}


def test_an_image_named_only_in_code_answers_which_one_to_pull(make_repo) -> None:  # type: ignore[no-untyped-def]
    guide = "# Deploy\n\nThe service keeps its records in a container of its own.\n\n## Pull the database image\n\n```sh\ndocker pull postgres:16.2\n```\n"
    root: Path = make_repo({"Deploy.md": guide})
    got = ask(root, load_config(root), "Which database image does the deploy guide pull?", engine="offline", record=False)
    assert got.text.startswith("`docker pull postgres:16.2`")


def test_prose_that_states_the_value_answers_before_the_code(make_repo) -> None:  # type: ignore[no-untyped-def]
    said = COSTS.replace("Heavy weeks cost more.", "Routine use costs about $1.50 per month on the hosted service.")
    root: Path = make_repo({"Costs.md": said})
    got = ask(root, load_config(root), "Roughly what does the assistant cost per month on the hosted service?", engine="offline", record=False)
    assert got.text.startswith("Routine use costs about $1.50 per month")


def test_a_how_to_quotes_no_code_line_of_its_own(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Setup.md": SETUP})
    got = ask(root, load_config(root), "How do I pull a model?", engine="offline", record=False)
    assert not got.text.startswith("`")  # a sentence or a step, not a bare line of code


def test_a_sentence_that_only_sends_the_reader_elsewhere_on_a_condition_is_no_answer() -> None:
    passages = [Passage("Setup#Install the runtime", "If the runtime isn't running, see Troubleshooting."),
                Passage("Setup#Models", "The runtime loads the mistral model by default.")]  # fmt: skip
    got = pick(analyse("Which model does the runtime load?"), passages, {})
    assert got is not None and got.text == "The runtime loads the mistral model by default."
    assert _REFERS.match("When the sync fails, see the log.") is not None
    assert _REFERS.match("If you see an error, restart the runtime.") is None  # "see" is its verb, not a reference
