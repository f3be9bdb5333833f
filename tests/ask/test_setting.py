"""A question that sets what it asks in a named thing the wiki knows ("in Keycloak", "on
Windows") is answered from a page about that thing, not from a page about another product that
shares its other words; a page is about it when a retrieved section names it or its frontmatter
files it under it ("domain: keycloak"), even when that section was not retrieved.

Seen on an LLM-maintained wiki over nine products: "How do I reset a user's password in
Keycloak?" was answered with "Reset KRBTGT password: ..." from an Active Directory page, beside
"Manage a user's credentials in the Credentials tab — set/reset passwords ..." on a page filed
under "domain: keycloak" whose text never says Keycloak.
"""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.index import Index
from kbsleep.search.question import analyse
from kbsleep.search.setting import filed, off_setting, setting_names, setting_words
from kbsleep.search.units import Unit
from kbsleep.search.words import stem

DIRECTORY = """\
---
title: Default user accounts
domain: active-directory
---

# Default user accounts

The directory creates the Administrator, Guest and KRBTGT user accounts when a domain is built.

## Password reset

Reset a user's password with care: resetting the KRBTGT user's password resets every ticket.
Reset the KRBTGT password twice, and let the reset replicate between the two resets.
"""

CREDENTIALS = """\
---
title: Managing users
domain: keycloak
---

# Managing users

Users live in a realm; each has a profile, attributes and credentials.

## Credentials

Manage a user's credentials in the Credentials tab: set or reset passwords, or require a password update at the next login.
"""

OTHERS = {
    "Realms.md": "---\ndomain: keycloak\n---\n# Realms\n\nKeycloak keeps its users, clients and roles in realms.\n",
    "Clients.md": "---\ndomain: keycloak\n---\n# Clients\n\nA Keycloak client is an application that asks for tokens.\n",
    "Sites.md": "---\ndomain: active-directory\n---\n# Sites\n\nSites group domain controllers that replicate often.\n",
    "Trusts.md": "---\ndomain: active-directory\n---\n# Trusts\n\nA trust lets the users of one domain sign in to another.\n",
    "Zones.md": "---\ndomain: dns\n---\n# Zones\n\nA zone holds the records of one part of the namespace.\n",
}


def _ask(root, question: str):  # type: ignore[no-untyped-def]
    return ask(root, load_config(root), question, engine="offline", record=False)


def test_a_question_set_in_a_product_is_answered_from_the_page_filed_under_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Default user accounts.md": DIRECTORY, "Managing users.md": CREDENTIALS, **OTHERS})
    found = _ask(root, "How do I reset a user's password in Keycloak?")
    assert found.found
    assert "Credentials tab" in found.text
    assert found.citations[0].path == "Managing users.md"
    # the other product's page still answers for its own name
    assert _ask(root, "How do I reset a user's password in Active Directory?").citations[0].path == "Default user accounts.md"


def test_a_setting_named_in_a_page_s_heading_counts_as_its_filing_does(make_repo) -> None:  # type: ignore[no-untyped-def]
    plain = {name: text.replace("domain: keycloak\n", "").replace("domain: active-directory\n", "") for name, text in OTHERS.items()}
    root = make_repo({"Default user accounts.md": DIRECTORY, "Managing users.md": CREDENTIALS.replace("domain: keycloak\n", "").replace("## Credentials", "## Credentials in Keycloak"), **plain})
    assert _ask(root, "How do I reset a user's password in Keycloak?").citations[0].path == "Managing users.md"


def test_a_page_s_filing_is_read_from_the_index_when_its_frontmatter_was_not_retrieved(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Default user accounts.md": DIRECTORY, "Managing users.md": CREDENTIALS, **OTHERS})
    with Index(root, load_config(root)) as index:
        index.refresh()
        chosen = [hit for hit in index.page_sections(["Managing users.md", "Default user accounts.md"]) if hit.heading in ("Credentials", "Password reset")]
        assert filed(index, analyse("How do I reset a user's password in Keycloak?"), chosen) == {
            "Managing users": {stem("keycloak")},
            "Default user accounts": {stem("active"), stem("directory")},
        }
        assert filed(index, analyse("How do I reset a user's password?"), chosen) == {}  # no setting: nothing read


def _unit(source: str, text: str, kind: str = "sentence", block: int = 2) -> Unit:
    return Unit(source=source, kind=kind, text=text, lead="", block=block, order=0)


FOUND = [
    _unit("Default user accounts#Password reset", "Reset the KRBTGT password twice."),
    _unit("Managing users#Credentials", "Manage a user's credentials in the Credentials tab."),
    _unit("Realms", "domain: keycloak", kind="field", block=1),
]
ASKED = analyse("How do I reset a user's password in Keycloak?")


def test_the_pages_off_the_setting_are_those_holding_fewer_of_its_names_than_another() -> None:
    weights = {stem("keycloak"): 1.7}
    # "Managing users" is filed under Keycloak in its frontmatter, not retrieved (`filed`); "Realms" in a retrieved one
    assert off_setting(ASKED, weights, FOUND, {}, {"Managing users": frozenset({stem("keycloak")})}) == {"Default user accounts"}
    assert off_setting(ASKED, weights, FOUND, {}, {}) == {"Default user accounts", "Managing users"}
    # the place's words (title, path, headings) name it too
    assert off_setting(ASKED, weights, FOUND, {"Managing users#Credentials": "Keycloak users Credentials"}, {}) == {"Default user accounts"}


def test_a_name_common_to_most_pages_or_no_setting_changes_nothing() -> None:
    assert off_setting(ASKED, {stem("keycloak"): 1.2}, FOUND, {}, {}) == set()  # "in Obsidian" on Obsidian's help
    assert off_setting(analyse("How do I reset a user's password?"), {}, FOUND, {}, {}) == set()
    assert off_setting(ASKED, {stem("keycloak"): 1.7}, FOUND[:2], {}, {}) == set()  # no page retrieved names it


def test_the_setting_names_are_the_names_after_in_on_with_using() -> None:
    assert setting_names(analyse("How do I reset a user's password in Keycloak?")) == ["keycloak"]
    assert setting_names(analyse("How do I list modules using PowerShell on Windows?")) == ["powershell", "windows"]
    assert setting_names(analyse("How do I take a screenshot on my PC?")) == []
    # a name of several words is held whole: "active sessions" is no page about Active Directory
    assert setting_words(analyse("How do I reset a password in Active Directory?")) == ["active", "directory"]
    assert setting_words(analyse("How do I set a default route with Cisco IOS XE?")) == ["cisco", "ios", "xe"]
    found = [_unit("Sessions", "Active sessions end after an hour."), _unit("Accounts", "Active Directory keeps the accounts.")]
    weights = {stem("active"): 1.6, stem("directory"): 1.8}
    assert off_setting(analyse("How do I end a session in Active Directory?"), weights, found, {}, {}) == {"Sessions"}
