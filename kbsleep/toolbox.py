"""What an agent calls: the wiki's test-time interface, as JSON-ready data (`kbsleep mcp` serves it).

A `Toolbox` lives as long as the server. It keeps the last Wiki model it loaded and, before a
call that reads it, takes a new snapshot of the files (a stat of each, hashing only those that
changed since kbsleep last looked): the same fingerprint, config and Obsidian settings mean the
kept model is still the wiki, otherwise it is loaded again (from the parse cache, so only the
changed pages are parsed). `ask` and `search` need no model at all: they read the search
index, which brings itself up to date from one `git status` per call.

Every result is plain data; a list that could run to thousands of entries (findings, backlinks,
stale pages) is cut to a stated number, with the full count beside it, so one call never floods
the agent's context. A path may be relative to the wiki or absolute inside it (an agent edits the
files by absolute paths). Bad input raises `KbsleepError`, which the server turns into an error result.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from kbsleep.changes import git_top
from kbsleep.config import Config, load_config
from kbsleep.errors import KbsleepError
from kbsleep.lint.formats.common import posix
from kbsleep.wiki.lookup import find_page, find_section, namesakes, opens_within
from kbsleep.wiki.wikilink import sole_wikilink

if TYPE_CHECKING:
    from kbsleep.lint.records import Diagnostic
    from kbsleep.wiki import Snapshot, Wiki

MAX_SEARCH = 50
SEARCH_SPARE = 5  # sections retrieved beyond `limit`, for those a search does not offer (`snippet.shown`)
MAX_TEXT_CHARS = 60_000  # a page longer than this is cut: read it a section at a time
MAX_LINKS = 300
MAX_LISTED = 50  # paths listed per status entry
MAX_DIFF_CHARS = 40_000


class Toolbox:
    """The wiki at `root`, served call after call; `engine` for the calls that may use a model."""

    def __init__(self, root: Path, engine: str | None = None) -> None:
        root = Path(root)
        if not root.is_dir():
            raise KbsleepError(f"wiki folder not found: {root}")
        self.root = root.resolve()
        self.engine = engine
        self.top = git_top(self.root)
        self._wiki: Wiki | None = None
        self._key: tuple[object, ...] | None = None

    # -- the kept model ----------------------------------------------------------------------

    def config(self) -> Config:
        return load_config(self.root, None, self.top)

    def snapshot(self) -> Snapshot:
        from kbsleep.wiki import take_snapshot

        return take_snapshot(self.root)

    def wiki(self, snapshot: Snapshot | None = None) -> Wiki:
        """The Wiki as the files are now: the kept one while nothing changed, else loaded again."""
        from kbsleep.wiki import load_wiki

        snapshot = snapshot or self.snapshot()
        key = (snapshot.fingerprint, snapshot.config, snapshot.vault)
        if self._wiki is None or key != self._key:
            self._wiki = self._key = None  # let the old model go before the new one is built
            self._wiki, self._key = load_wiki(snapshot=snapshot), key
        return self._wiki

    # -- ask, search ----------------------------------------------------------------------------

    def ask(self, question: str) -> dict[str, Any]:
        """`kbsleep ask`, logged and queued as a terminal ask is."""
        from kbsleep.ask import PATHS, ask
        from kbsleep.llm.choice import ModelChoice

        config = self.config()
        budget = ModelChoice(self.engine, False, False, None, None).budget(config)
        answer = ask(self.root, config, question, engine=self.engine, budget=budget)
        return {**answer.to_json(), "how": PATHS.get(answer.path, answer.path)}

    def search(self, query: str, limit: int = 10) -> dict[str, Any]:
        """The sections that best match `query`, best first, as `ask` retrieves them."""
        from kbsleep.ask import MAX_QUESTION_CHARS, retrieve
        from kbsleep.search.index import Index
        from kbsleep.search.snippet import hit_record, shown
        from kbsleep.search.words import tokenize

        started = time.perf_counter()
        query = " ".join(query.split())
        if not query:
            raise KbsleepError("the query is empty", hint="search for a few words, e.g. `Cobalt licence`")
        if len(query) > MAX_QUESTION_CHARS:  # ask's own limit: the result echoes the query back
            raise KbsleepError(f"the query is {len(query):,} characters long; the limit is {MAX_QUESTION_CHARS:,}", hint="search for a few words, e.g. `Cobalt licence`")
        if not 1 <= limit <= MAX_SEARCH:
            raise KbsleepError(f"limit must be between 1 and {MAX_SEARCH}, not {limit}")
        with Index(self.root, self.config()) as index:
            index.refresh()
            hits = retrieve(index, query, k=limit + SEARCH_SPARE)
        words = list(dict.fromkeys(tokenize(query)))
        results = [hit_record(hit, words) for hit in hits if shown(hit, words)][:limit]
        return {"query": query, "results": results, "seconds": round(time.perf_counter() - started, 4)}

    # -- read -----------------------------------------------------------------------------------

    def read(self, page: str, section: str | None = None) -> dict[str, Any]:
        """A page, or one section of it, with its outgoing links and the links into the page."""
        wiki = self.wiki()
        given = self._relative(page)
        name, _, anchor = _target(given).partition("#")
        try:
            path = find_page(wiki, name)
        except KbsleepError:
            if Path(given).is_absolute() or not self._within(given):  # neither inside the wiki nor a page from its root ("/People/Ada"), or "../x.md"
                raise self._outside(page) from None
            raise
        found = wiki.pages[path]
        wanted = (section or anchor).strip().strip("#")
        heading = find_section(found, wanted) if wanted else None
        lines = found.lines
        if heading is not None:
            span = next(s for s in found.sections if s.heading == heading)
            start, end = span.start, span.end
            # A kbsleep fence after the heading is a section of its own (kbsleep's), not this one's.
            end = min([end] + [fence.start - 1 for fence in found.fences if start < fence.start <= end])
        else:
            start, end = 1, len(lines)
        text = "\n".join(lines[start - 1 : end])
        truncated = len(text) > MAX_TEXT_CHARS
        if truncated:
            text = text[:MAX_TEXT_CHARS]
        outgoing = [link for link in wiki.outlinks[path] if start <= link.link.line <= end]
        into_page = wiki.backlinks.get(path, ())
        # A section's read is about the section: its own headings, and the links that open it
        # (read the page for its outline and every backlink; a page's outline and backlinks were
        # 80% of a short section's result on the help vault).
        outline = [h for h in found.headings if start <= h.line <= end] if heading else found.headings
        incoming = opens_within(found, into_page, start, end) if heading else into_page
        result: dict[str, Any] = {
            "page": path,
            "title": found.title,
            "aliases": list(found.aliases),
            "tags": list(found.tags),
            "wikilink": f"[[{_stem(path)}#{_plain(heading.text)}]]" if heading else f"[[{_stem(path)}]]",
            "section": _plain(heading.text) if heading else None,
            "start_line": start,
            "end_line": end,
            "text": text,
            "truncated": truncated,
            "headings": [{"level": h.level, "text": _plain(h.text), "line": h.line} for h in outline],
            "headings_total": len(found.headings),
            "links": [_outgoing(link) for link in outgoing[:MAX_LINKS]],
            "links_total": len(outgoing),
            "backlinks": [_incoming(link) for link in incoming[:MAX_LINKS]],
            "backlinks_total": len(incoming),
        }
        if heading:
            result["page_backlinks_total"] = len(into_page)
        others = namesakes(wiki, name, path)
        if others:  # the name opened one of several: say which others, to read by path
            result["namesakes"] = others[:MAX_LISTED]
        if found.problems:  # the file itself: its encoding, frontmatter or size (lint reports them too)
            result["problems"] = [{"rule": p.code, "line": p.line, "message": p.message} for p in found.problems]
        if not found.parsed:
            result["note"] = "kbsleep did not parse this file (not UTF-8 text, or larger than max-page-bytes)"
        elif truncated:
            result["note"] = f"the text is cut at {MAX_TEXT_CHARS:,} characters: read one section at a time"
        return result

    # -- lint, status -----------------------------------------------------------------------------

    def lint(self, paths: Sequence[str] = (), staged: bool = False, limit: int = 100) -> dict[str, Any]:
        """`kbsleep lint` over the whole wiki, reported on `paths` / the staged pages: each finding
        in the tools' shape (`_finding`), in the order the CLI prints them."""
        from kbsleep.lint import command
        from kbsleep.lint.formats.common import ordered
        from kbsleep.lint.records import SEVERITY_RANK

        if limit < 1:
            raise KbsleepError(f"limit must be at least 1, not {limit}")
        files = self.snapshot()
        lazy = command.Lazy(files, self.wiki)
        args = command.LintArgs(paths=tuple(self._reported(p) for p in paths), staged=staged)
        report, _ = command.findings(lazy, args)
        shown = report.diagnostics
        if len(shown) > limit:  # the most severe first, then in the report's order
            order = sorted(range(len(shown)), key=lambda i: (-SEVERITY_RANK[shown[i].severity], i))
            shown = tuple(shown[i] for i in sorted(order[:limit]))
        findings = [_finding(d) for d in ordered(shown)]
        counts = {tier: report.count(tier) for tier in ("error", "warning", "judgement")}
        rules = Counter(finding.name for finding in report.diagnostics)  # what a cut list still has
        result = {
            "findings": findings,
            "total": len(report.diagnostics),
            "counts": counts,
            "rules": dict(sorted(rules.items(), key=lambda item: (-item[1], item[0]))),
            "truncated": len(shown) < len(report.diagnostics),
            "pages": report.pages,
            "checked": report.checked,
        }
        if staged and not report.checked:
            result["note"] = self._nothing_staged()
        return result

    def _nothing_staged(self) -> str:
        """Why a staged lint checked nothing, and the edited pages it would have checked once added."""
        from kbsleep.changes import status

        found = status(self.root, "")
        edited = sorted(path for path in (found.dirty if found else ()) if path.lower().endswith(".md"))
        if not edited:
            return "no page is staged for commit"
        named = ", ".join(f"`{path}`" for path in edited[:5]) + (f" and {len(edited) - 5} more" if len(edited) > 5 else "")
        return f"no page is staged for commit; {len(edited)} edited page(s) are not staged: {named}: `git add` them, or lint them by `paths`"

    def status(self) -> dict[str, Any]:
        """`kbsleep status --json`, its long lists cut to the first few with their counts."""
        from kbsleep.lint import command
        from kbsleep.status import status

        lazy = command.Lazy(self.snapshot(), self.wiki)
        report, _ = command.findings(lazy, command.LintArgs())  # from the lint cache when the files are as last linted
        found = status(lazy.wiki, report).as_dict()
        for key in ("stale_answers", "unanswered", "inbox", "pending_batches", "queued_questions"):
            listed = found.get(key, [])
            found[key] = {"count": len(listed), "first": listed[:MAX_LISTED]}
        return found

    # -- the passes that write (only with `kbsleep mcp --allow-writes`) ---------------------------

    def anticipate(self, paths: Sequence[str] = (), dry_run: bool = True, force: bool = False) -> dict[str, Any]:
        """`kbsleep anticipate`: one commit of every page's questions and answers (a diff when `dry_run`)."""
        from kbsleep.git import transaction
        from kbsleep.llm.choice import ModelChoice
        from kbsleep.lock import hold
        from kbsleep.passes.anticipate import Options, anticipate

        run_id = transaction.new_run_id()
        choice = ModelChoice(self.engine, False, False, None, None)
        with hold(self.root, "mcp anticipate"):
            wiki = self.wiki()
            options = Options(paths=tuple(self._reported(p) for p in paths), force=force, dry_run=dry_run)
            outcome = anticipate(wiki, choice.model(wiki), options, budget=choice.budget(wiki.config), run_id=run_id)
        report = outcome.report
        commit = outcome.commit
        return {
            "dry_run": dry_run,
            "written": [{"page": w.path, "reason": w.reason, "questions": w.questions, "dropped": w.dropped} for w in outcome.written],
            "skipped": [{"page": s.path, "reason": s.reason} for s in outcome.skipped],
            "kept": [{"page": s.path, "reason": s.reason} for s in outcome.work.kept],
            "up_to_date": outcome.work.current,
            "nothing_to_ask": list(outcome.empty[:MAX_LISTED]),
            "left_for_later": {"count": len(outcome.left), "first": list(outcome.left[:MAX_LISTED])},
            "commit": commit.sha if commit else None,
            "run_id": run_id if commit else None,
            "undo": "kbsleep undo" if commit else None,
            **_diff(outcome.diff),
            "tokens": report.usage.total_tokens if report else 0,
            "cost_usd": round(report.cost_usd, 6) if report else 0.0,
            "stopped": report.stop_reason if report else None,
        }

    def consolidate(self, only: Sequence[str] = (), dry_run: bool = True) -> dict[str, Any]:
        """`kbsleep consolidate`: each task one commit of one run (diffs when `dry_run`)."""
        from kbsleep.llm.choice import ModelChoice
        from kbsleep.lock import hold
        from kbsleep.passes.consolidate import Options, consolidate, named

        tasks = named(list(only))  # none named: every task
        choice = ModelChoice(self.engine, False, False, None, None)
        with hold(self.root, "mcp consolidate"):
            wiki = self.wiki()
            report = consolidate(wiki, choice.model(wiki), Options(tasks, dry_run), budget=choice.budget(wiki.config))
        steps = []
        for step in report.steps:
            done = step.outcome
            item: dict[str, Any] = {"task": done.task, "summary": done.summary, "commit": step.commit, "done": list(done.done)}
            item["left"] = [{"page": left.path, "reason": left.reason} for left in done.left]
            if dry_run:
                item.update(_diff(step.diff))
            steps.append(item)
        return {
            "dry_run": dry_run,
            "steps": steps,
            "commits": list(report.commits),
            "run_id": report.run_id if report.commits else None,
            "undo": "kbsleep undo" if report.commits else None,
            "recovered": list(report.recovered),
            "note": report.note or None,  # the index, log or inbox task not run: why, and how to turn it on
            "tokens": report.tokens,
            "cost_usd": round(report.cost_usd, 6),
        }

    def _inside(self, given: str) -> str:
        """A path as the agent gives it (relative to the wiki, or absolute) as an absolute path inside the wiki."""
        relative = self._relative(given)
        if not self._within(relative):
            raise self._outside(given)
        path = (self.root / relative.lstrip("/")).resolve()
        if Path(relative).is_absolute() and not path.exists():  # not a path from the wiki's root either
            raise self._outside(given)
        return str(path)

    def _reported(self, given: str) -> str:
        """A path lint reports on: a file or folder of the wiki, else the page `read` opens by
        that name (`pod`, `[[pod]]`, a title): an agent names pages to both tools alike."""
        if not given.strip():
            raise KbsleepError("a path is empty", hint="give a page or folder in the wiki, or no `paths` for the whole wiki")
        path = self._inside(given)
        if Path(path).exists():
            return path
        return str(self.root / find_page(self.wiki(), _target(self._relative(given)).partition("#")[0]))

    def _relative(self, given: str) -> str:
        """`given` relative to the wiki when it is an absolute path inside it (an agent edits files
        by absolute paths); anything else as given: a relative path, a name, or an absolute path
        elsewhere, which may still name a file from the wiki's root ("/people/Ada.md")."""
        given = given.strip()
        if not Path(given).is_absolute():
            return given
        path = Path(given).resolve()
        if path == self.root:
            return "."
        return path.relative_to(self.root).as_posix() if self.root in path.parents else given

    def _within(self, relative: str) -> bool:
        """Does `relative` (from the wiki's root) stay inside the wiki? `../notes.md` does not."""
        path = (self.root / relative.lstrip("/")).resolve()
        return path == self.root or self.root in path.parents

    def _outside(self, given: str) -> KbsleepError:
        return KbsleepError(f"`{given}` is outside the wiki at {self.root}", hint="give paths relative to the wiki folder, e.g. `people/Ada.md`, or absolute paths inside it")


