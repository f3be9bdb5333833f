"""A pass's plans as one transaction: a chain of commits, HEAD moved once (`apply_all`).

A pass that makes several commits (consolidate: one per task) hands its plans over in order,
each planned on the wiki as the plans before it leave it. `apply_all` keeps every guarantee of
`transaction.apply` for the run as a whole:
1. checks every plan as `apply` checks one, each against the bytes the plans before it leave
   (a plan left out whole, because one of its files changed since it was planned, stops the
   chain there: the plans after it were planned on it), and refuses uncommitted changes;
2. journals, once per file, its original bytes and its bytes after the last plan, under one
   journal, writing nothing yet;
3. under git's index lock, checks the chain again against the files as they are now (a file
   changed meanwhile leaves its plan out, and stops the chain, as in 1), writes each file once,
   and builds the chain of commits in an index of kbsleep's own (plan 1 on HEAD, plan 2 on plan
   1's commit, ...; each tree from its own plan's bytes), with `Kbsleep-*` trailers;
4. records the last commit in the journal and moves HEAD once, from the commit it read to the
   last of the chain, only if HEAD is still that commit (a user's commit meanwhile is never lost:
   the pass is refused instead), then puts the user's index in place (their staged work stays).
Ctrl-C, SIGTERM or any failure before HEAD moves restores every file (`journal.rollback`); after
SIGKILL, the next kbsleep does (`transaction.recover`): the journal names the last commit of the
chain, so the run is kept only if HEAD holds all of it. Either the whole run lands or none of it.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.git import journal, transaction
from kbsleep.git.edits import CHANGED, Applied, Committed, Edit, Plan, Refused, changes, check_path, encode, refusal
from kbsleep.git.journal import blob_of
from kbsleep.git.repo import Repo, last_line
from kbsleep.lock import hold

Read = Callable[[str], "bytes | None"]
_TOUCHED = b"\0kbsleep: uncommitted changes\0"  # stands for a file git sees changed: no base matches it


@dataclass
class Step:
    """One plan of the chain: the edits it writes and those it leaves out."""

    plan: Plan
    edits: list[Edit] = field(default_factory=list)
    left_out: list[Refused] = field(default_factory=list)


def apply_all(root: Path, plans: Sequence[Plan], run_id: str) -> tuple[Applied, ...]:
    """Write and commit `plans` as a chain of commits, one per plan, in one transaction: all of
    them land, HEAD moved once, or none does. What each plan did, in order; fewer than `plans`
    when one was left out whole (the chain stops there)."""
    if not plans:
        return ()
    if len(plans) == 1:  # one commit: the transaction's own (a separable plan keeps an editor's save out of it)
        return (transaction.apply(root, plans[0], run_id) if plans[0].edits else Applied(None),)
    with hold(root, plans[0].pass_name):
        return _apply_all(root, list(plans), run_id)


def _apply_all(root: Path, plans: list[Plan], run_id: str) -> tuple[Applied, ...]:
    transaction.recover(root)
    repo = Repo.at(root)
    repo.check_writable()
    for plan in plans:
        for edit in plan.edits:
            check_path(root, edit.path)
    original: dict[str, bytes | None] = {}

    def read(path: str) -> bytes | None:
        if path not in original:
            original[path] = journal.read(root / path)
        return original[path]

    steps, final = select(plans, read)
    busy = transaction.dirty(root, [path for path in final if original[path] is not None])
    if busy:
        raise KbsleepError("uncommitted changes in files this pass would touch: " + ", ".join(busy), hint="commit or stash them first")
    if not final:
        return tuple(Applied(None, tuple(step.left_out)) for step in steps)
    return _transact(root, repo, plans, run_id, {path: original[path] for path in final}, final)


def select(plans: Sequence[Plan], read: Read) -> tuple[list[Step], dict[str, bytes | None]]:
    """Each plan's edits checked against the bytes the plans before it leave (`read`: a file as
    the chain starts from), and every file's bytes after the chain. Refuses an edit the pass's
    own verification should have caught; stops after a plan left out whole."""
    state: dict[str, bytes | None] = {}
    now = lambda path: state[path] if path in state else read(path)  # noqa: E731
    steps: list[Step] = []
    for plan in plans:
        step = Step(plan)
        steps.append(step)
        for edit in plan.edits:
            current = now(edit.path)
            edit = edit if edit.base is not None else replace(edit, base=blob_of(current))
            if blob_of(current) != edit.base:
                step.left_out.append(Refused(edit.path, CHANGED))
            elif changes(edit, current):
                step.edits.append(edit)
        refused = [Refused(e.path, reason) for e in step.edits if (reason := refusal(e, now)) is not None]
        if refused:  # the pass verified its plan: it did not check this one
            raise KbsleepError(f"refusing to write {refused[0].path}: {refused[0].reason}", hint="nothing was written; run the pass again")
        if step.left_out and not plan.separable:
            step.edits = []
            break
        for edit in step.edits:
            state[edit.path] = None if edit.text is None else encode(edit.text)
    return steps, state


def _transact(root: Path, repo: Repo, plans: list[Plan], run_id: str, original: dict[str, bytes | None], final: dict[str, bytes | None]) -> tuple[Applied, ...]:
    """Journal, then under git's index lock: check again, write, build the chain, move HEAD once.
    Restores every file on any failure."""
    order = list(final)
    with transaction.journaled(root, repo, [(path, blob_of(original[path]), final[path]) for path in order]) as folder:
        checked = transaction.stats(root, order)  # before the bytes are read: a later write shows
        busy = repo.changed(order)
        steps, now = select(plans, lambda path: _TOUCHED if path in busy else journal.read(root / path))
        for path, data in now.items():
            if path not in final or final[path] != data:  # only a contrived change gets here
                raise KbsleepError(f"{path} {CHANGED}; nothing was written", hint="run kbsleep again")
        journal.mark(folder, phase="writing")
        placed: dict[str, transaction.Stat] = {}
        for index, path in enumerate(order):
            if path not in now:
                continue
            if transaction.stats(root, [path])[path] != checked[path]:  # an editor saved it just now
                raise KbsleepError(f"{path} {CHANGED}; nothing was written", hint="run kbsleep again")
            journal.place(root, folder, index, path, now[path] is None)
            placed.update(transaction.stats(root, [path]))
        applied = _commit_chain(root, repo, folder, steps, run_id, placed) if placed else [Applied(None, tuple(s.left_out)) for s in steps]
    return tuple(applied)


def _commit_chain(root: Path, repo: Repo, folder: Path, steps: list[Step], run_id: str, placed: dict[str, transaction.Stat]) -> list[Applied]:
    """Build one commit per step on top of HEAD in kbsleep's own index, each tree HEAD's with
    the plans so far; stage the files written in the user's index; move HEAD once to the last
    commit if it is still the commit the chain was built on."""
    folder = folder.absolute()
    head = repo.head()
    if head is None:
        raise KbsleepError("the repository has no commit yet", hint="commit the wiki once first")
    built = {"GIT_INDEX_FILE": str(folder / "index.chain")}
    repo.run("read-tree", head, env=built)
    parent, parent_tree = head, repo.run("rev-parse", f"{head}^{{tree}}").strip()
    applied: list[Applied] = []
    for number, step in enumerate(steps):
        if not step.edits:
            applied.append(Applied(None, tuple(step.left_out)))
            continue
        tree = _tree(repo, built, step.edits, len(head))
        if tree == parent_tree:  # git sees no change (a line-ending-only rewrite under text=auto)
            applied.append(Applied(None, tuple(step.left_out)))
            continue
        message = folder / f"message.{number}.txt"
        message.write_text(transaction.commit_message(step.plan, run_id, step.edits), encoding="utf-8")
        parent = chain_commit(repo, tree, parent, message)
        parent_tree = tree
        applied.append(Applied(Committed(parent, tuple(dict.fromkeys(e.path for e in step.edits))), tuple(step.left_out)))
    staged = _stage(repo, folder, list(placed))
    if transaction.restated(root, placed):  # an editor saved a page while git read it
        raise KbsleepError(f"{transaction.restated(root, placed)[0]} was written by something else while kbsleep committed it; nothing was written", hint="run kbsleep again")
    if parent != head:
        journal.mark(folder, phase="committing", commit=parent)
        made = sum(1 for a in applied if a.commit)
        moved = repo.attempt("update-ref", "-m", f"commit: kbsleep {steps[0].plan.pass_name}: {made} commits", "HEAD", parent, head)
        if moved.returncode != 0:
            raise KbsleepError(f"HEAD moved while kbsleep committed (git said: {last_line(moved)}); nothing was written", hint="run kbsleep again")
    os.replace(staged, repo.index)
    return applied


def chain_commit(repo: Repo, tree: str, parent: str, message: Path) -> str:
    """One commit of the chain, not yet on any branch."""
    return repo.run("commit-tree", tree, "-p", parent, "-F", str(message)).strip()


def _tree(repo: Repo, env: dict[str, str], edits: Sequence[Edit], width: int) -> str:
    """The tree of kbsleep's index (`env`) with `edits` applied: each file's bytes hashed as git
    would from the work tree (its attributes' filters), its mode kept (a new file: 100644)."""
    tops = [repo.top_path(e.path) for e in edits]
    modes = _modes(repo.run("ls-files", "-s", "-z", "--", *(f":(literal){top}" for top in tops), env=env))
    lines = []
    for edit, top in zip(edits, tops):
        if edit.text is None:
            lines.append(f"0 {'0' * width}\t{top}\0")
            continue
        blob = repo.run("hash-object", "-w", "--stdin", f"--path={top}", stdin=encode(edit.text)).strip()
        lines.append(f"{'100755' if modes.get(top) == '100755' else '100644'} {blob}\t{top}\0")
    repo.run("update-index", "-z", "--index-info", stdin=os.fsencode("".join(lines)), env=env)
    return repo.run("write-tree", env=env).strip()


def _stage(repo: Repo, folder: Path, paths: list[str]) -> Path:
    """The user's index with `paths` as the work tree now has them: put in place once HEAD moved."""
    staged = folder / "index.next"
    env = {"GIT_INDEX_FILE": str(staged)}
    if repo.index.exists():
        shutil.copy2(repo.index, staged)  # with its time: git trusts stat data older than the index
    else:
        repo.run("read-tree", "HEAD", env=env)
    listed = b"".join(os.fsencode(repo.top_path(p)) + b"\0" for p in paths)
    repo.run("update-index", "--force-remove", "-z", "--stdin", stdin=listed, env=env)  # then added anew: hashed, never trusted by stat
    repo.run("update-index", "--add", "--remove", "-z", "--stdin", stdin=listed, env=env)
    return staged


def _modes(listing: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        if path:
            found[path] = meta.split(" ")[0]
    return found
