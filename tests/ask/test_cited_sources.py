"""An entry of a section listing a page's sources or further reading ("## References", "##
Sources") names a document; it answers no question but one asking for those. ("## See also"
points to the wiki's own pages: such a pointer may answer, `test_index_pointers`.)

Seen on an LLM-maintained wiki whose pages end with "## References" lists of source slugs: "How
large should I let a SharePoint content database grow for ordinary use?" was answered by "-
`technical-reference-some-content-databases-are-growing-too-large` — Some content databases are
growing too large (SharePoint Server) (Health Analyzer rule)".
"""

from __future__ import annotations

from kbsleep.ask import ask
from kbsleep.config import load_config
from kbsleep.search.section_heads import cites
from kbsleep.search.units import Unit
from kbsleep.search.words import stem

ARCHIVE = """\
# Archive databases

An archive database stores the mail a mailbox has moved out of its primary store; a server can
hold many of them.

## Size

Archive databases raise a warning once one passes 80 GB, a lower threshold than the 150 GB
sizing recommendation for ordinary archives.

## References

- `archive-databases-growing-too-large` — Archive databases are growing too large (warning rule)
- `archive-sizing-guide` — Archive database sizing guide
"""


def _unit(heading: str) -> Unit:
    return Unit(source=f"Archive databases#{heading}", text="`archive-sizing-guide` — Archive database sizing guide", kind="item", order=0, block=1)


def test_an_entry_under_a_sources_heading_cites_a_document() -> None:
    asked = {stem(w) for w in ("large", "archive", "database", "grow")}
    for heading in ("References", "Sources", "Further reading", "Bibliography", "External links"):
        assert cites(_unit(heading), asked), heading
    # "See also" points to the wiki's own pages, each item saying what its page tells
    for heading in ("Size", "Referenced objects", "Sources of latency", "See also"):
        assert not cites(_unit(heading), asked), heading
    # a question asking for the sources is answered by them
    assert not cites(_unit("References"), asked | {stem("references")})
    assert not cites(_unit("Sources"), asked | {stem("source")})


def test_a_question_is_answered_by_the_text_not_the_reference_naming_it(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"Archive databases.md": ARCHIVE})
    found = ask(root, load_config(root), "How large should I let an archive database grow?", engine="offline", record=False)
    assert found.found
    assert "150 GB" in found.text
    assert "archive-databases-growing-too-large" not in found.text
