"""Search: everything `ask` finds and quotes an answer with, and the offline engine's evidence.

- words: the one tokenizer, the stop words and the stemmers.
- index (with storage, sections, refresh, queries): the FTS5/BM25 index over page sections,
  kept up to date with the wiki model's pages; vector_store: its sections' vectors.
- vectors, pieces: the embedding backends and the static model's tokenizer.
- bm25: BM25 in memory over a few passages (the offline engine).
- question: what a question asks; match: which questions and words mean the same (the fast
  path's test, the synonym table); retrieve: BM25 and vectors fused; context: what a model is sent.
- blocks: the one walk over a passage's Markdown; sentences and units: what is read from it
  (the offline engine's supporting sentences; the answer units `ask` quotes); extract: picking
  the units that answer; abstain: saying "Not in the wiki".

Nothing here is imported by lint or the pre-commit path; numpy and the embedding backends are
imported only when a vector is computed or compared (`kbsleep.search.vectors`).
"""
