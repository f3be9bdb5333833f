"""A merge puts the text it adds into the kept page's body, before the block that ends both pages.

Real vaults end their pages with a block repeated on every page: obsidian-hub's
`%% Hub footer: Please don't edit anything below this line %%` and its "Edit In GitHub" links
(each page's own path in them), a generated section, kbsleep's own anticipated questions. The
merged text goes above it, the kept page's footer stays byte for byte, and the merged page's
copy of it is not added. Pages that share no ending merge as before.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from kbsleep.llm import select_engine
from kbsleep.passes.consolidate import Options, consolidate
from kbsleep.passes.consolidate.footer import start
from kbsleep.passes.consolidate.safety import parse
from kbsleep.wiki import open_wiki
from tests.conftest import git
from tests.passes.test_consolidate_bytes import insertion

TODAY = datetime.date(2026, 3, 20)
PROSE = (
    "The RV Tern is a survey boat of the harbour board, built in 1998 at the Old Quay yard.\n"
    "She carries the Orion pump and the winch used for the deep water sampling runs each spring.\n"
    "Her crew of three works from the slipway at the north end of the harbour.\n"
)
ADDED = "She was repainted in 2024 and renamed for a season.\n"
# The survivor is the page linked from the most pages.
LINKS = {"Fleet.md": "# Fleet\n\n[[Tern]]\n", "Harbour.md": "# Harbour\n\n[[Tern]] and [[boats/RV Tern]].\n"}


def hub_footer(path: str) -> str:
    quoted = path.replace(" ", "%20")
    return (
        "%% Hub footer: Please don't edit anything below this line %%\n\n"
        "# This note in GitHub\n\n"
        f'<span class="git-footer">[Edit In GitHub](https://github.dev/o/hub/blob/main/{quoted} "git-hub-edit-note") | '
        f"[Copy this note](https://raw.githubusercontent.com/o/hub/main/{quoted})</span>\n"
    )


def run(root: Path, *only: str):  # type: ignore[no-untyped-def]
    wiki = open_wiki(root)
    return consolidate(wiki, select_engine(wiki.config.llm, "offline"), Options(only=only or ("duplicates",), today=TODAY))


def merge(make_repo, kept: str, merged: str, **extra: str | bytes) -> tuple[Path, bytes, bytes]:  # type: ignore[no-untyped-def]
    """The repo after merging `boats/RV Tern.md` (`merged`) into `Tern.md` (`kept`): the kept page's bytes before and after."""
    root = make_repo({"Tern.md": kept, "boats/RV Tern.md": merged, **LINKS, **extra})
    before = (root / "Tern.md").read_bytes()
    report = run(root)
    assert report.summary == "duplicates", report.left
    assert not (root / "boats/RV Tern.md").exists()
    return root, before, (root / "Tern.md").read_bytes()


# -- a footer both pages end with ---------------------------------------------------------------------


def test_text_merged_in_goes_before_the_hub_footer_and_its_copy_is_not_added(make_repo) -> None:  # type: ignore[no-untyped-def]
    kept = "# Tern\n\n" + PROSE + "\n" + hub_footer("Tern.md")
    merged = "# Tern\n\n" + PROSE + "\n" + ADDED + "\n" + hub_footer("boats/RV Tern.md")
    _, before, after = merge(make_repo, kept, merged)

    assert insertion(before, after) == (ADDED + "\n").encode()  # one insertion: the footer's bytes are the kept page's
    assert after.decode().endswith(ADDED + "\n" + hub_footer("Tern.md"))
    assert after.count(b"git-footer") == 1 and b"boats/RV%20Tern" not in after


def test_a_comment_saying_below_this_line_marks_the_footer_where_the_pages_differ_below_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    # Below the line each page has its own list: no common ending, the marker alone says where.
    # The merged page's marker is a copy, not added; its list is not, and goes into the body with the rest.
    kept = "# Tern\n\n" + PROSE + "\n%% Generated: do not edit below this line %%\n\n- built 1998\n"
    merged = "# Tern\n\n" + PROSE + "\n" + ADDED + "\n%% Generated: do not edit below this line %%\n\n- built 1998\n- renamed\n"
    _, before, after = merge(make_repo, kept, merged)

    assert after.decode() == "# Tern\n\n" + PROSE + "\n" + ADDED + "\n- built 1998\n- renamed\n\n%% Generated: do not edit below this line %%\n\n- built 1998\n"
    assert insertion(before, after) == (ADDED + "\n- built 1998\n- renamed\n\n").encode()


