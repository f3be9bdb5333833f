"""The payoff measured fairly (issue 19, item 7): the offline answerer standing in for a model
weighs words by how rare they are in the wiki, whatever it was sent (`search.rarity`); and a
"how do I" question's compact context carries its task's steps, not a summary that cuts them."""

from __future__ import annotations

import math
from pathlib import Path

from kbsleep.ask import offline_answer
from kbsleep.config import load_config
from kbsleep.llm.budget import local_tokens
from kbsleep.llm.model import Passage, Request
from kbsleep.search import context
from kbsleep.search.index import Index
from kbsleep.search.question import analyse
from kbsleep.search.rarity import Rarity, idf, word_rarity
from kbsleep.search.retrieve import retrieve

PIN_STEPS = """\
1. Open Settings and choose the Command palette entry under Plugin options in the sidebar.
2. Next to New pinned command, click Select a command from the long list of commands.
3. Select the command you want to pin from the list that appears in the middle of the window.
4. Press Enter to confirm the choice and close the list of commands again.
5. Drag the pinned command up or down to change where it sits among the other pinned ones."""

PALETTE = f"""\
# Command palette

The Command palette lets you run any command from your keyboard, and shows the hotkey of each.

## Pin a command

You can pin frequently used commands at the top of the Command palette, so that you reach them without typing their names. Pinned commands stay in place until you unpin them again.

{PIN_STEPS}

## Unpin a command

1. Open Settings and choose Command palette under Plugin options.
2. Under Pinned commands, click the cross icon next to the command you want to unpin.
"""

TABS = """\
# Tabs

Tabs hold your open notes. To pin a tab, right-click the tab and select Pin.
"""


def compact_for(root: Path, question: str) -> dict[str, str]:
    config = load_config(root)
    with Index(root, config) as index:
        index.refresh()
        asked = analyse(question)
        passages, _ = context.compact(index, config, asked, retrieve(index, asked))
    return {p.source: p.text for p in passages}


# -- the wiki's word rarity ------------------------------------------------------------------


def test_word_rarity_counts_the_pages_of_the_wiki_that_hold_each_word(make_repo) -> None:
    root = make_repo({"Command palette.md": PALETTE, "Tabs.md": TABS, "Notes.md": "# Notes\n\nPlain words only.\n"})
    with Index(root, load_config(root)) as index:
        index.refresh()
        table = word_rarity(index, ["pin", "palette", "hotkey", "zeppelin", "pin"])
    assert table == Rarity({"pin": 2, "palette": 1, "hotkey": 1, "zeppelin": 0}, 3)
    frequency, weights = table.of(["pin", "palette", "unlisted"])
    assert frequency == {"pin": 2, "palette": 1, "unlisted": 1}  # a word the table lacks counts as in one page
    assert weights == {"pin": idf(2, 3), "palette": idf(1, 3), "unlisted": idf(1, 3)}
    assert idf(1, 3) == math.log(1 + 2.5 / 1.5) and idf(2, 3) < idf(1, 3)


LICENSE = (  # a context focused on one page, as a compact context is
    Passage("Catalyst license#Catalyst tiers", "| Benefits | Insider | Supporter | VIP |\n|---|---|---|---|\n| Contribution (USD) | $25 | $50 | $100 |"),
    Passage("Catalyst license#Join our Insider channels", "You join the Insider channels after you buy a Catalyst license.\n\n- vip-lounge for discussions with Catalyst members."),
    Passage("Catalyst license#Access Catalyst benefits", "Once you've purchased a Catalyst license, you can access a range of benefits."),
    Passage("Catalyst license#Get your forum badge", "To get your Catalyst badge, join our forum and open your account dashboard."),
)
VIP = "How much does the VIP tier of the Catalyst license cost?"
INCLUDES = "What does the VIP tier of the Catalyst license include?"
ROW = "Benefits: Contribution (USD); Insider: $25; Supporter: $50; VIP: $100."
HELP_VAULT = Rarity({"vip": 1, "tier": 4, "catalyst": 10, "license": 19, "cost": 2}, 173)  # as in Obsidian's help vault


