"""What the abstention asks of an answer that is a page named by its opening sentence, and of a
question set in a place the wiki never mentions: `abstain.decide` on hand-made picks."""

from __future__ import annotations

from kbsleep.search.abstain import decide
from kbsleep.search.extract import Pick
from kbsleep.search.question import analyse
from kbsleep.search.units import Unit

ORTELIUS = Unit("Abraham Ortelius", "A flemish cartographer who realized that South America and Africa looked to have been split", "sentence", 0, 0)


def _pick(titled: bool) -> Pick:
    # the opening holds the names the question uses and none of what it asks of them, in its words
    return Pick(units=(ORTELIUS,), text=ORTELIUS.text, sources=(ORTELIUS.source,), coverage=0.3, own=0.3, cosine=0.45,
                form=True, best=0.5, attribute=0.0, held=frozenset({"south", "america", "africa"}), titled=titled)  # fmt: skip


FREQUENCY = {w: 3 for w in ("mapmaker", "first", "noticed", "south", "america", "africa", "seem", "fit", "together")}
IDF = dict.fromkeys(FREQUENCY, 2.0)


def test_a_page_named_by_its_opening_is_the_thing_a_which_question_asks_for() -> None:
    question = analyse("Which mapmaker first noticed that South America and Africa seem to fit together?")
    assert decide(question, _pick(titled=True), FREQUENCY, IDF, 100, 0.3, True).found
    # the same sentence quoted as it is says nothing of what is asked about the names
    assert decide(question, _pick(titled=False), FREQUENCY, IDF, 100, 0.3, True).reason == "no passage says anything of what the question asks about what it names"


def test_a_question_set_in_a_place_the_wiki_never_mentions_is_not_answered() -> None:
    question = analyse("Which mapmaker first noticed that South America and Africa fit together in Atlantis?")
    verdict = decide(question, _pick(titled=True), {**FREQUENCY, "atlantis": 0}, {**IDF, "atlantis": 0.5}, 100, 0.3, True)
    assert (verdict.found, verdict.reason) == (False, "the wiki never mentions Atlantis")
