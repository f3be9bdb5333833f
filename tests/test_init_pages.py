"""`kbsleep init` and the index and log pages: set for a new wiki and for an LLM-maintained one
(`--agent`), so consolidate creates and keeps them; left commented out for a vault written by
hand, whose index and log consolidate keeps only when they exist (and whose precomputed answers
are kept beside its pages, in a hidden folder)."""

from __future__ import annotations

import datetime
from pathlib import Path

from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.wiki import open_wiki
from tests.conftest import git, write_files

SET = 'index-page = "index.md"        # the catalogue page: consolidate keeps it, and creates it when it is missing\nlog-page = "log.md"            # the append-only log: the same\n'
UNSET = '# index-page = "index.md"      # the catalogue page: consolidate keeps it when it exists; set here, creates it too\n# log-page = "log.md"          # the append-only log: the same\n'
BESIDE = [
    '# - A vault written by hand (no index or log page): `anticipate` keeps its precomputed answers',
    '#   in ".kbsleep-answers/", one file per page, so no page of yours changes. Set `store = "page"`',
    '#   below to have them in each page.',
]
HAND = {"Home.md": "# Home\n\nSee [[Notes]].\n", "Notes.md": "# Notes\n\nBack to [[Home]].\n"}


def init(root: Path, *args: str) -> str:
    assert main(["--wiki", str(root), "init", *args]) == 0
    return (root / "kbsleep.toml").read_text(encoding="utf-8")


def found_lines(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("# What `kbsleep init` found in this vault:")
    return lines[start + 1 : lines.index("", start)]


def run(root: Path):  # type: ignore[no-untyped-def]
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "set up")
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(today=datetime.date(2026, 3, 20)))


def test_a_new_empty_wiki_gets_both_set_and_consolidate_creates_them(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    root = make_repo()
    text = init(root)

    assert SET in text
    assert found_lines(text) == [
        "# - An empty vault, set up as an LLM wiki: `index-page` and `log-page` are set below, so",
        "#   consolidate creates and keeps index.md (a catalogue of the pages) and log.md (a record of",
        "#   what was done). Comment them out to have neither.",
    ]
    assert "commented configuration: no pages yet" in capsys.readouterr().out
    assert {"index_page", "log_page"} <= load_config(root).given

    write_files(root, HAND)
    report = run(root)
    assert (root / "index.md").is_file() and (root / "log.md").is_file() and report.note == ""


def test_a_hand_written_vault_gets_them_commented_out_and_consolidate_creates_neither(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    text = init(root)

    assert UNSET in text
    assert found_lines(text) == [
        "# - No index page (index.md) or log page (log.md): consolidate creates neither, and",
        "#   missing-from-index reports nothing. Set `index-page` and `log-page` below to have",
        "#   consolidate create and keep them.",
        *BESIDE,
    ]
    assert load_config(root).given == frozenset({"anticipate.store", "anticipate.sidecar_folder"})

    report = run(root)
    assert not (root / "index.md").exists() and not (root / "log.md").exists()
    assert report.unasked == ("index", "log")


def test_a_wiki_with_both_needs_no_line_and_keeps_them(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "index.md": "# Index\n\n[[Home]]\n", "log.md": "# Log\n"})
    text = init(root)

    assert UNSET in text and "What `kbsleep init` found" not in text
    report = run(root)
    assert "<!-- kbsleep:index v=1 " in (root / "index.md").read_text(encoding="utf-8")  # (with [[Notes]], which it lacked)
    assert report.note == ""


def test_init_agent_chooses_the_llm_wiki_layout(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo(HAND)
    text = init(root, "--agent")

    assert SET in text
    assert found_lines(text) == [
        "# - With `--agent`, set up as an LLM wiki: `index-page` and `log-page` are set below, so",
        "#   consolidate creates and keeps index.md (a catalogue of the pages) and log.md (a record of",
        "#   what was done). Comment them out to have neither.",
    ]
    report = run(root)
    assert (root / "index.md").is_file() and (root / "log.md").is_file() and report.note == ""


def test_init_agent_with_an_index_says_only_the_log_is_created(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "index.md": "# Index\n\n[[Home]] [[Notes]]\n"})
    text = init(root, "--agent")

    assert SET in text
    assert found_lines(text) == [
        "# - With `--agent`, set up as an LLM wiki: `index-page` and `log-page` are set below, so",
        "#   consolidate creates and keeps log.md (a record of what was done). Comment them out to have",
        "#   neither.",
    ]


def test_a_hand_written_vault_s_pages_stay_as_they_are_when_sleep_precomputes_answers(make_repo) -> None:  # type: ignore[no-untyped-def]
    pages = {"Cobalt.md": "# Cobalt\n\nCobalt is the data pipeline of the observatory.\n\n## Licensing\n\nCobalt is released under the MIT licence.\n", **HAND}
    root = make_repo(pages)
    init(root)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "set up")
    assert main(["--wiki", str(root), "sleep", "--yes", "--engine", "offline"]) == 0
    assert {path: (root / path).read_text(encoding="utf-8") for path in pages} == pages
    changed = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert changed and all(path.startswith(".kbsleep-answers/") for path in changed)
    from kbsleep.ask import ask

    answer = ask(root, load_config(root), "What licence does Cobalt use?", engine="offline", record=False)
    assert "MIT licence" in answer.text and answer.matched == "What licence does Cobalt use?"


def test_a_hand_written_vault_that_got_answers_in_its_pages_is_told_how_to_keep_them_out(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    pages = {"Cobalt.md": "# Cobalt\n\nCobalt is the data pipeline of the observatory.\n\n## Licensing\n\nCobalt is released under the MIT licence.\n"}
    root = make_repo(pages)
    assert main(["--wiki", str(root), "anticipate", "--engine", "offline", "--yes"]) == 0
    assert 'run `kbsleep undo`, set store = "sidecar" under [anticipate]' in capsys.readouterr().err
    llm = make_repo({**pages, "index.md": "# Index\n\n- [[Cobalt]]\n"}, name="llm")
    assert main(["--wiki", str(llm), "anticipate", "--engine", "offline", "--yes"]) == 0
    assert "sidecar" not in capsys.readouterr().err
