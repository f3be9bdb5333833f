"""`kbsleep status` counts inbox notes as waiting only where `sleep` folds them in, and lint's
orphan hint names the index page only where there is one."""

from __future__ import annotations

from kbsleep.lint import lint
from kbsleep.status import status
from kbsleep.wiki import open_wiki

HAND = {"Notes.md": "# Notes\n\nSee [[Ideas]].\n", "Ideas.md": "# Ideas\n\nBack to [[Notes]].\n", "inbox/call.md": "Call the bank.\n", "Lost.md": "# Lost\n\nAlone.\n"}


def test_a_hand_written_vault_s_own_inbox_waits_for_nothing(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert status(open_wiki(make_repo(HAND))).inbox == ()


def test_an_llm_wiki_s_inbox_notes_wait(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "index.md": "# Index\n\n- [[Notes]]\n"})
    assert status(open_wiki(root)).inbox == ("inbox/call.md",)


def test_an_inbox_named_in_the_config_waits(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({**HAND, "kbsleep.toml": 'inbox = "inbox"\n'})
    assert status(open_wiki(root)).inbox == ("inbox/call.md",)


def _hint(root) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.hint for d in lint(open_wiki(root)).diagnostics if d.name == "orphan-page" and d.path == "Lost.md"}


def test_the_orphan_hint_names_no_index_where_there_is_none(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert _hint(make_repo(HAND)) == {"link it from a page about its topic"}


def test_the_orphan_hint_names_the_index_where_there_is_one(make_repo) -> None:  # type: ignore[no-untyped-def]
    assert _hint(make_repo({**HAND, "index.md": "# Index\n\n- [[Notes]]\n"})) == {"link it from a topic page or from index.md"}


def test_status_says_no_model_was_used_after_an_offline_anticipate(make_repo, capsys) -> None:  # type: ignore[no-untyped-def]
    from kbsleep.cli import main

    root = make_repo({"Cobalt.md": "# Cobalt\n\nCobalt is the data pipeline of the observatory.\n\n## Licensing\n\nCobalt is released under the MIT licence.\n"})
    assert main(["--wiki", str(root), "anticipate", "--engine", "offline", "--yes"]) == 0
    capsys.readouterr()
    assert main(["--wiki", str(root), "status"]) == 0
    shown = capsys.readouterr().out
    assert "sleep-time model use" in shown and "none (offline engine)" in shown and "call" not in shown
