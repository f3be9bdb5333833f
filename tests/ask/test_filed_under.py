"""A page filed under a domain, a product or a tag in its frontmatter ("domain: cisco-ios-xe") is
about that, whether or not its text says the name again: a question naming it is answered there.

Seen on an LLM-maintained wiki over several vendors' systems: "... how long does a Cisco switch
port take before it starts passing traffic ...?" was "Not in the wiki" ("no passage that answers
mentions cisco") beside "a port takes ~30 s to begin forwarding" on the Spanning Tree page, filed
under "domain: cisco-ios-xe" and titled for IOS XE.
"""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.facts import filed_under
from kbsleep.search.units import Unit
from kbsleep.search.words import stem

BRIDGING = """\
---
title: Bridge ports
domain: cisco-ios
tags: [switching]
---

# Bridge ports

A Layer-2 protocol that blocks redundant ports so the switched topology is a loop-free tree.

## Port states

Each port moves from blocking through listening and learning to forwarding. Listening and
learning each last one forward delay (default 15 seconds), so a port needs 30 seconds to begin
forwarding after a topology change.
"""

OTHERS = {
    "Cisco overview.md": "---\ndomain: cisco-ios\n---\n# Cisco overview\n\nCisco IOS runs the routers and switches of the campus network.\n",
    "Routing.md": "---\ndomain: juniper\n---\n# Routing\n\nRouters exchange routes with their neighbours and keep the best one for each prefix.\n",
    "Tokens.md": "---\ndomain: identity\n---\n# Tokens\n\nAn access token lives five minutes; a refresh token lives thirty days.\n",
    "Time.md": "---\ndomain: windows\n---\n# Time\n\nDomain controllers keep their clocks within five minutes of each other.\n",
}

ASKED = "How long does a {} switch port take before it starts passing traffic after a topology change?"


def test_a_question_naming_the_domain_a_page_is_filed_under_is_answered_there(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Bridge ports.md": BRIDGING, **OTHERS})
    found = ask(root, load_config(root), ASKED.format("Cisco"), engine="offline", record=False)
    assert found.found
    assert "30 seconds to begin forwarding" in found.text
    assert found.citations[0].path == "Bridge ports.md"


def test_a_page_filed_under_nothing_or_another_domain_does_not_answer_for_the_name(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Bridge ports.md": BRIDGING.replace("domain: cisco-ios\n", ""), **OTHERS})
    assert not ask(root, load_config(root), ASKED.format("Cisco"), engine="offline", record=False).found
    root = make_repo({"Bridge ports.md": BRIDGING, **OTHERS}, name="juniper")
    assert not ask(root, load_config(root), ASKED.format("Juniper"), engine="offline", record=False).found  # filed under Cisco, not Juniper


def test_only_the_keys_that_file_a_page_count() -> None:
    def field(text: str) -> Unit:
        return Unit(source="Bridge ports", kind="field", text=text, lead="", block=1, order=0)

    found = [field("domain: cisco-ios"), field("tags: switching, layer-2"), field("status: reviewed by Juniper"), field("summary: Cisco bridges")]
    # the domain's and the tags' words, stemmed; not a status's nor a summary's
    assert filed_under({"Bridge ports"}, found) == {stem(w) for w in ("cisco", "ios", "switching", "layer", "2")}
    assert filed_under({"Other page"}, found) == set()
