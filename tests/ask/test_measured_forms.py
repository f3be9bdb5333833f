"""What a question asks for, as a technical wiki writes it: a time with its unit's symbol ("~30 s",
"1000 ms") is a duration; "In what year ...?" wants a year, not a version; a time is no count of
what a "how many" question counts; hedges ("roughly") say nothing of what is asked.

Seen on an LLM-maintained wiki on identity, networking and Windows servers: "roughly how long
does a Cisco switch port take before it starts passing traffic ...?" was "Not in the wiki" beside
"so a port takes ~30 s to begin forwarding"; "In what year was Keycloak first released?" was
answered by "`>= 5.8.0`"; "how many failed logins does brute force detection allow ...?" by the
row "Minimum Quick Login Wait ... Default: 1 min".
"""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import FORMS, analyse, answers_form

BRIDGING = """\
# Bridge ports

A Layer-2 protocol that blocks redundant ports so the switched topology is a loop-free tree.

## Port states

Each port moves from blocking through listening and learning to forwarding. Listening and
learning each last one forward delay (default 15 s), so a port needs ~30 s to begin forwarding
after a topology change.
"""

ROUTING = """\
# Routing

Routers exchange routes with their neighbours and keep the best one for each prefix.
"""

TERN = """\
# Tern

Tern is a command-line mail client.

## Releases

The 5.8.0 release moved the configuration file to `~/.config/tern`. Releases follow a
six-week cycle.
"""

LOCKOUT = """\
# Lockout

Lockout is a realm feature that temporarily or permanently locks an account after repeated login failures.

## Settings

| Setting | Meaning | Default |
|---|---|---|
| Max login failures | Threshold of failures | 30 |
| Minimum quick login wait | Lock time when login attempts come faster than the quick-login check | 1 min |
| Max wait | Longest temporary lock | 15 min |
"""


def test_a_time_written_with_its_units_symbol_is_a_duration() -> None:
    for written in ("default 15 s", "~30 s to begin", "timeouts of 15s", "1000 ms", "after 5 min", "every 10 h", "10s/40s"):
        assert answers_form("duration", written), written
    # a decade, a length and a version are no time
    for written in ("in the 1990s", "a 10 m cable", "version 5.8.0", "3 spell slots"):
        assert not answers_form("duration", written), written


def test_a_question_hedging_its_measure_asks_no_word_of_the_hedge() -> None:
    asked = analyse("Roughly how long does a port need to begin forwarding?")
    assert asked.form == "duration"
    assert "roughly" not in asked.terms
    assert "approximately" not in analyse("Approximately how many ports are there?").terms


def test_a_how_long_question_is_answered_by_a_time_written_with_its_symbol(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Bridge ports.md": BRIDGING, "Routing.md": ROUTING})
    found = ask(root, load_config(root), "Roughly how long does a port need to begin forwarding after a topology change?", engine="offline", record=False)
    assert found.found
    assert "~30 s to begin forwarding" in found.text
    assert found.citations[0].path == "Bridge ports.md"


def test_in_what_year_asks_a_year() -> None:
    for question in ("In what year was Tern first released?", "Which year did the board meet?", "What year was Mara born?"):
        assert analyse(question).form == "year", question
    assert analyse("When was Tern first released?").form == "date"  # "when" may be answered by a day or a version's date
    for written in ("built in 1994.", "in the 1990s", "founded in 44 BC", "since 2021, with"):
        assert answers_form("year", written), written
    # a version, a measure and an amount hold no year
    for written in ("the 5.8.0 release", "a wait of 1500 ms", "1,500 users", "costs $1999", "version 2019.1"):
        assert not answers_form("year", written), written


def test_a_year_question_is_not_answered_by_a_version(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Tern.md": TERN})
    found = ask(root, load_config(root), "In what year was Tern first released?", engine="offline", record=False)
    assert not found.found
    root = make_repo({"Tern.md": TERN.replace("Tern is a command-line mail client.", "Tern is a command-line mail client, first released in 2014.")}, name="dated")
    found = ask(root, load_config(root), "In what year was Tern first released?", engine="offline", record=False)
    assert found.found
    assert "2014" in found.text


def test_a_time_is_no_count_of_what_a_how_many_question_counts() -> None:
    assert not answers_form("number", "Quick login wait: 1 min", counted="login")
    assert answers_form("number", "Maximum failures: 30", counted="login")
    # a question counting nothing ("How much time ...?") still takes a time for its number
    assert answers_form("number", "Quick login wait: 1 min")


def test_how_many_failed_logins_is_answered_by_the_count_not_a_wait(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Lockout.md": LOCKOUT})
    found = ask(root, load_config(root), "By default, how many login failures lock an account?", engine="offline", record=False)
    assert found.found
    assert found.text.startswith("Setting: Max login failures; Meaning: Threshold of failures; Default: 30")
    assert "1 min" not in found.text  # the wait beside it counts no failure


GATEWAY = """\
# Gateway

The gateway sits in front of every service and forwards requests to them.

## Timeout

Thirty seconds per request. A request still open after that gets a 504.

## Retention

Access logs are kept for twenty-four hours, then rotated.
"""


def test_a_duration_written_in_words_is_a_duration() -> None:
    duration = FORMS["duration"]
    assert all(duration.search(t) for t in ("Thirty seconds per request.", "kept for twenty-four hours", "fifteen minutes"))
    assert not duration.search("seventeen retries")


def test_how_long_is_answered_by_a_duration_in_words(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Gateway.md": GATEWAY})
    got = ask(root, load_config(root), "How long is the gateway request timeout?", engine="offline", record=False)
    assert got.found, got.why
    assert got.text.startswith("Thirty seconds per request.")


def test_when_should_i_asks_in_what_case_not_for_a_date() -> None:
    for question in ("When should I use a sidecar instead of an ambassador?", "When would you shard a cache?",
                     "When is it better to split a page?", "When to use a template?", "When does it make sense to pin a tab?"):
        assert analyse(question).form is None, question
    for question in ("When did the ferry start running?", "When should the report be filed, and by whom?", "When is the meeting?"):
        assert analyse(question).form == "date", question  # a time asked of a thing, not a case for doing something


def test_a_when_should_question_is_answered_from_the_page_on_the_case(make_repo) -> None:  # type: ignore[no-untyped-def]
    text = "# Sidecars\n\nA sidecar is a helper container.\n\n## When to use one\n\nUse a sidecar when a legacy service cannot be changed but needs HTTPS.\n"
    root = make_repo({"Sidecars.md": text})
    found = ask(root, load_config(root), "When should I use a sidecar?", engine="offline", record=False)
    assert found.found and "legacy service cannot be changed" in found.text
