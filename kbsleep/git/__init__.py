"""git, as kbsleep's write transaction uses it.

`repo`: the repository a wiki is in, git's runner, and the states in which kbsleep must not
commit. `index`: git's own index lock, and commits built in an index of their own, so that
nothing the user staged gets into a kbsleep commit and no user commit lands in the middle of one.
"""
