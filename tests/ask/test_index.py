"""The search index: sections as rows, incremental by blob id, rebuilt when deleted or corrupt."""

from __future__ import annotations

from pathlib import Path

from kbsleep.cli import main
from kbsleep.config import load_config
from kbsleep.search.index import Index, index_path
from kbsleep.search.queries import fts_query
from kbsleep.search.sections import chunks
from kbsleep.search.words import query_terms
from kbsleep.wiki.parse import parse_page
from tests.ask.support import COBALT, wiki_files
from tests.conftest import git


def refresh(root: Path):  # type: ignore[no-untyped-def]
    with Index(root, load_config(root)) as index:
        return index.refresh(), index.stats()


def test_sections_are_rows_and_the_anticipate_section_is_not_one_of_them(make_repo) -> None:
    root = make_repo(wiki_files())
    page = parse_page("projects/Cobalt.md", (root / "projects/Cobalt.md").read_bytes())
    assert [(heading, start, end) for heading, start, end, _ in chunks(page)] == [
        ("", 1, 5), ("Cobalt", 7, 10), ("Maintainers", 12, 14), ("Licensing", 16, 18),
    ]  # fmt: skip
    assert all("Anticipated questions" not in text for *_, text in chunks(page))
    done, counts = refresh(root)
    # index.md and log.md describe the wiki; they are not indexed
    assert (done.updated, done.rebuilt, counts) == (4, True, {"pages": 4, "sections": 7, "questions": 2, "fresh_questions": 2})


def test_titles_and_aliases_are_boosted(make_repo) -> None:
    files = {**wiki_files(), "notes/Pipelines.md": "# Pipelines\n\nA pipeline pipeline pipeline is a chain of steps.\n"}
    root = make_repo(files)
    with Index(root, load_config(root)) as index:
        index.refresh()
        assert index.search(["cobalt", "pipeline"])[0].page == "projects/Cobalt.md"


def test_updates_are_incremental(make_repo) -> None:
    root = make_repo(wiki_files())
    refresh(root)
    done, _ = refresh(root)
    assert (done.updated, done.removed, done.rebuilt) == (0, 0, False)
    (root / "people/Ada Lovelace.md").write_text("# Ada Lovelace\n\nAda kept bees.\n", encoding="utf-8")
    (root / "orte/Alte Brücke.md").unlink()
    (root / "projects/Cobalt.md").touch()  # same bytes, new mtime: nothing to re-index
    done, counts = refresh(root)
    assert (done.updated, done.removed, counts["pages"]) == (1, 1, 3)
    with Index(root, load_config(root)) as index:
        assert [hit.text for hit in index.search(["bees"])] == ["# Ada Lovelace\n\nAda kept bees."]


def test_a_deleted_index_is_rebuilt(make_repo) -> None:
    root = make_repo(wiki_files())
    refresh(root)
    index_path(root).unlink()
    done, counts = refresh(root)
    assert (done.rebuilt, done.updated, counts["sections"]) == (True, 4, 7)


def test_a_corrupt_index_is_rebuilt_silently(make_repo, capsys) -> None:
    root = make_repo(wiki_files())
    refresh(root)
    for suffix in ("-wal", "-shm"):
        Path(f"{index_path(root)}{suffix}").unlink(missing_ok=True)
    index_path(root).write_bytes(b"this is not a database" * 100)
    assert main(["--wiki", str(root), "-q", "ask", "When was Ada Lovelace born?"]) == 0
    out, err = capsys.readouterr()
    assert "1815" in out and err == ""


