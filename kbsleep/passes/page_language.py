"""Whether a page is written in English, for the offline engine's question templates.

The offline engine phrases its questions with English templates ("What is {title}'s {heading}?",
"Who maintains {title}?"). Over a page written in Spanish they make "What is 2 agentes ...'s
contexto?", an English question in a Spanish page, which no reader of it would ask; a model is
told to write in the page's language instead (`anticipate_plan.INSTRUCTIONS`).

A page is read as another language than English when the most frequent function words of the
other large languages written in the Latin alphabet (Spanish, Portuguese, French, Italian,
German) outnumber English's and make at least `FOREIGN` of its words. A question holding a
letter of another script (CJK, Cyrillic, Greek ...) is left out on its own (`other_script`):
a plugin's page on obsidian-hub describes it in Chinese under English keys, and "Who developed
Chinese Calendar?" is still a question its readers ask. Function words, not content words: a Spanish note about code is full of English terms
("webhook", "fallback"), and an English page of facts or a stat block holds few English
function words, but neither holds the other language's. Code, maths, links, URLs,
comments and front matter are no prose and are left out. Measured on real vaults (benchmarks/README.md): no
page of Obsidian's help, obsidian-hub, a D&D vault or an LLM-written security vault is read as
foreign; the pages of a Spanish team vault and of two Italian course vaults are, but for their
English notes.
"""

from __future__ import annotations

import re

from kbsleep.wiki.wikilink import replace_wikilinks

FOREIGN = 0.08  # the other languages' share of a page's words, at least
MIN_WORDS = 20  # a page with fewer words of prose is not judged: it is English by default

_ENGLISH = frozenset(
    """the of and to is it that for you with on are be this have or by not from at your can if
    which when what there their they we has how but these its into more than then other only
    would should about each been were after before between does do our any some such must
    could while where who""".split()
)
# the most frequent function words of Spanish, Portuguese, French, Italian and German, leaving
# out those English prose or its abbreviations write too ("a", "in", "no", "do", "die", "also",
# "was", "non", "sin", "et", "os", "al", "un"; "y" is a variable in maths)
_OTHER = frozenset(
    """de la que el en los se del las una por con su para es lo como más pero sus le ya este
    porque esta entre cuando muy sobre también fue hay donde desde todo nos
    não com uma é da na dos das ao pela pelo mais seu sua ou quando muito já
    les des est dans qui pour pas sur une du au avec ce sont par mais leur cette été être
    di che il sono della nel gli da si anche questo alla dei delle degli nella ha essere più
    ma questa sul tra
    der und das ist nicht mit ein eine den dem auf für sich von zu auch werden wird sie wie
    oder aus bei nach einer eines nur noch kann sind""".split()
)
_NO_PROSE = re.compile(
    r"\A---\n.*?\n---\n|```.*?```|~~~.*?~~~|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]+\$|%%.*?%%|<!--.*?-->|\]\([^)\n]*\)|https?://\S+|<[^>\n]+>",
    re.S,
)
_WORD = re.compile(r"[^\W\d_]+")
_OTHER_SCRIPT = re.compile(r"[^\W\d_A-Za-z\u00aa\u00b5\u00ba\u00c0-\u024f\u1e00-\u1eff]")


def english(text: str) -> bool:
    """Whether the Markdown `text` is written in English (or too short to tell)."""
    words = [w.casefold() for w in _WORD.findall(_NO_PROSE.sub(" ", replace_wikilinks(text, lambda link: " ")))]
    if len(words) < MIN_WORDS:
        return True
    ours = sum(w in _ENGLISH for w in words)
    theirs = sum(w in _OTHER for w in words)
    return not (theirs > ours and theirs >= FOREIGN * len(words))


def other_script(text: str) -> bool:
    """Whether `text` holds a letter of another script than Latin (an English template cannot
    phrase a question about "要点" or "Контекст")."""
    return _OTHER_SCRIPT.search(text) is not None
