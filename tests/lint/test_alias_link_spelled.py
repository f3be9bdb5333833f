"""alias-link (KB103) when a file name is spelt like the link: `[[Visenya V4]]` is the title of
`sources/visenya-v4-azWa0WEa.md` (a campaign's transcript) and, case and hyphens aside, the file
name of `sources/visenya-v4.md` (its summary). Obsidian opens neither; which one the writer meant
is theirs to say, so the finding offers both and applies none (an LLM wiki's 5,700 scene pages
link their campaign so). A title whose own page is the only one spelt so is fixed as before."""

from __future__ import annotations

from tests.lint.support import describe, lint_wiki

VAULT = {
    "sources/visenya-v4.md": "---\ntitle: Visenya V4 Campaign\n---\n\nA summary of the campaign.\n",
    "sources/visenya-v4-azWa0WEa.md": "---\ntitle: Visenya v4\n---\n\nThe transcript.\n",
    "sources/visenya-v4-entry-001.md": "---\ntitle: Scene 1\n---\n\n- **Campaign:** [[Visenya V4]]\n",
    "concepts/tidal-mixing.md": "---\ntitle: Tidal Mixing\n---\n\nStirring by tides.\n",
    "Kestrel Rover.md": "---\naliases: [Kestrel]\n---\n\nSix wheels.\n",
    "Notes.md": "# Notes\n\n[[Tidal Mixing]] and [[Kestrel]].\n",
}


def test_a_file_name_spelt_like_the_link_makes_the_title_one_option_of_two(make_repo) -> None:
    report = lint_wiki(make_repo(VAULT), "KB103")
    assert describe(report.diagnostics) == """\
Notes.md:3:1: KB103 `[[Tidal Mixing]]` is the title of concepts/tidal-mixing.md, not a file name: Obsidian will not open it
    hint: write `[[tidal-mixing|Tidal Mixing]]`
    fix: 3:1 [[Tidal Mixing]] -> [[tidal-mixing|Tidal Mixing]]
Notes.md:3:22: KB103 `[[Kestrel]]` is the alias of Kestrel Rover.md, not a file name: Obsidian will not open it
    hint: write `[[Kestrel Rover|Kestrel]]`
    fix: 3:22 [[Kestrel]] -> [[Kestrel Rover|Kestrel]]
sources/visenya-v4-entry-001.md:5:17: KB103 `[[Visenya V4]]` is the title of sources/visenya-v4-azWa0WEa.md, not a file name: Obsidian will not open it
    hint: write `[[visenya-v4-azWa0WEa|Visenya V4]]` or `[[visenya-v4|Visenya V4]]`
"""


def test_a_file_name_that_is_the_links_plural_or_singular_is_an_option_too(make_repo) -> None:
    vault = {  # a security vault's `![[shell]]`, the alias of its TTY note, beside a note on shells
        "computers/terminal-tty-shell.md": "---\naliases: [TTY, shell]\n---\n\nThe terminal.\n",
        "exploits/shells.md": "# Shells\n\nReverse and bind shells.\n",
        "vehicles/Kestrel Rover.md": "---\naliases: [Rovers]\n---\n\nSix wheels.\n",
        "vehicles/Rover.md": "# Rover\n\nAny vehicle of the survey.\n",
        "tools/Pump box.md": "---\naliases: [Pumps]\n---\n\nThe box the pumps ship in.\n",
        "bind-shell.md": "# Bind shell\n\n![[shell]] and [[Rovers]]; [[Pumps]].\n",
    }
    report = lint_wiki(make_repo(vault), "KB103")
    assert describe(report.diagnostics) == """\
bind-shell.md:3:1: KB103 `![[shell]]` is the alias of computers/terminal-tty-shell.md, not a file name: Obsidian will not open it
    hint: write `![[terminal-tty-shell]]` or `![[shells]]`
bind-shell.md:3:16: KB103 `[[Rovers]]` is the alias of vehicles/Kestrel Rover.md, not a file name: Obsidian will not open it
    hint: write `[[Kestrel Rover|Rovers]]` or `[[Rover|Rovers]]`
bind-shell.md:3:28: KB103 `[[Pumps]]` is the alias of tools/Pump box.md, not a file name: Obsidian will not open it
    hint: write `[[Pump box|Pumps]]`
    fix: 3:28 [[Pumps]] -> [[Pump box|Pumps]]
"""
