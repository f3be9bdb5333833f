"""Which files are pages, and the parse cache that keeps unchanged pages from being parsed twice."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from kbsleep.config import Config
from kbsleep.wiki import load_wiki
from kbsleep.wiki.cache import CACHE_FILE, PARSER_MODULES
from kbsleep.wiki.discovery import glob_match
from tests.conftest import git


def test_tracked_and_untracked_pages_count_but_ignored_ones_do_not(make_repo) -> None:
    root = make_repo({"Tracked.md": "# T\n", ".gitignore": "ignored/\nscratch.md\n"})
    (root / "Untracked.md").write_text("# U\n")
    (root / "scratch.md").write_text("# S\n")
    (root / "ignored").mkdir()
    (root / "ignored" / "Page.md").write_text("# I\n")
    (root / ".kbsleep").mkdir(exist_ok=True)
    (root / ".kbsleep" / "State.md").write_text("# state\n")
    assert sorted(load_wiki(root).pages) == ["Tracked.md", "Untracked.md"]


def test_exclude_globs_drop_pages(make_repo) -> None:
    root = make_repo({"Keep.md": "# K\n", "drafts/Draft.md": "# D\n", "a/b/tmp-x.md": "# X\n"})
    wiki = load_wiki(root, Config(exclude=("drafts/", "**/tmp-*.md")))
    assert sorted(wiki.pages) == ["Keep.md"]


def test_glob_match_follows_gitignore_conventions() -> None:
    assert glob_match("drafts", "drafts/a/b.md")
    assert glob_match("*.md", "deep/in/x.md")
    assert glob_match("inbox/**", "inbox/note.md")
    assert not glob_match("inbox/**", "other/inbox.md")
    assert glob_match("**/tmp-*.md", "tmp-1.md")


def test_a_symlink_that_leaves_the_wiki_is_not_followed(make_repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("# Secret\n")
    root = make_repo({"Page.md": "# P\n", "Inner.md": "# Inner\n"})
    os.symlink(outside, root / "Leak.md")
    os.symlink(root / "Inner.md", root / "Alias.md")
    assert sorted(load_wiki(root).pages) == ["Alias.md", "Inner.md", "Page.md"]


def test_outside_git_every_file_is_walked(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "A.md").write_text("# A\n[[B]]\n")
    (tmp_path / "sub" / "B.md").write_text("# B\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "C.md").write_text("# C\n")
    wiki = load_wiki(tmp_path)
    assert sorted(wiki.pages) == ["A.md", "sub/B.md"]
    assert wiki.git_top is None


def test_the_state_folder_is_created_git_ignored_and_tagged(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    load_wiki(root)
    state = root / ".kbsleep"
    assert (state / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (state / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert git(root, "status", "--porcelain") == ""


def test_an_unchanged_page_is_never_parsed_twice(make_repo) -> None:
    root = make_repo({"A.md": "# A\n[[B]]\n", "B.md": "# B\n"})
    assert load_wiki(root).stats == {"parsed": 2, "cached": 0}
    assert load_wiki(root).stats == {"parsed": 0, "cached": 2}
    (root / "B.md").write_text("# B changed\n")
    again = load_wiki(root)
    assert again.stats == {"parsed": 1, "cached": 1}
    assert again.pages["B.md"].title == "B changed"
    assert again.pages["A.md"].text == "# A\n[[B]]\n"  # cached pages get their text back


def test_a_corrupt_or_foreign_cache_is_rebuilt_silently(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    load_wiki(root)
    cache = root / ".kbsleep" / CACHE_FILE
    for junk in (b"not a pickle", b"", b"\x80\x05K\x01."):  # the last is a valid pickle of 1
        cache.write_bytes(junk)
        wiki = load_wiki(root)
        assert wiki.stats == {"parsed": 1, "cached": 0}
        assert wiki.pages["A.md"].title == "A"


def test_a_read_only_state_folder_does_not_stop_the_load(make_repo) -> None:
    root = make_repo({"A.md": "# A\n"})
    (root / ".kbsleep").write_text("a file where the folder should be")
    assert load_wiki(root).pages["A.md"].title == "A"


def test_a_cold_load_of_many_pages_uses_worker_processes(make_repo) -> None:
    files = {f"p{i}.md": f"# Page {i}\n\nLinks to [[p{(i + 1) % 500}]].\n" for i in range(500)}
    wiki = load_wiki(make_repo(files))
    assert wiki.stats["parsed"] == 500
    assert all(item.status == "resolved" for item in wiki.links())


def test_a_few_changed_pages_go_to_a_small_delta_file_until_it_is_compacted(make_repo) -> None:
    from kbsleep.wiki.cache import DELTA_FILE

    files = {f"p{i}.md": f"# Page {i}\n\n[[p{(i + 1) % 120}]]\n" for i in range(120)}
    root = make_repo(files)
    state = root / ".kbsleep"
    load_wiki(root)
    base = (state / CACHE_FILE).stat().st_mtime_ns
    (root / "p3.md").write_text("# Page 3, edited\n")
    assert load_wiki(root).stats == {"parsed": 1, "cached": 119}
    assert (state / CACHE_FILE).stat().st_mtime_ns == base  # the base file was not rewritten
    assert (state / DELTA_FILE).exists()
    again = load_wiki(root)
    assert again.stats == {"parsed": 0, "cached": 120} and again.pages["p3.md"].headings[0].text == "Page 3, edited"
    for i in range(110):  # more than a twentieth of the wiki (and than 100 pages): compact
        (root / f"p{i}.md").write_text(f"# Page {i}, v2\n")
    assert load_wiki(root).stats["parsed"] == 110
    assert not (state / DELTA_FILE).exists()
    assert load_wiki(root).stats == {"parsed": 0, "cached": 120}


def test_a_page_from_the_cache_equals_the_page_parsed_afresh(make_repo) -> None:
    text = "---\ntitle: A\nborn: 1950\n---\n# A\n\nBorn:: 1950, see [[B#Top]].\n\n<!-- note -->\n- item ^blk\n"
    root = make_repo({"A.md": text, "B.md": "# Top\n"})
    load_wiki(root)
    cached, fresh = load_wiki(root), load_wiki(root, use_cache=False)
    assert cached.stats["cached"] == 2
    assert cached.pages == fresh.pages
    assert cached.pages["A.md"].to_row() == fresh.pages["A.md"].to_row()  # still packed, or not


def test_a_warm_load_reads_only_the_columns_of_the_fields_it_uses(make_repo) -> None:
    root = make_repo({"A.md": "---\naliases: [Ay]\n---\n# A\n\nProse about [[B]].\n", "B.md": "# B\n"})
    load_wiki(root)
    page = load_wiki(root).pages["A.md"]
    store, _ = page.__dict__["_stored"]
    assert page.aliases == ("Ay",) and page.title == "A"
    assert page.headings[0].text == "A"
    assert "_packed_headings@" in store._loaded and "_packed_blocks@" not in store._loaded  # where each page's lies
    assert [block.text for block in page.blocks] == ["A", "Prose about [[B]]."]


def test_a_load_that_writes_the_base_cache_anew_reads_the_pages_it_did_not_parse_from_it(make_repo) -> None:
    files = {f"p{i}.md": f"# Page {i}\n\n[[p{(i + 1) % 120}]]\n" for i in range(120)}
    root = make_repo(files)
    cold = load_wiki(root)
    assert cold.stats == {"parsed": 120, "cached": 0}
    assert not any("_stored" in page.__dict__ for page in cold.pages.values())  # parsed now: rows in memory
    for i in range(110):  # more than a twentieth of the wiki (and than 100 pages): the base file is written anew
        (root / f"p{i}.md").write_text(f"# Page {i}, v2\n\n[[p{(i + 1) % 120}]]\n")
    again = load_wiki(root)
    assert again.stats == {"parsed": 110, "cached": 10}
    assert [path for path, page in again.pages.items() if "_stored" in page.__dict__] == [f"p{i}.md" for i in sorted(range(110, 120), key=str)]
    assert again.pages == load_wiki(root, use_cache=False).pages
    assert all(item.status == "resolved" for item in again.links())


@pytest.mark.parametrize("damage", ["truncate", "foreign key"])
def test_a_damaged_base_cache_is_a_cold_load_not_an_error(make_repo, damage: str) -> None:
    root = make_repo({"A.md": "# A\n", "B.md": "# B\n[[A]]\n"})
    load_wiki(root)
    cache = root / ".kbsleep" / CACHE_FILE
    data = cache.read_bytes()
    cache.write_bytes(data[: len(data) // 2] if damage == "truncate" else data.replace(b"parse-cache", b"parse-cachf", 1))
    wiki = load_wiki(root)
    assert wiki.stats == {"parsed": 2, "cached": 0}
    assert [item.status for item in wiki.links()] == ["resolved"]
    assert load_wiki(root).stats == {"parsed": 0, "cached": 2}


def test_a_cache_damaged_after_it_was_opened_is_a_clear_error_and_is_rebuilt_next_time(make_repo) -> None:
    from kbsleep.errors import KbsleepError

    root = make_repo({"A.md": "# A\n\n[[B]] and [[B#Top]]\n", "B.md": "# Top\n"})
    load_wiki(root)
    wiki = load_wiki(root)  # nothing read yet of A's links
    cache = root / ".kbsleep" / CACHE_FILE
    data = cache.read_bytes()
    links = data.find(b"B#Top")  # A's packed links
    with open(cache, "r+b") as handle:  # in place, under the open map
        handle.seek(links - 8)
        handle.write(b"\xff" * 16)
    with pytest.raises(KbsleepError, match="parse cache .* is damaged"):
        [page.links for page in wiki.pages.values()] + [page.headings for page in wiki.pages.values()]
    assert not cache.exists()
    assert load_wiki(root).stats == {"parsed": 2, "cached": 0}


def test_an_edit_that_keeps_size_and_modification_time_is_still_seen(make_repo, monkeypatch) -> None:
    import time

    import kbsleep.wiki.load

    monkeypatch.setattr(kbsleep.wiki.load, "RACY_NS", 0)  # trust a status just written
    root = make_repo({"A.md": "# Old title\n"})
    page = root / "A.md"
    load_wiki(root)
    settled = page.stat()
    time.sleep(0.05)  # past the file system clock's tick: what RACY_NS guards against in real use
    page.write_text("# New title\n")  # same size
    os.utime(page, ns=(settled.st_atime_ns, settled.st_mtime_ns))  # and the same mtime, as rsync -t
    assert load_wiki(root).pages["A.md"].headings[0].text == "New title"  # the inode change time gives it away


def test_a_page_changed_behind_a_snapshot_is_a_clear_error_not_stale_text(make_repo, monkeypatch) -> None:
    import kbsleep.wiki.load
    from kbsleep.errors import KbsleepError
    from kbsleep.wiki import take_snapshot

    monkeypatch.setattr(kbsleep.wiki.load, "RACY_NS", 0)  # trust a status just written (its ctime is now)
    root = make_repo({"A.md": "# A\n\nsome text\n"})
    page = root / "A.md"
    load_wiki(root)  # remembers A.md's status and blob
    wiki = load_wiki(snapshot=take_snapshot(root, config=Config()))
    page.write_text("# A\n\nother text\n")
    with pytest.raises(KbsleepError, match="A.md changed while kbsleep was reading the wiki"):
        _ = wiki.pages["A.md"].text  # never the stale text


def test_a_corrupt_or_foreign_stat_cache_is_ignored(make_repo) -> None:
    import marshal

    from kbsleep.wiki.cache import STATS_FILE

    root = make_repo({"A.md": "# A\n"})
    load_wiki(root)
    stats = root / ".kbsleep" / STATS_FILE
    shapes = (("kbsleep stat-cache 1", "not a dict"), ("other", {}), ("kbsleep stat-cache 1", {"A.md": 5}))
    for junk in (b"\x00torn", b"", *map(marshal.dumps, shapes)):
        stats.write_bytes(junk)
        (root / "A.md").write_text("# A again\n")
        assert load_wiki(root).pages["A.md"].title == "A again"


def test_a_stat_cache_a_few_edits_behind_is_kept_and_still_exact(make_repo, monkeypatch) -> None:
    import time

    import kbsleep.wiki.load
    from kbsleep.wiki.cache import STATS_FILE

    monkeypatch.setattr(kbsleep.wiki.load, "RACY_NS", 0)  # trust a status just written
    root = make_repo({f"P{n}.md": f"# Page {n}\n" for n in range(60)})
    load_wiki(root)
    stats = root / ".kbsleep" / STATS_FILE
    kept = stats.read_bytes()
    for n, title in ((3, "Three"), (3, "Three again"), (7, "Seven")):  # 2 of 60 out of date: kept
        time.sleep(0.05)  # past the file system clock's tick
        (root / f"P{n}.md").write_text(f"# {title}\n")
        assert load_wiki(root).pages[f"P{n}.md"].headings[0].text == title
        assert stats.read_bytes() == kept
    for n in range(60):  # every entry out of date: rewritten
        (root / f"P{n}.md").write_text(f"# Page {n} rewritten\n")
    assert load_wiki(root).pages["P59.md"].headings[0].text == "Page 59 rewritten"
    assert stats.read_bytes() != kept


def test_the_parse_cache_key_covers_every_module_of_the_parser() -> None:
    """A row is made by `parse.py` and what it imports from `kbsleep.wiki` (at the top or in a
    function): an edit to any of them must change the key, or an editable install would read
    rows another parser made."""
    folder = Path(__file__).parents[2] / "kbsleep" / "wiki"
    found, todo = set(), ["parse.py"]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        for node in ast.walk(ast.parse((folder / name).read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kbsleep.wiki."):
                todo.append(node.module.removeprefix("kbsleep.wiki.") + ".py")
    assert found <= set(PARSER_MODULES), found - set(PARSER_MODULES)
