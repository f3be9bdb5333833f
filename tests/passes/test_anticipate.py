"""`anticipate` with the offline engine: golden output, incremental runs, hand edits, git, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep import answers
from kbsleep import missed
from kbsleep.git import transaction
from kbsleep.config import LLMConfig
from kbsleep.errors import KbsleepError
from kbsleep.llm import select_engine
from kbsleep.passes.anticipate import Anticipated, AnsweredQuestion, Options, anticipate, validate
from kbsleep.state import ensure_state_dir
from kbsleep.wiki import open_wiki
from tests.conftest import FIXTURES, git

GOLDEN = FIXTURES / "anticipate" / "golden"
PAGES = ("projects/Cobalt.md", "people/Dev Arunachalam.md", "places/Port Evra.md")


@pytest.fixture
def repo(make_repo) -> Path:
    return make_repo(fixture="anticipate/wiki")


def run(root: Path, **options) -> object:
    wiki = open_wiki(root)
    model = select_engine(wiki.config.llm, "offline", state_dir=ensure_state_dir(root))
    return anticipate(wiki, model, Options(**options))


def inside(text: str) -> str:
    """The lines between the anticipate fence comments."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("<!-- kbsleep:anticipate "))
    end = next(i for i, line in enumerate(lines) if line.startswith("<!-- /kbsleep:anticipate"))
    return "".join(lines[start + 1 : end])


def test_the_offline_engine_writes_the_golden_questions(repo: Path) -> None:
    outcome = run(repo)
    assert sorted(w.path for w in outcome.written) == sorted(PAGES)
    for path in PAGES:
        golden = (GOLDEN / Path(path).name).read_text(encoding="utf-8")
        assert inside((repo / path).read_text(encoding="utf-8")) == golden, path


def test_questions_are_natural_and_answers_combine_linked_pages(repo: Path) -> None:
    run(repo)
    evra = (repo / "places/Port Evra.md").read_text(encoding="utf-8")
    cobalt = (repo / "projects/Cobalt.md").read_text(encoding="utf-8")
    assert "**How many people live in Port Evra?**" in evra  # from `population: 41,000`
    assert "**What is the Old Quay?**" in evra  # a definition sentence
    assert "**What licence does Cobalt use?**" in cobalt  # from `## Licensing`
    maintainer = cobalt.split("**Who maintains Cobalt?**\n", 1)[1].split("\n", 1)[0]
    assert maintainer == (
        "Cobalt is maintained by Dev Arunachalam. [[Cobalt]] Devendra \"Dev\" Arunachalam is the research "
        "software engineer of the observatory and the maintainer of Cobalt. [[Dev Arunachalam]]"
    )
    assert "title of" not in cobalt.casefold()


def test_everything_outside_the_fence_stays_byte_for_byte(repo: Path) -> None:
    before = {p: (repo / p).read_bytes() for p in PAGES}
    run(repo)
    for path, original in before.items():
        after = (repo / path).read_bytes()
        assert after.startswith(original) and after[len(original) :].startswith(b"\n<!-- kbsleep:anticipate v=1 ")
    assert (repo / "index.md").read_bytes() == (FIXTURES / "anticipate/wiki/index.md").read_bytes()  # excluded


def test_one_commit_with_the_pass_trailers(repo: Path) -> None:
    outcome = run(repo)
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("kbsleep anticipate: 3 pages\n")
    assert "Kbsleep-Pass: anticipate" in message and "Kbsleep-Model: offline" in message
    assert "Kbsleep-Tokens: 0" in message and "Kbsleep-Run: " in message
    assert git(repo, "rev-list", "--count", "HEAD") == "2\n"
    assert outcome.commit is not None and git(repo, "status", "--porcelain") == ""


def test_a_second_run_changes_nothing_and_asks_no_model(repo: Path) -> None:
    run(repo)
    head = git(repo, "rev-parse", "HEAD")
    again = run(repo)
    assert again.report is None and again.written == () and again.work.current == 3
    assert git(repo, "rev-parse", "HEAD") == head


