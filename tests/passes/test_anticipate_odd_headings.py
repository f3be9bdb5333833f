"""Headings and sentences whose words make no question as they stand (issue 19, seen on two LLM
wikis nobody tuned on): a comparison ("Compared with Newman's patterns" was asked "What is Compared
with ...?"), a clause with a negation ("When it isn't enough" -> "When do X isn't enough?"), a noun
read as a task ("Upgrade and rollout penalty" -> "How do I upgrade and rollout penalty?"), a verb
we do not know ("Define the container's API surface" -> "What is Define ...?"), a verdict asked as a
definition ("Machine failure is the worse case" -> "What is machine failure?"), and a sentence
announcing a code block that is not quoted, quoted mid-answer. The cases here are of our own."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.citable_units import verdict
from kbsleep.passes.heading_phrases import comparison, statement, task, unknown_verb_phrase
from kbsleep.passes.offline_questions import generate


def answers(text: str, name: str) -> dict[str, str]:
    return {qa.question: qa.answer for qa in generate([Passage(name, text)])}


BEES = """\
# Hive Cooling

**Summary**: How a colony keeps its brood nest near 35 degrees on hot days.

## Fanning

Workers fan their wings at the entrance to pull cool air through the hive.

## Compared with bumblebee nests

Bumblebee colonies are small and rarely need to cool their nests at all.

## Water carrying vs fanning

Water carrying cools by evaporation; fanning moves air that is already there.

## Hive cooling versus hive heating

In winter the colony shivers its flight muscles instead of fanning.

## When it isn't enough

On the hottest days the bees cluster outside the entrance, which is called bearding.

## Sterilize the frames

Scorch old frames with a blowtorch before they go back into a hive.

## Upload and storage limits

The hive scale sends one reading an hour; the app keeps a year of readings.

## Install and calibrate the hive scale

Put the scale on a level stand, then zero it with an empty hive body on top.

## Swarming — a colony's last resort

A swarm leaves with the old queen when the hive is too hot and too full.

## Works for nucs too

Small nucleus hives cool the same way, with fewer fanners.

## Airflow = entrance width times fanners

A wider entrance lets fewer bees move the same air.
"""


def test_a_heading_that_compares_the_page_s_thing_asks_how_it_compares() -> None:
    asked = answers(BEES, "Hive Cooling")
    assert "How does Hive Cooling compare with bumblebee nests?" in asked
    assert "How does Hive Cooling compare with hive heating?" in asked  # the heading's first thing is the page's
    assert "What is the difference between water carrying and fanning?" in asked
    assert not any("Compared with" in q or " vs " in q or "versus" in q for q in asked)


def test_a_comparison_with_a_label_after_it_or_no_title_to_compare_asks_nothing() -> None:
    assert comparison("Liveness vs readiness: which probe", "Health Probes", "do") == ""
    assert comparison("Compared with paper notes", "", "does") == ""
    assert comparison("Version control", "Git", "does") is None  # ("vs" is no word in it)


def test_a_clause_heading_with_a_negation_puts_it_before_the_subject() -> None:
    asked = answers(BEES, "Hive Cooling")
    assert "When isn't Hive Cooling enough?" in asked
    assert not any(" do Hive Cooling isn't" in q for q in asked)


def test_a_verb_joined_to_a_noun_is_no_task_and_two_verbs_still_are() -> None:
    assert task("Upload and storage limits") is None
    assert task("Install and calibrate the hive scale") == "install and calibrate the hive scale"
    asked = answers(BEES, "Hive Cooling")
    assert not any("upload and storage" in q for q in asked)  # (no topic either: we cannot tell its words apart)
    assert task("Hide and unhide navigation items") == "hide and unhide navigation items"
    assert any(q.startswith("How do I install and calibrate the hive scale") for q in asked)


def test_a_word_we_do_not_know_before_the_is_a_verb_and_asks_nothing() -> None:
    assert unknown_verb_phrase("Sterilize the frames")
    assert unknown_verb_phrase("Document each container")
    assert not unknown_verb_phrase("All the settings")
    assert not unknown_verb_phrase("Beyond the basics")  # (a preposition: `statement`'s to judge)
    assert not any("terilize" in q for q in answers(BEES, "Hive Cooling"))


def test_an_aside_after_a_dash_is_left_out_of_the_question() -> None:
    asked = answers(BEES, "Hive Cooling")
    assert any(q.endswith("swarming?") for q in asked)
    assert not any("last resort" in q for q in asked)


def test_a_remark_on_what_came_before_and_a_formula_are_no_topics() -> None:
    assert statement("Works for nucs too")
    assert statement("Airflow = entrance width times fanners")
    assert not statement("Airflow and entrance width")
    asked = answers(BEES, "Hive Cooling")
    assert not any("nucs" in q or "=" in q for q in asked)


def test_two_gerunds_joined_are_two_tasks() -> None:
    assert task("Choosing and setting hive weights") == "choose and set hive weights"
    assert task("Choosing and rollout penalty") is None


def test_an_acronym_after_a_gerund_is_its_object() -> None:
    assert task("Adding TTL") == "add TTL"
    assert task("Loading screen") is None


SMOKER = """\
# Bee Smoker

