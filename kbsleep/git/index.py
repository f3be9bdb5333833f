"""git's own index lock, and commits made beside the user's index.

While kbsleep checks the pages it will write, writes them and commits, it holds `index.lock`,
the lock every git command that stages or commits takes first: a user's `git commit` in that
window is refused by git ("Unable to create index.lock") instead of landing between kbsleep's
check and its commit, or sweeping half-written pages into the user's commit. The lock file
holds a marker naming the transaction, so that recovery can tell a lock a killed kbsleep left
from another git process's, and remove only its own.

The commit is built in an index file of its own, from HEAD's tree and the pages written, and
HEAD moves only if it is still the commit it was built on (`git update-ref` with the old value):
what the user staged stays staged, and out of kbsleep's commit.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable, Sequence

from kbsleep.errors import KbsleepError
from kbsleep.git import failures
from kbsleep.git.repo import WAIT, Repo, last_line

class IndexLock:
    """git's `index.lock` for the repository of `repo`, held under the transaction's `token`."""

    def __init__(self, repo: Repo, token: str) -> None:
        self.path = Path(f"{repo.index}.lock")
        self.token = token

    def acquire(self, wait: float | None = None) -> None:
        """Take the lock, waiting up to `wait` seconds (`WAIT`) for another git command to let go.
        The lock appears with its marker in it: the marker is written to a file of its own, then
        linked as the lock (a link is made whole or not at all). A lock created empty and written
        after would, if the process died in between, be an empty lock no one can tell from git's."""
        deadline = time.monotonic() + (WAIT if wait is None else wait)
        marked = self.path.with_name(f"{self.path.name}.kbsleep-{os.getpid()}")
        marked.write_bytes(f"kbsleep {self.token} {os.getpid()}\n".encode())
        try:
            while True:
                try:
                    _create(marked, self.path)
                except FileExistsError:
                    if self._stale():
                        self.path.unlink(missing_ok=True)
                        continue
                    if time.monotonic() >= deadline:
                        raise failures.locked(str(self.path)) from None
                    time.sleep(0.02)
                    continue
                return
        finally:
            marked.unlink(missing_ok=True)

    def ours(self) -> bool:
        """Whether the lock file is there and holds this transaction's marker."""
        return self._marker()[:2] == ["kbsleep", self.token]

    def release(self) -> None:
        if self.ours():
            self.path.unlink(missing_ok=True)

    def _marker(self) -> list[str]:
        try:
            return self.path.read_bytes()[:200].decode("ascii", "replace").split()
        except OSError:
            return []

    def _stale(self) -> bool:
        """A marker of a kbsleep process that is gone (git's own lock files hold index data)."""
        marker = self._marker()
        if len(marker) != 3 or marker[0] != "kbsleep" or not marker[2].isdigit():
            return False
        try:
            os.kill(int(marker[2]), 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False
        return False


def _create(marked: Path, lock: Path) -> None:
    """Create `lock` holding what `marked` holds, or raise FileExistsError when it exists. A
    file system without hard links gets the lock created, then written: a death in between leaves
    it empty there."""
    try:
        os.link(marked, lock)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (a FAT volume, some network shares)
        handle = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            os.write(handle, marked.read_bytes())
        except BaseException:  # an interrupt now must not leave git locked out
            lock.unlink(missing_ok=True)
            raise
        finally:
            os.close(handle)


def commit(repo: Repo, paths: Sequence[str], message: Path, scratch: Path, landing: Callable[[str], None], *, empty: bool = False, since: Callable[[], list[str]] | None = None) -> str | None:
    """Commit the wiki's `paths` as they are in the work tree, on top of HEAD, and stage them in
    the user's index; nothing else. None when git sees no change (a line-ending-only rewrite
    under `text=auto`), unless `empty`. Call it holding the `IndexLock`: the new index is put
    in place under it. `landing(commit)` runs before HEAD moves, so a journal can name it.
    `since()`, once git has read the files, names those written since kbsleep wrote them (an
    editor saving): they are left out of the commit, and of the user's index."""
    scratch = scratch.absolute()  # git runs in the top folder, not ours
    head = repo.head()
    if head is None:
        raise failures.no_commits()
    tops = [repo.top_path(p) for p in paths]
    listed = b"".join(os.fsencode(p) + b"\0" for p in tops)
    staged = scratch / "index.next"  # the user's index with the pages written: installed at the end
    if repo.index.exists():
        # With its time: git trusts an entry's stat data only if it is older than the index file.
        shutil.copy2(repo.index, staged)
    else:
        repo.run("read-tree", head, env={"GIT_INDEX_FILE": str(staged)})
    # Removed, then added: a page rewritten within the second its entry was made can look
    # unchanged by its stat data (same size, the inode reused); added anew, it is hashed.
    repo.run("update-index", "--force-remove", "-z", "--stdin", stdin=listed, env={"GIT_INDEX_FILE": str(staged)})
    repo.run("update-index", "--add", "--remove", "-z", "--stdin", stdin=listed, env={"GIT_INDEX_FILE": str(staged)})
    gone = f"0 {'0' * len(head)}"  # mode 0 removes an entry
    late = sorted({repo.top_path(p) for p in since()} if since is not None else set())
    if late:  # their entries as the user's index has them (unchanged: kbsleep holds its lock)
        before = _entries(repo.run("ls-files", "-s", "-z"), set(late))
        info = "".join(f"{before.get(p, gone)}\t{p}\0" for p in late)
        repo.run("update-index", "-z", "--index-info", stdin=os.fsencode(info), env={"GIT_INDEX_FILE": str(staged)})
        tops = [p for p in tops if p not in set(late)]
        if not tops:
            return None
    entries = _entries(repo.run("ls-files", "-s", "-z", env={"GIT_INDEX_FILE": str(staged)}), set(tops))
    built = scratch / "index.commit"  # HEAD's tree with the pages written: the commit's tree
    repo.run("read-tree", head, env={"GIT_INDEX_FILE": str(built)})
    info = "".join(f"{entries.get(p, gone)}\t{p}\0" for p in tops)
    repo.run("update-index", "-z", "--index-info", stdin=os.fsencode(info), env={"GIT_INDEX_FILE": str(built)})
    tree = repo.run("write-tree", env={"GIT_INDEX_FILE": str(built)}).strip()
    if not empty and tree == repo.run("rev-parse", f"{head}^{{tree}}").strip():
        os.replace(staged, repo.index)
        return None
    sha = repo.run("commit-tree", tree, "-p", head, "-F", str(message.absolute())).strip()
    landing(sha)
    subject = message.read_text(encoding="utf-8").split("\n", 1)[0]
    moved = repo.attempt("update-ref", "-m", f"commit: {subject}", "HEAD", sha, head)  # only if HEAD is still `head`
    if moved.returncode != 0:
        raise KbsleepError(f"HEAD moved while kbsleep committed (git said: {last_line(moved)}); nothing was written", hint="run kbsleep again")
    os.replace(staged, repo.index)
    return sha


def _entries(listing: str, wanted: set[str]) -> dict[str, str]:
    """`ls-files -s -z` output -> "mode object" of each wanted path (stage 0)."""
    found: dict[str, str] = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        if path in wanted:
            mode, obj, _stage = meta.split(" ")
            found[path] = f"{mode} {obj}"
    return found