def test_a_shared_last_paragraph_without_a_marker_is_a_footer_too(make_repo) -> None:  # type: ignore[no-untyped-def]
    ending = "---\n\n*Part of the [[Fleet]] notes. Corrections go to the harbour office.*\n"
    kept = "# Tern\n\n" + PROSE + "\n" + ending
    merged = "# Tern\n\n" + PROSE + "\n" + ADDED + "\n" + ending
    _, before, after = merge(make_repo, kept, merged)

    assert after.decode() == "# Tern\n\n" + PROSE + "\n" + ADDED + "\n" + ending
    assert insertion(before, after) == (ADDED + "\n").encode()


def test_kbsleeps_own_answers_end_the_kept_page_and_the_merged_pages_are_not_added(make_repo) -> None:  # type: ignore[no-untyped-def]
    def answers(page: str) -> str:
        return (
            "<!-- kbsleep:anticipate v=1 source=0 links=0 model=offline date=2026-03-01 body=0 -->\n## Anticipated questions\n\n"
            f"**What is Tern?**\nA survey boat, built in 1998. [[{page}]]\n<!-- /kbsleep:anticipate -->\n"
        )

    kept = "# Tern\n\n" + PROSE + "\n" + answers("Tern")
    merged = "# Tern\n\n" + PROSE + "\n" + ADDED + "\n" + answers("boats/RV Tern")
    _, before, after = merge(make_repo, kept, merged)

    assert after.decode() == "# Tern\n\n" + PROSE + "\n" + ADDED + "\n" + answers("Tern")
    assert after.count(b"kbsleep:anticipate") == 2  # one section: its opening and closing comments


def test_a_crlf_page_keeps_its_footer_and_line_endings(make_repo) -> None:  # type: ignore[no-untyped-def]
    kept = ("# Tern\n\n" + PROSE + "\n" + hub_footer("Tern.md")).replace("\n", "\r\n").encode()
    merged = "# Tern\n\n" + PROSE + "\n" + ADDED + "\n" + hub_footer("boats/RV Tern.md")
    _, before, after = merge(make_repo, kept, merged)

    assert insertion(before, after) == (ADDED + "\n").replace("\n", "\r\n").encode()


# -- pages with no footer -------------------------------------------------------------------------------


def test_pages_that_share_no_ending_merge_as_before(make_repo) -> None:  # type: ignore[no-untyped-def]
    kept = "# Tern\n\n" + PROSE + "\n## Crew\n\nThree people.\n"
    merged = "# Tern\n\n" + PROSE + "\n## Crew\n\nThree people.\n\nA cook in summer.\n"
    _, before, after = merge(make_repo, kept, merged)

    assert after.decode() == kept + "\nA cook in summer.\n"  # the last section's new paragraph, at its end, as before


def test_text_the_merged_page_has_above_a_shared_ending_keeps_its_place(make_repo) -> None:  # type: ignore[no-untyped-def]
    kept = "# Tern\n\n" + PROSE + "\n## Crew\n\nThree people.\n\n## History\n\nBuilt in 1998.\n"
    merged = "# Tern\n\n" + PROSE + "\n## Crew\n\nThree people.\n\nA cook in summer.\n\n## History\n\nBuilt in 1998.\n"
    _, _, after = merge(make_repo, kept, merged)

    assert after.decode() == "# Tern\n\n" + PROSE + "\n## Crew\n\nThree people.\n\nA cook in summer.\n\n## History\n\nBuilt in 1998.\n"


def test_an_ending_that_starts_inside_a_code_block_is_no_footer(make_repo) -> None:  # type: ignore[no-untyped-def]
    kept = "# Tern\n\n" + PROSE + "\n```\nwinch 1\n\nlog end\n```\n"
    merged = "# Tern\n\n" + PROSE + "\n" + ADDED + "\n```\nwinch 2\n\nlog end\n```\n"
    _, _, after = merge(make_repo, kept, merged)

    text = after.decode()
    assert "```\nwinch 1\n\nlog end\n```\n" in text and ADDED not in text.split("```")[1]  # never inside the code block


