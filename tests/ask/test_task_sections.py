"""A how-to is answered under the heading that says its task ("Enabling the feature" for "How do I
turn on ...?"), or by the line that tells it ("Change the server-wide default with: ..."), rather
than by the page's line on what the thing is, or a list of what it holds, on the same page.

Seen on an LLM-maintained wiki on identity and Windows servers: "How do I turn on the Active
Directory Recycle Bin?" was answered by "The Active Directory Recycle Bin preserves all ...
attributes of deleted objects"; "How do I change the default password hashing algorithm in
RHBK?" by the list of each mode's default algorithm, above "Change the server-wide default with:
`bin/kc.sh start --spi-password-hashing-provider-default=pbkdf2-sha512`".
"""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.question import analyse
from kbsleep.search.tasks import asked_verb, opens_with_task, said_verbs
from kbsleep.search.units import Unit

ARCHIVE = """\
# Mail Archive Vault

**The Mail Archive Vault keeps every message a mailbox deletes, with its folders and flags, so a
restore brings the message back where it was.**

## What it keeps

Deleted messages stay in the vault with their folders, flags and attachments.

## Requirements

- The mail server must run release 9 or later.
- You must be a member of the Mail Admins group.

## Enabling the feature

The vault is off by default. It is enabled from the admin console with `vault enable --all`.

## Caveats

- The vault cannot be turned off again once it holds messages.
- Messages deleted before it was on are not kept.
"""

HASHING = """\
# Password hashing

## Answer

- Standard servers: `argon2` is the default hashing algorithm since release 26, with 5 iterations.
- Certified servers: `pbkdf2-sha512` is the default hashing algorithm, with 210,000 iterations.

Change the server-wide default hashing algorithm with: `server start --hashing-default=pbkdf2-sha512`

Changing the algorithm re-hashes a password the next time its user logs in.
"""


def _unit(heading: str, text: str) -> Unit:
    return Unit(source=f"Vault#{heading}", text=text, kind="sentence", order=0, block=1)


def test_a_task_is_said_by_its_verb_and_the_verbs_its_phrasal_verbs_stand_for() -> None:
    assert said_verbs(analyse("How do I turn on the archive vault?")) == {"enabl"}
    assert said_verbs(analyse("How do I change the default hashing algorithm?")) == {"chang"}
    assert asked_verb(analyse("How do I get the vault back?")) is None  # "get" names no task
    assert said_verbs(analyse("What does the vault keep?")) == frozenset()


def test_a_heading_opening_with_the_verb_or_an_imperative_of_it_says_the_task() -> None:
    said = said_verbs(analyse("How do I turn on the archive vault?"))
    assert opens_with_task(_unit("Enabling the feature", "It is enabled from the admin console."), said)
    assert not opens_with_task(_unit("Caveats", "Enable it only once."), said)  # (an imperative of "turn on" is not asked: only its heading says it)
    assert opens_with_task(_unit("Enable the vault", "Open the admin console."), said)
    # a heading naming things by the verb's noun is no task: "Search operators" for "How do I search ...?"
    assert not opens_with_task(_unit("Search operators", "`path:` finds text in a file's path."), said_verbs(analyse("How do I search for text in all notes?")))
    said = said_verbs(analyse("How do I change the default hashing algorithm?"))
    assert opens_with_task(_unit("Answer", "Change the server-wide default with: `x`"), said, "change")
    assert not opens_with_task(_unit("Answer", "Changing the algorithm re-hashes a password."), said, "change")  # a gerund subject tells no way


def test_turning_on_a_feature_is_answered_under_the_heading_that_enables_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Mail Archive Vault.md": ARCHIVE})
    found = ask(root, load_config(root), "How do I turn on the Mail Archive Vault?", engine="offline", record=False)
    assert found.found
    assert "vault enable --all" in found.text
    assert found.citations[0].target == "Mail Archive Vault#Enabling the feature"


def test_changing_a_default_is_answered_by_the_line_that_says_to_change_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Password hashing.md": HASHING})
    found = ask(root, load_config(root), "How do I change the default password hashing algorithm?", engine="offline", record=False)
    assert found.found
    assert found.text.startswith("Change the server-wide default hashing algorithm with: `server start --hashing-default=pbkdf2-sha512`")
    assert "Standard servers" not in found.text