def test_only_the_edited_page_and_the_pages_linking_to_it_are_redone(repo: Path) -> None:
    run(repo)
    page = repo / "places/Port Evra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("1884", "1885", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "edit")
    outcome = run(repo)
    reasons = {t.path: t.reason for t in outcome.work.targets}
    assert reasons == {"places/Port Evra.md": "page changed", "projects/Cobalt.md": "linked page changed"}
    assert "The railway arrived in 1885." in page.read_text(encoding="utf-8")


def test_hand_edits_inside_the_fence_are_kept_unless_forced(repo: Path) -> None:
    run(repo)
    page = repo / "people/Dev Arunachalam.md"
    edited = page.read_text(encoding="utf-8").replace("was born in 1988.", "was born in 1988 in Chennai.")
    page.write_text(edited, encoding="utf-8")
    git(repo, "commit", "-qam", "hand edit")
    outcome = run(repo, force=False)
    assert [k.path for k in outcome.work.kept] == ["people/Dev Arunachalam.md"]
    assert "by hand" in outcome.work.kept[0].reason and page.read_text(encoding="utf-8") == edited
    forced = run(repo, force=True, paths=("people/Dev Arunachalam.md",))
    assert [w.path for w in forced.written] == ["people/Dev Arunachalam.md"]
    assert "Chennai" not in page.read_text(encoding="utf-8")


def test_a_page_with_uncommitted_changes_is_refused_by_name(repo: Path) -> None:
    page = repo / "places/Port Evra.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nDraft.\n", encoding="utf-8")
    with pytest.raises(KbsleepError, match="uncommitted changes in files anticipate would touch: places/Port Evra.md"):
        run(repo)
    assert git(repo, "rev-list", "--count", "HEAD") == "1\n"


def test_a_dry_run_returns_the_diff_and_writes_nothing(repo: Path) -> None:
    outcome = run(repo, dry_run=True)
    assert "+**How many people live in Port Evra?**" in outcome.diff
    assert "--- a/places/Port Evra.md" in outcome.diff
    assert git(repo, "status", "--porcelain") == "" and outcome.commit is None


def test_questions_ask_missed_are_answered_in_the_next_run(repo: Path) -> None:
    run(repo)
    state = ensure_state_dir(repo)
    missed.record_miss(state, "When did the railway reach Port Evra?", ["places/Port Evra.md"])
    outcome = run(repo)
    assert [(t.path, t.reason) for t in outcome.work.targets] == [("places/Port Evra.md", "questions asked")]
    text = (repo / "places/Port Evra.md").read_text(encoding="utf-8")
    assert "**When did the railway reach Port Evra?**\nThe railway arrived in 1884. [[Port Evra#History]]\n" in text
    assert missed.pending(state) == {}
    assert run(repo).work.targets == ()


def test_undo_reverts_the_run_and_a_second_undo_goes_further_back(repo: Path) -> None:
    original = (repo / "projects/Cobalt.md").read_bytes()
    run(repo)
    first = (repo / "projects/Cobalt.md").read_bytes()
    (repo / "places/Port Evra.md").write_text((repo / "places/Port Evra.md").read_text(encoding="utf-8").replace("1884", "1885", 1), encoding="utf-8")
    git(repo, "commit", "-qam", "edit")
    run(repo)
    undone = transaction.undo(repo)
    assert undone is not None and undone[0].passes == ("anticipate",)
    assert (repo / "projects/Cobalt.md").read_bytes() == first
    transaction.undo(repo)
    assert (repo / "projects/Cobalt.md").read_bytes() == original
    assert "1885" in (repo / "places/Port Evra.md").read_text(encoding="utf-8")  # the human edit stays
    assert run(repo, dry_run=True).written  # the pages need answers again


def test_named_pages_and_folders_limit_the_run(repo: Path) -> None:
    outcome = run(repo, paths=("people",))
    assert [w.path for w in outcome.written] == ["people/Dev Arunachalam.md"]
    with pytest.raises(KbsleepError, match="no page or folder `nowhere.md`"):
        run(repo, paths=("nowhere.md",))