def test_the_footer_starts_where_the_shortest_shared_ending_does() -> None:
    kept = parse("a.md", "# A\n\nOne.\n\nTwo.\n\nThree.\n")
    assert start(kept, [parse("b.md", "# B\n\nOne.\n\nTwo.\n\nThree.\n"), parse("c.md", "# C\n\nElse.\n\nThree.\n")]) == 6  # "Three." only
    assert start(kept, [parse("b.md", "# B\n\nOther.\n")]) == 7  # nothing shared: past the last line
    assert start(kept, []) == 7


# -- a rewritten link keeps its style -------------------------------------------------------------------


def test_a_path_link_to_the_merged_page_stays_a_path(make_repo) -> None:  # type: ignore[no-untyped-def]
    # Every link of the list is a path, though each name is unique: the vault's style, kept.
    listing = "# All boats\n\n- [[boats/RV Tern|RV Tern]]\n- [[boats/RV Tern.md]]\n- [[places/Fleet|Fleet]]\n"
    root = make_repo({
        "ships/Tern.md": "# Tern\n\n" + PROSE,
        "boats/RV Tern.md": "# Tern\n\n" + PROSE + "\n" + ADDED,
        "places/Fleet.md": "# Fleet\n\n[[Tern]]\n",
        "Harbour.md": "# Harbour\n\n[[Tern]] and [[boats/RV Tern]].\n",
        "Dock.md": "# Dock\n\n[[ships/Tern]]\n",
        "All boats.md": listing,
    })  # fmt: skip
    assert run(root).summary == "duplicates"

    assert (root / "All boats.md").read_text(encoding="utf-8") == "# All boats\n\n- [[ships/Tern|RV Tern]]\n- [[ships/Tern.md|boats/RV Tern.md]]\n- [[places/Fleet|Fleet]]\n"
    assert (root / "Harbour.md").read_text(encoding="utf-8") == "# Harbour\n\n[[Tern]] and [[ships/Tern|boats/RV Tern]].\n"
    assert not (root / "boats/RV Tern.md").exists() and git(root, "status", "--porcelain") == ""


def test_a_name_link_to_the_merged_page_stays_a_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    log = {"Log.md": "# Log\n\n[[RV Tern]], [[RV Tern#Crew|crew]]\n", "Dock.md": "# Dock\n\n[[Tern]]\n"}
    root, _, _ = merge(make_repo, "# Tern\n\n" + PROSE, "# Tern\n\n" + PROSE + "\n" + ADDED + "\n## Crew\n\nThree.\n", **log)

    assert (root / "Log.md").read_text(encoding="utf-8") == "# Log\n\n[[Tern|RV Tern]], [[Tern#Crew|crew]]\n"


# -- with a model ---------------------------------------------------------------------------------------


def test_a_model_is_shown_the_kept_page_without_its_footer_and_the_footer_ends_the_page(make_repo, fake) -> None:  # type: ignore[no-untyped-def]
    import json

    from kbsleep.state import ensure_state_dir
    from tests.passes.test_consolidate_model import CONFIG, answering

    kept = "# Tern\n\n" + PROSE + "\n" + hub_footer("Tern.md")
    merged = "# Tern\n\n" + PROSE + "\n" + ADDED + "\n" + hub_footer("boats/RV Tern.md")
    body = "# Tern\n\n" + PROSE + "\n" + ADDED
    for number, reply in enumerate((body, body + "\n" + hub_footer("Tern.md"))):  # the body alone, or the footer written again at its end
        root = make_repo({"Tern.md": kept, "boats/RV Tern.md": merged, **LINKS, "kbsleep.toml": CONFIG}, name=f"repo{number}")
        fake.responder = answering(merge={"same": True, "reason": "The same boat.", "body": reply})
        wiki = open_wiki(root)
        report = consolidate(wiki, select_engine(wiki.config.llm, "anthropic", state_dir=ensure_state_dir(root)), Options(only=("duplicates",)))

        assert report.summary == "duplicates" and (root / "Tern.md").read_text(encoding="utf-8") == body + "\n" + hub_footer("Tern.md")
        sent = [json.dumps(r.body) for r in fake.requests if r.path == "/v1/messages"]
        assert len(sent) == number + 1 and "git-footer" not in sent[-1] and "Hub footer" not in sent[-1]  # neither page's copy is shown