def test_a_truncated_index_is_rebuilt(make_repo) -> None:
    root = make_repo(wiki_files())
    refresh(root)
    data = index_path(root).read_bytes()
    index_path(root).write_bytes(data[: len(data) // 2])
    with Index(root, load_config(root)) as index:
        assert index.refresh().rebuilt
        assert index.search(["1815"])[0].page == "people/Ada Lovelace.md"


def test_queries_are_built_from_words_only() -> None:
    assert query_terms('"Cobalt* AND (NEAR -licence)" ^x:y') == ["cobalt", "near", "licence", "x", "y"]
    assert fts_query(["cobalt", "near"]) == '"cobalt" OR "near"'
    assert fts_query([]) == ""


def test_the_index_command(make_repo, capsys) -> None:
    root = make_repo(wiki_files(cobalt=COBALT))
    assert main(["--wiki", str(root), "index"]) == 0
    assert capsys.readouterr().out.startswith("index built: 4 pages indexed, 0 removed; 4 pages, 7 sections, 0 precomputed questions (")
    assert main(["--wiki", str(root), "index", "--rebuild"]) == 0
    assert capsys.readouterr().out.startswith("index built: 4 pages indexed")
    assert "index.sqlite" not in git(root, "status", "--porcelain", "--ignored")


def test_a_page_edited_twice_without_a_commit_is_reindexed_both_times(make_repo) -> None:
    root = make_repo(wiki_files())
    refresh(root)
    page = root / "people/Ada Lovelace.md"
    page.write_text("# Ada Lovelace\n\nAda kept bees.\n", encoding="utf-8")
    assert refresh(root)[0].updated == 1
    page.write_text("# Ada Lovelace\n\nAda kept goats, many goats.\n", encoding="utf-8")
    assert refresh(root)[0].updated == 1
    assert refresh(root)[0].updated == 0
    with Index(root, load_config(root)) as index:
        assert index.search(["goats"])[0].page == "people/Ada Lovelace.md" and index.search(["bees"]) == []


def test_new_reverted_renamed_and_committed_pages_are_all_seen(make_repo) -> None:
    root = make_repo(wiki_files())
    refresh(root)
    (root / "notes").mkdir()
    (root / "notes/Bees.md").write_text("# Bees\n\nBees make honey.\n", encoding="utf-8")  # new, untracked
    (root / "people/Ada Lovelace.md").write_text("# Ada Lovelace\n\nAda kept goats.\n", encoding="utf-8")
    assert refresh(root)[0].updated == 2
    git(root, "checkout", "--", "people/Ada Lovelace.md")  # reverted: clean again, must be re-read
    git(root, "mv", "orte/Alte Brücke.md", "orte/Brücke.md")  # renamed
    done, counts = refresh(root)
    assert (done.updated, done.removed, counts["pages"]) == (2, 1, 5)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "more")  # a new HEAD: every page is checked again
    (root / "notes/Bees.md").unlink()
    git(root, "commit", "-q", "-am", "no bees")
    done, counts = refresh(root)
    assert (done.updated, done.removed, counts["pages"]) == (0, 1, 4)
    with Index(root, load_config(root)) as index:
        assert {hit.page for hit in index.search(["1815", "goats", "honey", "sandstein"])} == {"people/Ada Lovelace.md", "orte/Brücke.md"}


def indexed(root: Path) -> list[str]:
    with Index(root, load_config(root)) as index:
        index.refresh()
        return sorted(row[0] for row in index.db.execute("SELECT path FROM pages"))


def test_hidden_files_and_obsidian_s_excluded_files_are_not_searched(make_repo) -> None:
    """Obsidian hides Excluded files "in Search", and hidden files everywhere; `include` brings
    them back, and a change to either setting re-indexes."""
    root = make_repo({
        "A.md": "# A\n\nCobalt.\n", ".github/README.md": "# Cobalt\n", "notes/.drafts/B.md": "# B\n",
        "Archive/Old.md": "# Old cobalt\n", ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}',
    })  # fmt: skip
    assert indexed(root) == ["A.md"]
    (root / "kbsleep.toml").write_text('include = [".github/", "Archive/"]\n')
    assert indexed(root) == [".github/README.md", "A.md", "Archive/Old.md"]
    (root / "kbsleep.toml").unlink()
    (root / ".obsidian" / "app.json").write_text("{}")
    assert indexed(root) == ["A.md", "Archive/Old.md"]


def test_the_agent_s_instruction_files_are_not_searched(make_repo) -> None:
    root = make_repo({"A.md": "# A\n\nCobalt.\n", "AGENTS.md": "# Rules\n\nAsk about cobalt first.\n", "CLAUDE.md": "@AGENTS.md\n", "notes/AGENTS.md": "# Notes\n"})
    assert indexed(root) == ["A.md"]  # a nested one too: a sub-wiki's (or a package's) rules
    (root / "kbsleep.toml").write_text('include = ["AGENTS.md"]\n')
    assert indexed(root) == ["A.md", "AGENTS.md", "notes/AGENTS.md"]  # a glob without a `/` matches at any depth