# -- records ------------------------------------------------------------------------------------

def _target(given: str) -> str:
    """`[[Page#Section|shown]]` as an agent may paste it: `Page#Section`."""
    link = sole_wikilink(given)
    return link.reference if link is not None else given.strip()


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


def _plain(text: str) -> str:
    return " ".join(text.split())


def _outgoing(resolved: Any) -> dict[str, Any]:
    link = resolved.link
    found = {"link": link.raw, "line": link.line, "target": resolved.target, "status": resolved.status}
    return {**found, "in_comment": True} if link.in_comment else found


def _incoming(resolved: Any) -> dict[str, Any]:
    """A backlink; one in a `%%` comment says so: Obsidian's backlinks list it, reading view hides it."""
    link = resolved.link
    found = {"page": resolved.source, "line": link.line, "link": link.raw}
    return {**found, "in_comment": True} if link.in_comment else found


def _finding(d: Diagnostic) -> dict[str, Any]:
    """A lint finding as the other tools name places: a `page` (as `read` takes it), `line` and
    `column`, not the CLI's JSON (ruff's `filename`, `location.row`, a `url` that is always null);
    a fix as the edits an agent makes (`old` at `line`, `column` becomes `new`). Fields a finding
    does not have are left out: every call's result is read into the agent's context."""
    found: dict[str, Any] = {"page": posix(d.path), "line": d.location.line, "column": d.location.column,
                             "code": d.code, "name": d.name, "severity": d.severity, "message": d.message}  # fmt: skip
    if d.hint:
        found["hint"] = d.hint
    if d.related:
        found["related"] = [{"page": posix(r.path), "line": r.line, "column": r.column, **({"message": r.message} if r.message else {})} for r in d.related]
    if d.fix:
        found["fix"] = [{"line": line, "column": column, "old": old, "new": new} for line, column, old, new in d.fix]
    return found


def _diff(diff: str) -> dict[str, Any]:
    if len(diff) <= MAX_DIFF_CHARS:
        return {"diff": diff}
    return {"diff": diff[:MAX_DIFF_CHARS], "diff_truncated": True}
