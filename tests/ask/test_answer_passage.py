"""Which passage answers a how-to when several retrieved pages hold a list (issue 19, answers
that answer): the list under the heading that names the task, on the page retrieved first."""

from __future__ import annotations

from kbsleep.llm.model import Passage
from kbsleep.search.extract import pick
from kbsleep.search.rarity import idf_from
from kbsleep.search.question import analyse, verbs


def _pick(question: str, *passages: tuple[str, str]):  # type: ignore[no-untyped-def]
    asked = analyse(question)
    context = [Passage(source, text) for source, text in passages]
    return pick(asked, context, idf_from(context, asked.terms))


# -- phrasal verbs ----------------------------------------------------------------------------------


def test_a_phrasal_verb_stands_for_the_verb_a_heading_uses() -> None:
    assert verbs("How do I turn on two-factor authentication?") == ("enable",)
    assert verbs("Why did my sync get switched off?") == ("disable",)
    assert verbs("Can I turn it on and switch the other off?") == ()  # the particle must follow the verb
    assert verbs("How do I turn the page?") == ()


TWO_FACTOR = """\
Two-factor authentication adds a second step when you log into your Obsidian account.

## Disable 2FA

1. Log into your Obsidian account from your web browser.
2. In the Profile section, go to 2-factor authentication and select Disable.
3. Enter the current six digit code from your authentication app.

## Enable 2FA

1. Log into your Obsidian account from your web browser.
2. In the Profile section, go to 2-factor authentication and select Enable.
3. Scan the QR code with your authentication app.
"""


def _sections(page: str, text: str) -> list[tuple[str, str]]:
    """`text` split into passages by its `## ` headings, as the index stores sections."""
    parts = text.split("\n## ")
    return [(page, parts[0])] + [(f"{page}#{part.partition(chr(10))[0]}", part.partition("\n")[2]) for part in parts[1:]]


def test_turn_on_gets_the_enable_steps_not_the_disable_steps() -> None:
    got = _pick("How do I turn on two-factor authentication for my Obsidian account?", *_sections("2-factor authentication", TWO_FACTOR))
    assert got is not None
    assert got.sources == ("2-factor authentication#Enable 2FA",)
    assert "Scan the QR code" in got.text
    assert "Disable" not in got.text


def test_turn_off_gets_the_disable_steps() -> None:
    got = _pick("How do I turn off two-factor authentication for my Obsidian account?", *_sections("2-factor authentication", TWO_FACTOR))
    assert got is not None
    assert got.sources == ("2-factor authentication#Disable 2FA",)


# -- a list on another page ---------------------------------------------------------------------


TEMPLATES = (
    "Templates#Template variables",
    "| Variable | Description |\n|---|---|\n| `{{date}}` | Today's date. Default format: `YYYY-MM-DD`. |\n"
    "| `{{time}}` | Current time. Default format: `HH:mm`. |\n\n"
    "To set a date format string for the Templates plugin, add a colon followed by a format, for example `{{date:YYYY-MM-DD}}`.\n",
)
FILTERS = (
    "Web Clipper filters#date",
    "Converts a date to the specified format.\n\n"
    '- `{{published|date:"YYYY-MM-DD"}}` converts the date to "YYYY-MM-DD".\n'
    '- Use `date:("outputFormat", "inputFormat")` to give the format of the date it reads.\n',
)


def test_a_how_to_keeps_the_first_page_s_answer_over_another_page_s_list() -> None:
    """The Web Clipper's `date` filter is a list under a heading of one word the question uses;
    the Templates plugin's own page, retrieved first, answers with its sentence."""
    got = _pick("How do I make the Templates plugin insert the date in a format other than YYYY-MM-DD?", TEMPLATES, FILTERS)
    assert got is not None
    assert got.sources[0] == "Templates#Template variables"
    assert "Web Clipper" not in " ".join(got.sources)


def test_a_list_on_another_page_still_answers_when_it_scores_better() -> None:
    """Only the bar is higher: the second page's list answers when the first page holds nothing
    better than a passing mention."""
    first = ("Daily notes", "Daily notes open a note named after today's date.\n")
    steps = (
        "Web Clipper filters#Change the date format of a clipped page",
        "To change the date format of a clipped page:\n\n"
        '1. Open the template of the clipped page.\n2. Add the filter `|date:"DD.MM.YYYY"` to its date variable.\n',
    )
    got = _pick("How do I change the date format of a clipped page?", first, steps)
    assert got is not None
    assert got.sources == ("Web Clipper filters#Change the date format of a clipped page",)
    assert "1. Open the template" in got.text


# -- a task in the page's title -------------------------------------------------------------------

CREATE_A_VAULT = """\
To create a new empty vault:

1. To the right of **Create new vault**, click **Create**.
2. In **Vault name**, enter the name of your vault.
3. Click **Browse** to select where your new vault will be created.
"""

REMOTE_VAULT = """\
To sync to a new remote vault, follow these steps:

1. Open **Settings → Sync**.
2. Choose **Create new vault** and follow the steps to create it.
3. Select **resume** to start syncing to the new remote vault.
"""


def test_the_task_a_page_title_names_is_evidence_in_its_own_steps() -> None:
    # "Create a vault" is a task, not a name: its words count in the page's own sentences, so the
    # page retrieved first for the task answers it, not a page that mentions the task in passing
    got = _pick("How do I create a new vault?", ("Create a vault#Create empty vault", CREATE_A_VAULT), ("Plans and storage limits#Create a new remote vault", REMOTE_VAULT))
    assert got is not None
    assert got.sources == ("Create a vault#Create empty vault",)
    assert "Vault name" in got.text


TEMPLATE_VARIABLES = """\
You can add dynamic information to your templates, using template variables.

| Variable    | Description                                     |
|-------------|-------------------------------------------------|
| `{{title}}` | Title of the active note.                       |
| `{{date}}`  | Today's date. **Default format:** `YYYY-MM-DD`. |

Both `{{date}}` and `{{time}}` allow you to change the default format using a format string.

To set a format string, add a colon (`:`) followed by a string of Moment.js format tokens, for example `{{date:YYYY-MM-DD}}`.
"""


def test_a_how_to_is_answered_by_the_sentence_that_says_what_to_do() -> None:
    # "To set a format string, add ..." says what to do; the list item only names the default
    got = _pick("How do I make the Templates core plugin insert the date in a format other than YYYY-MM-DD?", ("Templates#Template variables", TEMPLATE_VARIABLES))
    assert got is not None
    assert got.text.startswith("To set a format string, add a colon")