def test_a_wiki_outside_git_is_refused_unless_dry_run(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FIXTURES / "anticipate/wiki", tmp_path / "w")
    with pytest.raises(KbsleepError, match="not in a git work tree"):
        run(tmp_path / "w")
    assert run(tmp_path / "w", dry_run=True).diff


def test_answers_citing_pages_or_headings_that_do_not_exist_are_unlinked_or_dropped(repo: Path) -> None:
    wiki = open_wiki(repo)
    page = wiki.pages["projects/Cobalt.md"]
    output = Anticipated(questions=[
        AnsweredQuestion(question="Who maintains Cobalt?", answer="Dev does. [[Dev Arunachalam]] [[Cobalt#Nowhere]]"),
        AnsweredQuestion(question="Where is the moon base?", answer="On the moon. [[Moon Base]]"),
        AnsweredQuestion(question="What licence?", answer="Apache.", citations=["Cobalt#Licensing"]),
        AnsweredQuestion(question="Bad <!-- fence?", answer="x [[Cobalt]]"),
        AnsweredQuestion(question="Not a question", answer="x [[Cobalt]]"),
        AnsweredQuestion(question="Who maintains Cobalt?", answer="A duplicate. [[Cobalt]]"),
    ])  # fmt: skip
    kept, dropped, why = validate(wiki, page, output, limit=8)
    assert kept == [
        answers.QA("Who maintains Cobalt?", "Dev does. [[Dev Arunachalam]] Nowhere", ("Dev Arunachalam",)),
        answers.QA("What licence?", "Apache. [[Cobalt#Licensing]]", ("Cobalt#Licensing",)),
    ]
    assert dropped == 4
    assert why == "no citation that resolves"  # the first dropped: the moon base


def test_a_page_whose_answers_are_all_dropped_is_skipped_with_the_reason(repo: Path) -> None:
    wiki = open_wiki(repo)
    page = wiki.pages["projects/Cobalt.md"]
    output = Anticipated(questions=[AnsweredQuestion(question="Which syntax hides text?", answer="Write `%%Text%%`. [[Cobalt]]")])
    assert validate(wiki, page, output, limit=8) == ([], 1, "holds a `%%` comment marker")


def test_the_questions_setting_caps_each_page(repo: Path) -> None:
    run(repo, questions=2)
    text = (repo / "projects/Cobalt.md").read_text(encoding="utf-8")
    assert [qa.question for qa in answers.parse(open_wiki(repo).pages["projects/Cobalt.md"]).qas] == [
        "What is Cobalt?",
        "Who maintains Cobalt?",
    ]
    assert text.count("?**") == 2


def test_the_answer_cache_format_reads_back_what_was_written(repo: Path) -> None:
    run(repo)
    wiki = open_wiki(repo)
    cached = answers.parse(wiki.pages["places/Port Evra.md"])
    assert cached is not None and cached.fresh and not cached.hand_edited
    assert cached.fence.attrs["model"] == "offline"
    assert ("How many people live in Port Evra?", ("Port Evra",)) in [(qa.question, qa.citations) for qa in cached.qas]


def test_lint_reports_the_section_stale_after_an_edit(repo: Path) -> None:
    from kbsleep.lint.registry import RULES

    run(repo)
    page = repo / "places/Port Evra.md"
    page.write_text(page.read_text(encoding="utf-8").replace("1884", "1885", 1), encoding="utf-8")
    rule = next(r for r in RULES.values() if r.name == "stale-generated")
    found = list(rule.check(open_wiki(repo), rule))
    assert [d.path for d in found] == ["places/Port Evra.md"]


def test_offline_model_config_is_not_needed(repo: Path) -> None:
    """The offline engine runs with no key and no network; the response cache is not used for it."""
    wiki = open_wiki(repo)
    model = select_engine(LLMConfig(engine="offline"), state_dir=ensure_state_dir(repo))
    outcome = anticipate(wiki, model, Options())
    assert outcome.report is not None and outcome.report.cost_usd == 0 and len(outcome.written) == 3
