"""Search: vectors, fused retrieval, question analysis, answer extraction and abstention for `ask`.

Nothing here is imported by lint or the pre-commit path; numpy and the embedding backends are
imported only when a vector is computed or compared (`kbsleep.search.vectors`).
"""
