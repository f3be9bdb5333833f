"""The one place that talks to git. Nothing outside this package runs git itself.

Two sides, by what each must cost:
- the write transaction, through GitPython's `Repo` (`repo`): `transaction` (apply, recover,
  undo), the plan it takes (`edits`), the journal that makes it reversible (`journal`), git's
  index lock and the commit built beside the user's index (`index`), the trailers it writes
  (`trailers`);
- the read path of lint, discovery and the pre-commit hook (`reads`): plain subprocesses, since
  importing GitPython costs more than those calls (`reads` says more).
`failures` turns what git says, either way, into a `KbsleepError` with what to run.

This module imports nothing: `kbsleep.git.reads` must not pull GitPython in with it.
"""
