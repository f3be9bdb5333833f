"""A heading naming what a question asks is the key of the list beneath it, on the page the
question names: "- Lantern" under "## Required plugins" answers "Which plugin does the night
reading recipe require?", as "Required plugin: Lantern" would. So does the sentence opening a
section that answers its heading in words of its own ("## Timeout", then "Thirty seconds per
request.")."""

from __future__ import annotations

from pathlib import Path

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.keyed_headings import keyed_by_heading
from kbsleep.search.section_heads import opening_units
from kbsleep.search.units import units
from kbsleep.search.words import stem

RECIPE = """\
# Reading at night

With this recipe you can read your notes comfortably after dark.

## Required plugins

- [Lantern](https://example.org/lantern)

## Instructions

Open the settings of the plugin and pick a warm color.
"""

OVERVIEW = """\
# Plugins overview

Many plugins help with reading; most of them need no setup and work with any theme you pick.
"""


def test_an_item_under_a_heading_holding_what_is_asked_is_keyed() -> None:
    (item,) = [u for u in units("night-reading#Required plugins", RECIPE) if u.kind == "item"]
    assert keyed_by_heading(item, {stem("plugin"), stem("require")}, {})
    assert not keyed_by_heading(item, {stem("plugin"), stem("color")}, {})


def test_a_sentence_is_keyed_by_its_heading_only_when_it_opens_the_section_in_words_of_its_own() -> None:
    first, second = units("Gateway#Timeout", "Thirty seconds per request. A longer request is cancelled.")
    assert keyed_by_heading(first, {stem("timeout")}, {}, opens=True)
    assert not keyed_by_heading(first, {stem("timeout")}, {})  # not the section's first sentence
    assert not keyed_by_heading(second, {stem("timeout")}, {})
    (saying,) = units("night-reading#Instructions", "Open the instructions of the plugin.")
    assert not keyed_by_heading(saying, {stem("instructions")}, {}, opens=True)  # it says the word itself: its own words count


GATEWAY = """# Gateway

The gateway routes requests from clients to the backend services.

## Default port

8443 over TLS. The port can be changed in the gateway configuration file.

## Supported protocols

HTTP/1.1, HTTP/2 and gRPC. WebSocket upgrades are passed through to the backend untouched.

## Timeout

Thirty seconds per request. A request that takes longer is cancelled and the client gets a 504 status.
"""

BREAKER = """# Circuit breaker

**Summary**: A circuit breaker stops calls to a failing service so that it can recover.

## Circuit breaker's states

Closed and open only. After 90 seconds in the open state, the breaker lets one trial call through.

## Retries

Each call is retried twice with a backoff of 200 ms.
"""


def test_the_sentence_answering_its_heading_answers_the_question_the_heading_asks(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"Gateway.md": GATEWAY, "Circuit breaker.md": BREAKER, "Rate limiting.md": "# Rate limiting\n\nA limiter caps calls per second; the breaker sits behind it.\n"})
    config = load_config(root)
    for question, opening in [
        ("What is the gateway timeout?", "Thirty seconds per request."),
        ("What is the gateway's default port?", "8443 over TLS."),
        ("Which protocols does the gateway support?", "HTTP/1.1, HTTP/2 and gRPC."),
        ("What states does the circuit breaker have?", "Closed and open only."),  # then the sentence that says "state"
    ]:
        assert ask(root, config, question, engine="offline", record=False).text.startswith(opening), question
    later = ask(root, config, "What happens after 90 seconds in the open state?", engine="offline", record=False)
    assert later.text.startswith("After 90 seconds")  # a question its heading does not ask: the sentence that says it


def test_the_item_under_the_heading_answers_on_the_page_the_question_names(make_repo) -> None:  # type: ignore[no-untyped-def]
    root: Path = make_repo({"recipes/night-reading.md": RECIPE, "Plugins overview.md": OVERVIEW})
    text = ask(root, load_config(root), "Which plugin does the night reading recipe require?", engine="offline", record=False).text
    assert "Lantern" in text


def test_a_how_to_reads_the_items_under_a_heading_naming_its_task_as_steps(make_repo) -> None:  # type: ignore[no-untyped-def]
    tabs = "# Tabs\n\n## Open a new tab\n\nSelect **New tab** at the top. Or, use a keyboard shortcut:\n\n- **Windows:** `Ctrl+t`\n- **macOS:** `Cmd+t`\n"
    root: Path = make_repo({"Tabs.md": tabs})
    text = ask(root, load_config(root), "How do I open a note in a new tab?", engine="offline", record=False).text
    assert text.startswith("Select New tab at the top.")


def test_a_section_that_opens_with_code_has_no_sentence_answering_its_heading() -> None:
    text = "## Pull a model\n\n```\nruntime pull mistral:7b\n```\n\nIf the runtime is not running, start it first.\n"
    found = units("Setup#Pull a model", text)
    assert opening_units(found, {"Setup#Pull a model": text}) == set()
    assert opening_units(found, {"Setup#Pull a model": "## Pull a model\n\nIf the runtime is not running, start it first.\n"}) == set(found)
