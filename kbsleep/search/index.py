"""The search index: SQLite FTS5 (BM25) over page sections, at `<wiki>/.kbsleep/index.sqlite`.

`Index` is the one handle `ask`, `index`, `sleep` and the agent's tools use. What it is made of
lives beside it: the file and its rows (`storage`), cutting a page into sections (`sections`),
bringing it up to date with the wiki model's pages (`refresh`), reading it (`queries`), and the
vectors of its sections (`vector_store`, `vectors`). A corrupt, foreign or deleted index file is
rebuilt silently, also when it is found corrupt in the middle of a query.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from kbsleep import changes, obsidian
from kbsleep.config import Config
from kbsleep.search import queries, storage, vector_store
from kbsleep.search.expansion import Expander
from kbsleep.search.queries import Anticipated, Hit
from kbsleep.search.refresh import Refresh, refresh
from kbsleep.search.sections import embedding_text
from kbsleep.search.storage import NAME, index_path
from kbsleep.state import ensure_state_dir

if TYPE_CHECKING:
    from kbsleep.search.vectors import Embedder

__all__ = ["Anticipated", "Hit", "Index", "NAME", "Refresh", "index_path"]

T = TypeVar("T")


class Index:
    """An open index for one wiki; use as a context manager."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root, self.config = root, config
        self.path = ensure_state_dir(root) / NAME
        self.db, self.rebuilt = storage.open_db(self.path)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _guarded(self, work: Callable[[], T]) -> T:
        """Run `work()`; on a corrupt database, rebuild from the pages and run it once more."""
        try:
            return work()
        except sqlite3.DatabaseError:
            self.db.close()
            self.db, self.rebuilt = storage.recreate(self.path), True
            self._refresh()
            return work()

    # -- updating ----------------------------------------------------------------------------

    def refresh(self) -> Refresh:
        """Bring the index up to date with the pages on disk; returns what changed."""
        return self._guarded(self._refresh)

    def _refresh(self) -> Refresh:
        started = time.perf_counter()
        done = refresh(self.db, self.root, self.config, self._vault, self.rebuilt, self._expander())
        self._sync_vectors()
        self._sync_summaries()
        return dataclasses.replace(done, seconds=time.perf_counter() - started)  # the vectors' time included

    def _expander(self) -> Expander:
        """Expands sections into the words a reader may ask them with; the embedder (static
        vectors' nearest words) is loaded only if a section is written."""
        from kbsleep.search import vectors

        on = vectors.backend(self.config.embeddings) != "off"
        return Expander(lambda: vectors.embedder(self.config.embeddings, self.path.parent) if on else None, self.path.parent)

    def _sync_vectors(self, meta: Mapping[str, str] | None = None) -> None:
        """Compute the vectors sections and questions lack, and the matrix ask searches."""
        from kbsleep.search import vectors

        if vectors.backend(self.config.embeddings) == "off":
            return
        meta = meta if meta is not None else storage.meta(self.db)
        name = vectors.embedder_name(self.config.embeddings)
        vector_store.sync(self.db, self.path.parent, meta, name, lambda: vectors.embedder(self.config.embeddings, self.path.parent), embedding_text)

    def _sync_summaries(self) -> None:
        """Summarise the sections that have no summary (`search.summaries`)."""
        if self.config.summaries.method != "off":
            from kbsleep.search import summaries

            summaries.sync(self.db, self.path.parent)

    @cached_property
    def _vault(self) -> obsidian.VaultSettings:
        """Obsidian's settings: its Excluded files are "hidden in Search", and so from `ask`."""
        # The work tree's top only bounds the search for a vault folder above the wiki: a wiki
        # that is its own vault needs no git call for it.
        own = (self.root / obsidian.CONFIG_FOLDER).is_dir()
        return obsidian.read_vault(self.root, None if own else changes.git_top(self.root))

    # -- reading (see `queries`) ---------------------------------------------------------------

    def search(self, terms: Sequence[str], k: int = 20) -> list[Hit]:
        """The `k` best sections for any of `terms`, best first."""
        return self._guarded(lambda: queries.search(self.db, terms, k))

    def anticipated(self, terms: Sequence[str], k: int = 20) -> list[Anticipated]:
        """Fresh precomputed questions sharing a term with `terms`, best first."""
        return self._guarded(lambda: queries.anticipated(self.db, terms, k))

    def anticipated_on(self, pages: Sequence[str]) -> list[Anticipated]:
        """The fresh precomputed questions kept for `pages`."""
        return self._guarded(lambda: queries.anticipated_on(self.db, pages))

    def sections(self, ids: Sequence[int]) -> list[Hit]:
        """The sections with row ids `ids`, in that order (score 0)."""
        return self._guarded(lambda: queries.sections(self.db, ids))

    def pages_named(self, name: str, alias: bool = False) -> tuple[str, ...]:
        """The pages whose title or file name (or, with `alias`, alias) is `name`."""
        return self._guarded(lambda: queries.pages_named(self.db, name, alias))

    def aliases_of(self, pages: Sequence[str]) -> dict[str, set[str]]:
        """The aliases of each of `pages` that has any, casefolded."""
        return self._guarded(lambda: queries.aliases_of(self.db, pages))

    def page_sections(self, pages: Sequence[str]) -> list[Hit]:
        """Every section of `pages`, page by page, in page order."""
        return self._guarded(lambda: queries.page_sections(self.db, pages))

    def document_frequency(self, terms: Sequence[str], cap: int = 2000) -> tuple[dict[str, int], int]:
        """For each of `terms`, in how many pages it occurs (up to `cap`); and how many pages there are."""
        return self._guarded(lambda: queries.document_frequency(self.db, terms, cap))

    def together(self, words: Sequence[str]) -> bool:
        """Whether one section writes each of `words`."""
        return self._guarded(lambda: queries.together(self.db, words))

    def linked(self, pages: Sequence[str]) -> dict[str, list[str]]:
        """page -> the pages of the index it links to (by file name), for each of `pages`."""
        return self._guarded(lambda: queries.linked(self.db, pages))

    def anchored(self, ids: Sequence[int]) -> list[Hit]:
        """The sections the links in sections `ids` name by heading."""
        return self._guarded(lambda: queries.anchored(self.db, ids))

    def coverage(self, groups: Sequence[tuple[Sequence[str], float]], hits: Sequence[Hit]) -> float:
        """The idf-weighted share of the query's term groups that occur in the sections of `hits`."""
        return self._guarded(lambda: queries.coverage(self.db, groups, hits))

    def locate(self, target: str, citing: str = "") -> tuple[str, int] | None:
        """The (path, line) of a `Page#Section` target a link on the page `citing` names, when the index knows it."""
        return self._guarded(lambda: queries.locate(self.db, target, citing))

    def shared_names(self, pages: Sequence[str]) -> set[str]:
        """Those of `pages` whose file name another page has too."""
        return self._guarded(lambda: queries.shared_names(self.db, pages))

    def stats(self) -> dict[str, int]:
        return self._guarded(lambda: queries.stats(self.db))

    def nearest(self, vector: Any, k: int = 30) -> list[tuple[int, float]]:
        """(section row id, cosine) of the `k` sections whose vectors are nearest `vector`, best first."""
        return vector_store.nearest(self.db, self.path.parent, vector, k)

    def vectors(self, hashes: Sequence[str]) -> Any:
        """hash -> stored vector, for those of `hashes` that have one."""
        return vector_store.vectors(self.db, hashes)

    @property
    def embedder(self) -> Embedder | None:
        """The configured embedder, or None (vectors off, or not installed)."""
        from kbsleep.search import vectors

        return vectors.embedder(self.config.embeddings, self.path.parent)