A bee smoker is a can with bellows that puffs cool smoke into a hive.

## Lighting it

Pine needles light fast and burn cool. Cold smoke is the safe choice near brood. Heat is the binding constraint on how long a puff can last.
A hygrometer is a gauge that measures how damp the fuel is. The fuel is the same mix of needles and burlap every time.
Burlap is the best fuel of the three. A smouldering cone is a good sign:

## Recipe

Mix the fuel the night before. The smoker's fuel recipe for a long inspection:

```
needles: 2 handfuls
burlap: 1 strip
cardboard: 1 roll
light: from the bottom
puff: three times
wait: thirty seconds
then: close the lid
check: smoke is cool
```

The burlap keeps it alight for an hour.
"""


def test_a_verdict_is_no_definition_to_ask_about() -> None:
    asked = answers(SMOKER, "Bee Smoker")
    assert "What is a hygrometer?" in asked
    for judged in ("cold smoke", "heat", "burlap", "the fuel"):
        assert f"What is {judged}?" not in asked
    assert asked["What is a smouldering cone?"].startswith("A smouldering cone is a good sign. [[")  # (its ":" announced nothing quoted)
    assert verdict("the binding constraint on uptime")
    assert verdict("a prerequisite for tracing")
    assert verdict("a natural place to keep spare frames")
    assert not verdict("a place where bees gather water")
    assert not verdict("an alternative way to import frames")
    assert not verdict("a gauge that measures damp")
    assert not verdict("a popular storage option for phones")  # (an option is a kind of thing)
    assert not verdict("the same as the app version")  # (says which: a fact)
    assert not verdict("the mechanism by which a colony picks its best site")  # (a word after a preposition names, not judges)


def test_a_sentence_announcing_what_is_not_quoted_is_left_out_of_the_answer() -> None:
    asked = answers(SMOKER, "Bee Smoker")
    recipe = next(a for q, a in asked.items() if "recipe" in q.casefold())
    assert recipe.startswith("Mix the fuel the night before. [[")  # (not "... inspection: The burlap keeps it alight")



HIVES = """\
# Hive Scales

## Where the readings are kept

Hive scale readings are stored by Apiary Cloud in the following regions:

```
eu-west: Dublin
us-east: Virginia
ap-south: Mumbai
sa-east: Sao Paulo
af-south: Cape Town
```

Readings older than a year are deleted.

## Calibration

Each scale is zeroed with a call that stores the empty weight in the hive's config:

```
zero_weight = read_weight()
config.save("empty", zero_weight)
config.save("date", today())
config.save("units", "kg")
config.save("scale", scale_id)
```

## Keyboard shortcuts

To zero the scale from the app, use:
`Ctrl+Z` then `Enter`.
"""


def test_an_answer_never_quotes_an_announcement_before_what_does_not_follow_it() -> None:
    said = " ".join(answers(HIVES, "Hive Scales").values())
    assert "regions:" not in said
    code = "```\n" + "".join(f"frame_{n}: full\n" for n in range(9)) + "```\n"
    page = f"# Hive Scales\n\n## Sorting\n\nHives are sorted by weight, heaviest first:\n\nThe order can be reversed:\n\n{code}"
    assert not any(a.endswith(":") or ": [[" in a for a in answers(page, "Hive Scales").values())  # (nor one ending on ":")


def test_a_section_that_opens_by_announcing_code_too_long_to_quote_is_not_asked_about() -> None:
    asked = answers(HIVES, "Hive Scales")
    assert not any("calibrat" in q.casefold() for q in asked)
    assert not any("zeroed with a call" in a for a in asked.values())


def test_an_announcement_followed_by_its_text_is_quoted_with_it() -> None:
    said = " ".join(answers(HIVES, "Hive Scales").values())
    assert "To zero the scale from the app, use: `Ctrl+Z` then `Enter`." in said


BY_MEANS = """\
# Bee smoker

## Light the smoker

Stuff the chamber with pine needles and light them from below.

### Light using a blowtorch

Hold the flame to the fuel for ten seconds, then pump the bellows.

### Light via matches

Drop two burning matches onto the needles and pump the bellows gently.

## Open the hive

### Open via the top bar

Lift the top bar with the hive tool and set it down beside the hive.
"""


def test_a_task_heading_naming_only_its_means_does_what_the_heading_above_names() -> None:
    asked = list(answers(BY_MEANS, "Bee smoker"))
    assert any(q.startswith("How do I light the smoker using a blowtorch") for q in asked)
    assert any(q.startswith("How do I light the smoker via matches") for q in asked)
    assert any(q.startswith("How do I open the hive via the top bar") for q in asked)  # not "open via the top bar": open what?
    assert not any(q.startswith(("How do I light via", "How do I light using", "How do I open via")) or "'s light" in q for q in asked)
