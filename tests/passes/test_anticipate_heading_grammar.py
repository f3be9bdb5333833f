"""Headings read by their grammar, as a user reads the questions made from them in their own wiki
(issue 20, seen on Obsidian's help vault: "What are the identify and delete large files in Plans and
storage limits?", "How do I link to a file in Internal links?", "What is the access in Security and
privacy?"). A task is asked "How do I ...?" however its verb is known (the page says it as a verb, an
adverb leads it, the headings beside it are tasks); "in <title>" is said only where the page is a
place, and as the page says it; a name in code is asked what it does. The cases here are of our own."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.passes.offline_questions import generate


def questions(text: str, name: str) -> list[str]:
    return [qa.question for qa in generate([Passage(name, text)])]


def page(title: str, *sections: tuple[str, str], lead: str = "") -> str:
    body = "".join(f"## {heading}\n\n{text}\n\n" for heading, text in sections)
    return f"# {title}\n\n{lead or f'{title} is a part of the Hivekeeper app.'}\n\n{body}"


# -- tasks -------------------------------------------------------------------------------------------


def test_a_word_the_page_says_as_a_verb_before_the_heading_s_own_object_leads_a_task() -> None:
    text = page(
        "Wintering",
        ("Winterize hives", "Wrap each hive in felt before the first frost."),
        ("Smoking bees", "Use cool smoke only."),
        lead="Wintering is how a colony survives the cold. You can winterize hives in October, and you can smoke bees to calm them.",
    )
    asked = questions(text, "Wintering")
    assert any(q.startswith("How do I winterize hives") for q in asked)
    assert any(q.startswith("How do I smoke bees") for q in asked)
    assert not any("winterize hives?" in q and q.startswith("What") for q in asked)


def test_an_adverb_then_a_word_then_an_article_is_a_task() -> None:
    asked = questions(page("Harvest", ("Gently uncap the frames", "Slice the wax caps off with a warm knife.")), "Harvest")
    assert any(q.startswith("How do I gently uncap the frames") for q in asked)
    assert not any(q.startswith("What is") and "uncap" in q for q in asked)


def test_a_gerund_before_a_name_the_page_writes_so_is_a_task_and_before_a_head_noun_a_thing() -> None:
    text = page(
        "Team setup",
        ("Customizing Hivekeeper", "Pick the theme and the units."),
        ("Editing tools and services", "Several editors work with the exported notes."),
        lead="Team setup is for groups of beekeepers. An admin can shape Hivekeeper for the whole team.",
    )
    asked = questions(text, "Team setup")
    assert any(q.startswith("How do I customize Hivekeeper") for q in asked)
    assert not any(q.startswith("How do I edit tools") for q in asked)


def test_a_heading_led_by_a_verb_or_a_noun_is_a_task_beside_tasks_on_the_same_things() -> None:
    text = page(
        "Frames",
        ("Add a frame", "Slide the frame into the box."),
        ("Remove a frame", "Lift the frame by its lugs."),
        ("Export frames", "Choose Export to write a list of frames."),
    )
    assert "How do I export frames?" in questions(text, "Frames")
    text = page(
        "Moving frames",
        ("Drag a frame", "Hold the frame's tab."),
        ("Drag a box", "Hold the box's handle."),
        ("Drop zones", "The empty slots of a box."),
    )
    asked = questions(text, "Moving frames")
    assert not any(q.startswith("How do I drop zones") for q in asked)  # what it acts on is another thing


def test_a_run_of_names_led_by_the_same_word_stays_names() -> None:
    text = page(
        "Hive search",
        ("Search terms", "Type words to find."),
        ("Search fields", "Name a field to look in it."),
        ("Add terms to a list", "Keep the terms you use often."),
        ("Remove terms from a list", "Delete a kept term."),
        ("Copy terms", "Copy them as a list."),
    )
    asked = questions(text, "Hive search")
    assert not any(q.startswith(("How do I search terms", "How do I search fields")) for q in asked)


def test_the_reader_is_I_in_a_task() -> None:
    asked = questions(page("Harvest", ("Choose the frames you want to harvest", "Capped frames only.")), "Harvest")
    assert any(q.startswith("How do I choose the frames I want to harvest") for q in asked)


def test_a_headline_s_dropped_article_comes_back_where_the_page_counts_the_thing() -> None:
    text = page(
        "Apiaries",
        ("Create new apiary", "Name it after its field."),
        ("Move hive to another apiary", "Drag it across."),
        ("Add sugar", "Feed in autumn."),
        lead="Apiaries hold your hives. Each hive belongs to an apiary, and you can move a hive to any apiary. You can add sugar syrup.",
    )
    asked = questions(text, "Apiaries")
    assert any(q.startswith("How do I create a new apiary") for q in asked)
    assert any(q.startswith("How do I move a hive to another apiary") for q in asked)
    assert any(q.startswith("How do I add sugar") for q in asked)  # no "a sugar": the page counts none


def test_a_verb_ending_in_ly_is_no_adverb() -> None:
    asked = questions(page("Treatments", ("Apply a mite strip", "Hang it between brood frames.")), "Treatments")
    assert any(q.startswith("How do I apply a mite strip") for q in asked)


# -- where a task is done ----------------------------------------------------------------------------


def test_a_task_that_names_the_page_s_topic_is_asked_without_the_title() -> None:
    text = page(
        "Hive inspections",
        ("Record an inspection", "Tap Record and walk through the checklist."),
        lead="Hive inspections are the weekly checks of each colony.",
    )
    asked = questions(text, "Hive inspections")
    assert "How do I record an inspection?" in asked


def test_a_task_named_by_the_title_s_initials_needs_no_title() -> None:
    text = page("Varroa mite treatment", ("Apply VMT strips", "Hang two strips between the brood frames."))
    asked = questions(text, "Varroa mite treatment")
    assert "How do I apply VMT strips?" in asked


def test_a_place_is_said_as_the_page_says_it() -> None:
    text = page(
        "Smoker",
        ("Add fuel", "Pack pine needles loosely."),
        lead="The smoker calms the bees. In the smoker, fuel smoulders slowly.",
    )
    asked = questions(text, "Smoker")
    assert "How do I add fuel in the smoker?" in asked


def test_a_topic_the_page_names_as_a_thing_is_no_place() -> None:
    text = page(
        "Guild membership",
        ("Renew your forum badge", "Badges last a year."),
        lead="Guild membership costs ten crowns. Once you own a Guild membership, you can join the spring swap.",
    )
    asked = questions(text, "Guild membership")
    assert "How do I renew my forum badge?" in asked


def test_a_thing_the_page_writes_in_lower_case_is_said_in_lower_case() -> None:
    text = page(
        "Recipes",
        ("Use sweeteners", "Honey replaces sugar one for one."),
        lead="Recipes turn the harvest into food. You can keep your recipes in one folder.",
    )
    asked = questions(text, "Recipes")
    assert "How do I use sweeteners in recipes?" in asked


def test_a_verb_and_particle_with_only_a_means_takes_the_page_s_thing_as_its_object() -> None:
    text = page(
        "Custom hosts",
        ("Set up using a bridge", "Point the bridge at the hive server."),
        lead="Custom hosts serve your hive log. You can add a custom host to any plan.",
    )
    asked = questions(text, "Custom hosts")
    assert "How do I set up a custom host using a bridge?" in asked


# -- things ------------------------------------------------------------------------------------------


def test_a_name_in_code_is_asked_what_it_does() -> None:
    filters = questions(page("Filters", ("`upper`", "Makes text upper case."), lead="Filters change a value."), "Filters")
    assert "What does the `upper` filter do?" in filters
    cli = questions(page("Hive CLI", ("`hive check`", "Checks every hive."), lead="Hive CLI is a terminal tool."), "Hive CLI")
    assert "What does `hive check` do?" in cli
    assert not any("'s `" in q or "' `" in q for q in filters + cli)


def test_a_platform_word_before_a_noun_names_a_thing_not_a_platform() -> None:
    asked = questions(page("Field app", ("Mobile toolbar", "The toolbar sits above the keyboard.")), "Field app")
    assert not any("work on mobile toolbar" in q for q in asked)


def test_other_and_more_ask_what_else_there_is() -> None:
    text = page("Rules and conduct", ("Other offenses", "Spam and impersonation."), lead="Rules and conduct keep the forum friendly.")
    assert "What other offenses are there in Rules and conduct?" in questions(text, "Rules and conduct")
    text = page("Core tools", ("Other tools", "A hive scale and a refractometer."), ("More formats", "CSV and JSON."))
    asked = questions(text, "Core tools")
    assert "What other tools are there?" in asked and "What other formats are there in Core tools?" in asked


def test_pointers_elsewhere_ask_nothing() -> None:
    asked = questions(page("Swarming", ("Useful links", "The guild's swarm list."), ("Important resources", "The county map.")), "Swarming")
    assert not any("links" in q or "resources" in q for q in asked)


def test_a_thing_that_is_no_count_takes_no_article() -> None:
    text = page(
        "Rules and conduct",
        ("Harassment", "Harassment of any member ends in a ban."),
        ("Live editing", "Two stewards can edit a rule at once."),
        ("Description", "A line on each rule says what it is for."),
        lead="Rules and conduct keep the forum friendly.",
    )
    asked = questions(text, "Rules and conduct")
    assert "What is harassment in Rules and conduct?" in asked
    assert "What is the description in Rules and conduct?" in asked  # a thing one counts keeps its article
    assert "What is live editing in Rules and conduct?" in asked


def test_names_and_one_thing_s_parts_agree_in_number() -> None:
    text = page(
        "Hive analytics",
        ("Bee Counter", "Counts bees at the entrance."),
        ("Phone and tablet syncing", "Counts reach every device."),
        ("All readings view", "Shows every reading."),
        lead="Hive analytics reports on traffic. The app sends counts to Bee Counter each hour.",
    )
    asked = questions(text, "Hive analytics")
    assert not any(q.startswith(("What are Bee Counter", "What are phone and tablet syncing", "What are readings view")) for q in asked)
    assert "What is the All readings view?" in asked


def test_a_verb_alone_or_a_way_to_be_asks_nothing() -> None:
    text = page("Rules and conduct", ("Access", "Members log in to read."), ("Being especially rude", "Sneering at newcomers."))
    asked = questions(text, "Rules and conduct")
    assert not any("access" in q.casefold() or "being" in q.casefold() for q in asked)


def test_a_sentence_about_doing_something_defines_nothing() -> None:
    said = "Renaming and removing hives is a natural part of keeping an apiary. Other sites may still link to your old hives."
    asked = questions(page("Apiary log", ("Old hives", said)), "Apiary log")
    assert not any("renaming and removing" in q.casefold() for q in asked)
