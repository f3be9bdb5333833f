"""What a pass does for each page it may write: read it exactly, and skip it, with the reason,
when it cannot be written or its work fails; a run never dies for one page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, TypeVar

from kbsleep.crash import item_failure
from kbsleep.errors import KbsleepError
from kbsleep.wiki import Wiki
from kbsleep.wiki.content import NotExact, blob_id, exact_text
from kbsleep.wiki.page import Page

T = TypeVar("T")


@dataclass(frozen=True)
class Skip:
    """A page a pass left as it was, and why."""

    path: str
    reason: str


def unreadable(wiki: Wiki, page: Page, does: str = "writes") -> str | None:
    """Why a pass cannot work from `page`'s exact text, or None: bytes that are not UTF-8 text,
    or a page too large or too deep to parse. (Found from the problems the parse recorded; only
    such pages are read again, for the reason.) `does`: what kbsleep does only with pages it
    can read exactly, for the reason."""
    codes = {problem.code for problem in page.problems}
    if page.parsed and "encoding-error" not in codes:
        return None
    if "binary-page" in codes or "encoding-error" in codes:
        try:
            exact_text((wiki.root / page.path).read_bytes())
        except NotExact as exc:
            return f"{exc}: kbsleep {does} only pages it can read exactly"
        except OSError as exc:
            return f"cannot read it: {exc.strerror or exc}"
        return None  # readable now: it changed since the wiki was loaded, which `exact` finds
    return page.problems[0].message if page.problems else "not parsed"


def exact(wiki: Wiki, page: Page) -> str:
    """`page`'s text as its bytes on disk hold it, exactly (`exact_text`): the bytes the wiki
    parsed, or `NotExact`."""
    try:
        data = (wiki.root / page.path).read_bytes()
    except OSError as exc:
        raise NotExact(f"cannot read it: {exc.strerror or exc}") from None
    if blob_id(data) != page.blob:
        raise NotExact("changed on disk while kbsleep ran; run it again")
    return exact_text(data)


def each_page(path: str, what: str, work: Callable[[], T], skipped: list[Skip]) -> T | None:
    """`work()` for one page; if it fails, the page is skipped with the reason and None returned.

    A page that cannot be rewritten exactly (`NotExact`) or a user-facing error are reasons as
    they are; any other exception is a bug confined to this page's work: its traceback goes to
    the crash log, which the reason names, and the run goes on with the other pages.
    """
    try:
        return work()
    except NotExact as exc:
        skipped.append(Skip(path, str(exc)))
    except KbsleepError as exc:
        skipped.append(Skip(path, exc.message))
    except Exception as exc:  # noqa: BLE001 - one page's bug skips that page; logged, see kbsleep.crash
        skipped.append(Skip(path, item_failure(exc, f"{what} {path}")))
    return None