def test_with_the_wiki_table_the_page_name_counts_in_a_context_of_that_page_only() -> None:
    # Among these sources the page's name is in every one, so weighed by the context alone it
    # counts for nearly nothing, and the row (which holds none of "tier", "include" in its own words)
    # falls under the bar for an answer that says nothing of what is asked about the named thing.
    # A model knows "Catalyst" is a rare word; so does the wiki's table.
    # (Asked for an amount, the row holds what is asked: "How much does ... cost?" is answered either way.)
    alone = offline_answer(Request("answer", INCLUDES, context=LICENSE))
    weighed = offline_answer(Request("answer", INCLUDES, context=LICENSE), HELP_VAULT)
    assert alone.output is not None and weighed.output is not None
    assert (alone.output.found, weighed.output.found) == (False, True)
    assert (weighed.output.answer, weighed.output.citations) == (ROW, ["Catalyst license#Catalyst tiers"])


def test_with_the_wiki_table_the_answer_does_not_depend_on_the_other_sources_sent() -> None:
    other = Passage("Sync#Devices", "Sync keeps your vault the same on every device you sign in on.")
    for sent in (LICENSE, (other, *LICENSE), LICENSE[:1], (LICENSE[0], LICENSE[2])):
        result = offline_answer(Request("answer", VIP, context=sent), HELP_VAULT)
        assert result.output is not None and (result.output.found, result.output.answer) == (True, ROW)


# -- a how-to's steps ------------------------------------------------------------------------


def test_a_how_to_gets_the_steps_of_its_task_section_not_its_summary(make_repo) -> None:
    root = make_repo({"Command palette.md": PALETTE, "Tabs.md": TABS})
    question = "How do I pin a command?"
    config = load_config(root)
    with Index(root, config) as index:
        index.refresh()
        asked = analyse(question)
        ranked = retrieve(index, asked)
        (task,) = [h for h in ranked.hits if h.heading == "Pin a command"]
        summary = context.summaries_of(index, [task])[task.id]
        passages, by_target = context.compact(index, config, asked, ranked)
    assert "Press Enter" not in summary  # the summary keeps only some of the steps
    assert context.task_section(asked, ranked.hits) == task
    sent = {p.source: p.text for p in passages}
    assert sent["Command palette#Pin a command"] == "Pinned commands stay in place until you unpin them again.\n" + PIN_STEPS
    assert by_target["Command palette#Pin a command"] == task  # cited as the section it stands for


def test_neither_the_sibling_task_nor_a_question_that_is_no_how_to_has_a_task_section(make_repo) -> None:
    root = make_repo({"Command palette.md": PALETTE, "Tabs.md": TABS})
    with Index(root, load_config(root)) as index:
        index.refresh()
        asked = analyse("How do I pin a command?")
        hits = retrieve(index, asked).hits
    assert context.task_section(asked, [h for h in hits if h.heading != "Pin a command"]) is None  # "unpin" is not "pin"
    assert context.task_section(analyse("Where do pinned commands appear?"), hits) is None


def test_steps_keep_each_list_after_the_sentence_that_introduces_it() -> None:
    text = "Some words first.\n\nTo add one:\n\n1. Open it.\n2. Click **Add**.\n\nOr from the menu:\n\n- Choose Add\n- Confirm\n"
    assert context.steps(text) == "To add one:\n1. Open it.\n2. Click Add.\n\nOr from the menu:\n- Choose Add\n- Confirm"
    assert context.steps("No list here at all.\n") == ""


def test_the_steps_cost_no_more_than_the_raw_section_and_stay_within_the_budget(make_repo) -> None:
    root = make_repo({"Command palette.md": PALETTE, "Tabs.md": TABS})
    sent = compact_for(root, "How do I pin a command?")
    section = PALETTE.split("## Pin a command\n", 1)[1].split("## Unpin", 1)[0]
    assert local_tokens(sent["Command palette#Pin a command"]) <= local_tokens(section)
    assert sum(local_tokens(t) for t in sent.values()) <= load_config(root).ask.context_tokens
