"""The link cache: a load reuses the last load's link outcomes only where no change can reach them."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kbsleep.config import Config
from kbsleep.wiki import load_wiki
from kbsleep.wiki.cache import LINKS_FILE, TABLES_FILE

PATHS = ("Alpha.md", "beta.md", "sub/Alpha.md", "sub/Delta.md", "other/Gamma Ray.md", "Mira.md")
NAMES = ("Alpha", "Beta", "Delta", "Gamma Ray", "Kestrel", "Mira", "sub/Alpha", "Alpha.md", "Rover")
HEADINGS = ("One", "Two", "Three")
ATTACHMENTS = ("img.png", "sub/img.png", "doc.pdf")
LINKS = (
    "[[Alpha]]", "[[Alpha#One]]", "[[alpha#Two]]", "[[sub/Alpha]]", "[[Alpha.md]]", "[[Delta#^blk]]",
    "[[Gamma Ray#Three]]", "[[Kestrel]]", "[[Rover|shown]]", "[[#One]]", "![[img.png]]", "[[doc.pdf]]",
    "[[Mira]]", "[[Beta#One#Two]]", "[x](sub/Delta.md#two)", "[y](../Alpha.md)", "[z](Alpha.md)",
    "[w](sub/img.png)", "[v](Mira.md#three)",
    # Markdown links by file name, which fall back to the name tables like wikilinks
    "[q](Delta.md)", "![r](img.png)", "[s](<Gamma Ray.md#Three>)", "[t](Gamma%20Ray#three)", "[u](Mira)",
    "[n](doc.pdf#page=2)", "[o](Alpha.md#^blk)",
)  # fmt: skip

page_text = st.builds(
    lambda title, aliases, headings, block, links: "\n".join(
        [
            "---",
            *([f"title: {title}"] if title else []),
            f"aliases: [{', '.join(aliases)}]",
            "---",
            *(f"## {heading}\n\ntext" for heading in headings),
            *(["para ^blk"] if block else []),
            *links,
            "",
        ]
    ),
    st.sampled_from(("", *NAMES)),
    st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
    st.lists(st.sampled_from(HEADINGS), max_size=3, unique=True),
    st.booleans(),
    st.lists(st.sampled_from(LINKS), max_size=6),
)
edit = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(PATHS), page_text),
    st.tuples(st.just("append"), st.sampled_from(PATHS), st.sampled_from(("## One", "## Three", "para ^blk", "[[Alpha#Two]]", "x"))),
    st.tuples(st.just("delete"), st.sampled_from(PATHS), st.just("")),
    st.tuples(st.just("attach"), st.sampled_from(ATTACHMENTS), st.just("")),
    st.tuples(st.just("detach"), st.sampled_from(ATTACHMENTS), st.just("")),
)


def outcomes(wiki) -> dict:
    return {path: [(r.status, r.target, r.others, r.attachment) for r in links] for path, links in wiki.outlinks.items()}


def graph(wiki) -> tuple[dict, dict]:
    """The back-links, read before any page's links are (so they come from the cached outcomes
    alone), and every outcome; the back-links are checked against their definition."""
    back = {path: list(links) for path, links in wiki.backlinks.items()}
    expected: dict = {}
    for links in wiki.outlinks.values():
        for item in links:
            if item.target is not None and not item.attachment:  # opens, or was meant for, a page
                expected.setdefault(item.target, []).append(item)
    assert back == expected
    return {path: [(r.source, r.link, r.status) for r in links] for path, links in back.items()}, outcomes(wiki)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(PATHS), page_text, min_size=1), st.lists(edit, min_size=1, max_size=5), st.booleans())
def test_outcomes_after_any_edits_equal_a_load_without_caches(start: dict[str, str], edits: list, rewrite: bool) -> None:
    """With the link cache rewritten after every load, or kept from the first one throughout.
    The folder is not a git repository: which files make up the wiki is discovery's concern (its
    own tests), and listing them by walking the folder saves two git processes an example."""
    import kbsleep.wiki.load as wiki_module

    root = Path(tempfile.mkdtemp())
    share = wiki_module.REWRITE_SHARE
    try:
        for path, text in start.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        load_wiki(root, Config())
        wiki_module.REWRITE_SHARE = share if rewrite else 0
        for action, path, text in edits:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if action == "write":
                target.write_text(text)
            elif action == "append":  # an edit that keeps every name: headings and blocks come and go
                if target.exists():
                    target.write_text(target.read_text() + text + "\n")
            elif action == "attach":
                target.write_bytes(b"\x89PNG")
            else:
                target.unlink(missing_ok=True)
            cached = load_wiki(root, Config())
            assert graph(cached) == graph(load_wiki(root, Config(), use_cache=False))
    finally:
        wiki_module.REWRITE_SHARE = share
        shutil.rmtree(root)


def test_an_unchanged_wiki_resolves_no_link_again(make_repo) -> None:
    root = make_repo({"A.md": "# A\n[[B#Top]] [[C]]\n", "B.md": "# Top\n", "C.md": "[[A]]\n"})
    assert load_wiki(root).resolver.computed == 3
    assert (root / ".kbsleep" / LINKS_FILE).exists()
    assert load_wiki(root).resolver.computed == 0


def test_editing_a_page_re_resolves_only_links_that_could_reach_it(make_repo) -> None:
    root = make_repo({"A.md": "[[B#Top]] [[C]]\n", "B.md": "# Top\n", "C.md": "[[A]] [[B]]\n"})
    load_wiki(root)
    (root / "B.md").write_text("# Bottom\n")
    wiki = load_wiki(root)
    assert wiki.resolver.computed == 2  # [[B#Top]] and [[B]]; [[C]] and [[A]] are reused
    assert wiki.outlinks["A.md"][0].status == "missing-anchor"


def test_a_new_title_or_alias_reaches_links_that_name_it(make_repo) -> None:
    root = make_repo({"A.md": "[[Kestrel]]\n", "vehicles/Rover.md": "# Rover\n"})
    assert load_wiki(root).outlinks["A.md"][0].status == "missing"
    (root / "vehicles/Rover.md").write_text("---\naliases: [Kestrel]\n---\n# Rover\n")
    resolved = load_wiki(root).outlinks["A.md"][0]
    assert (resolved.status, resolved.target) == ("meant-for", "vehicles/Rover.md")


def test_a_corrupt_link_cache_is_ignored(make_repo) -> None:
    root = make_repo({"A.md": "[[B]]\n", "B.md": "# B\n"})
    load_wiki(root)
    (root / ".kbsleep" / LINKS_FILE).write_bytes(b"\x00garbage")
    wiki = load_wiki(root)
    assert wiki.resolver.computed == 1 and wiki.outlinks["A.md"][0].status == "resolved"


def test_a_heading_added_to_a_page_reaches_links_to_it_when_no_name_changed(make_repo) -> None:
    root = make_repo({"A.md": "[[B#Later]] [[B]]\n", "B.md": "---\ntitle: B\n---\ntext\n"})
    assert load_wiki(root).outlinks["A.md"][0].status == "missing-anchor"
    with open(root / "B.md", "a") as page:
        page.write("## Later\n")
    wiki = load_wiki(root)
    assert wiki.outlinks["A.md"][0].status == "resolved"
    assert wiki.resolver.computed == 2  # both links to B checked again; no lookup tables built
    assert "_tables" not in vars(wiki.resolver)


def test_lookup_tables_are_kept_for_the_names_they_were_built_from(make_repo) -> None:
    root = make_repo({"A.md": "[[B]]\n", "B.md": "# B\n"})
    load_wiki(root)
    tables = root / ".kbsleep" / TABLES_FILE
    built = tables.read_bytes()
    (root / "A.md").write_text("[[B]] [[Kestrel]]\n")  # new links, same names: the tables hold
    assert load_wiki(root).outlinks["A.md"][1].status == "missing"
    assert tables.read_bytes() == built
    (root / "B.md").write_text("---\naliases: [Kestrel]\n---\n# B\n")  # a new alias: built again
    assert load_wiki(root).outlinks["A.md"][1].status == "meant-for"
    assert tables.read_bytes() != built
    tables.write_bytes(b"\x00garbage")  # a torn file is no cache
    (root / "A.md").write_text("[[Kestrel]] [[B]]\n")
    assert [r.status for r in load_wiki(root).outlinks["A.md"]] == ["meant-for", "resolved"]


def test_a_link_cache_left_behind_by_several_edits_still_gives_exact_outcomes(make_repo, monkeypatch) -> None:
    import kbsleep.wiki.load as wiki_module

    root = make_repo({"A.md": "[[B#Top]] [[C]] [[Kestrel]]\n", "B.md": "# Top\n", "C.md": "[[A]] [[B#Top]]\n"})
    load_wiki(root)
    saved = (root / ".kbsleep" / LINKS_FILE).read_bytes()
    monkeypatch.setattr(wiki_module, "REWRITE_SHARE", 0)  # a few outcomes worked out: not rewritten
    edits = [
        ("B.md", "# Bottom\n"),  # the anchor of two links goes
        ("C.md", "[[A]] [[B#Bottom]] [[D]]\n"),  # a changed page, a link to a page not there yet
        ("D.md", "---\naliases: [Kestrel]\n---\n# D\n"),  # a new page, and a new alias
    ]
    for path, text in edits:
        (root / path).write_text(text)
        assert graph(load_wiki(root)) == graph(load_wiki(root, use_cache=False))
    assert (root / ".kbsleep" / LINKS_FILE).read_bytes() == saved
