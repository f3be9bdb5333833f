"""A question that names a page the search did not bring (its name is on many other pages) is
answered from that page (issue 19)."""

from __future__ import annotations

from kbsleep.config import load_config
from kbsleep.search.index import Hit, Index
from kbsleep.search.question import analyse
from kbsleep.search.retrieve import retrieve
from tests.ask.support import TwoRankings


class _Named(TwoRankings):
    """BM25 and the vectors bring guides that mention Dataview; the index knows the page named so."""

    def __init__(self, hits: list[Hit], page: Hit) -> None:
        super().__init__(hits)
        self.page = page

    def pages_named(self, name, alias=False):  # type: ignore[no-untyped-def]
        return (self.page.page,) if name == "Dataview" else ()

    def page_sections(self, pages):  # type: ignore[no-untyped-def]
        return [self.page] if pages == [self.page.page] else []


def test_the_page_a_question_names_is_brought_and_ranked_first_when_the_search_did_not_bring_it() -> None:
    guides = [Hit(f"guides/Dataview guide {i}.md", f"Dataview guide {i}", "", 1, 1, "Dataview queries, developed further.", 1.0, i) for i in range(1, 4)]
    plugin = Hit("plugins/dataview.md", "Dataview", "Dataview", 1, 5, "Developed by: blacksmithgu", 0.0, 9)
    ranked = retrieve(_Named(guides, plugin), analyse("Who developed Dataview?"), vector=[1.0])
    assert (ranked.about, ranked.pages[0]) == ("plugins/dataview.md", "plugins/dataview.md")
    other = retrieve(_Named(guides, plugin), analyse("Who developed the Kanban plugin?"), vector=[1.0])
    assert other.about is None and "plugins/dataview.md" not in other.pages


def test_a_page_is_named_by_its_title_or_file_name_whole_and_only_when_one_is(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({"a/Plan.md": "# Plan\n\nx\n", "b/Plan.md": "# Plan\n\ny\n", "Cobalt pipeline.md": "# Cobalt pipeline\n\nz\n"})
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert index.pages_named("cobalt PIPELINE") == ("Cobalt pipeline.md",)
        assert index.pages_named("Cobalt") == ()  # a part of a name names nothing
        assert index.pages_named("Plan") == ("a/Plan.md", "b/Plan.md")  # two pages of that name: the question's words decide (`search.namesakes`)


def test_a_name_with_quotes_or_fts_syntax_is_looked_up_as_text(make_repo) -> None:  # type: ignore[no-untyped-def]
    root = make_repo({'Say "hi" NEAR me.md': "# x\n\ny\n"})
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert index.pages_named('Say "hi" NEAR me') == ('Say "hi" NEAR me.md',)
        assert index.pages_named('a" OR "b') == () and index.pages_named("C++ (beta)*") == ()
