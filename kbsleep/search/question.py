"""What a question asks: its content words, what kind of answer it wants, and the names it uses.

The kind decides what an answer must hold to be one (`FORMS`): "How much does the VIP tier
cost?" wants an amount of money, "Starting with which version ...?" a version number, "What is
the default shortcut for ...?" a key combination. A passage without such a thing does not answer
the question, however many of its words it shares; that is most of what tells a question the
wiki cannot answer from one it can.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from kbsleep.search.words import STOP_WORDS, stem, tokenize

# Words that carry no content in a question ("tell me", "these days"); never key terms.
FILLER = frozenset(
    """
    these days nowadays currently current now today presently exactly actually please tell
    know us anyone someone still really also ever anymore right thing things kind sort
    whats does did do done get got many much way want need like able possible instead
    there one ones can could would should might may must make sure happen happens
    another specific particular certain whole entire
    roughly approximately approx
    """.split()
)
_STOP = STOP_WORDS | FILLER

# ("40-thousand years", "2 million years": a number word after the digits is part of the number)
_UNITS_WORD = r"one|two|three|four|five|six|seven|eight|nine"
_NUMBER_WORD = rf"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?:{_UNITS_WORD}))?|{_UNITS_WORD}|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen"  # "Thirty seconds"
_DURATION = rf"\b(\d[\d,.]*(?:[\s-](?:hundred|thousand|million|billion))?|{_NUMBER_WORD}|a|an)[\s-](seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b"
# a time a technical text writes with its unit's symbol: "~30 s", "15s", "1000 ms", "5 min", "10 h"
# (a decade is none: "the 1990s")
_SHORT_DURATION = r"(?<![\w.])\d[\d,.]*\s?(?:ms|msecs?|secs?|mins?|hrs?|h)\b|(?<![\w.])(?!(?:1[5-9]|20)\d0s\b)\d[\d,.]*\s?s\b"
DURATIONS = re.compile(rf"{_DURATION}|{_SHORT_DURATION}", re.I)
_TIME_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries)"
_LENGTH = (r"\b(?:\d[\d,.]*\s?|(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|hundred|thousand)[\s-])(?:mm|cm|m|km|ft|feet|foot|yards?|miles?|mi|nmi|(?:kilo|centi|milli)?met(?:re|er)s?|inch(?:es)?|nautical miles?"
           r"|light[- ]years?|characters?|chars|words|lines|pixels|px)\b|\b\d+[\s-]?(?:bits?|bytes?)\b|(?:^|[\W_])(?:length|height|depth|width|distance|altitude|elevation)(?:_[a-z]+)?\s*:\s*\d")
_SIZE = r"\b\d[\d,.]*\s?(bytes?|[kmgt]i?b|kilobytes?|megabytes?|gigabytes?|terabytes?)\b"
# answer form -> a pattern an answering passage holds (and its flags)
_FORMS: dict[str, tuple[str, int]] = {
    "money": (r"[$€£¥]\s?\d|\d\s?(usd|eur|gbp|dollars?|euros?)\b", re.I),
    "percent": (r"\d\s?%|\b\d+ percent\b", re.I),
    "version": (r"\b\d+\.\d+(\.\d+)*\b|\bversion \d+\b", re.I),
    "size": (_SIZE, re.I),
    "duration": (f"{_DURATION}|{_SHORT_DURATION}", re.I),
    # a year: "In what year ...?" is not answered by a version ("5.8.0") nor a month
    # (a measure's number is none: "1500 ms", "2048 px")
    "year": (r"(?<![\w.,$€£])(?:1[1-9]|20)\d\ds?\b(?![.,]\d|\s?(?:ms|[kmgt]i?b|bytes?|px|%|ft|m|km|kg|lbs?|seconds?|minutes?|hours?|days?)\b)|\b\d{1,4}\s?(?:BC|BCE|AD|CE)\b", 0),
    # a month or a weekday is written with its capital ("broken links may occur" names no month)
    "date": (r"\b(1[89]|20)\d\d\b|\b\d+\.\d+(\.\d+)*\b|\b(January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b", 0),
    # "one" is left out: "if you don't have one" is no count
    "number": (r"\d|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|million|dozen|unlimited)\b", re.I),
    # a weight, or a fact named for one ("mass_kg: 310", "Mass in air: 310 kg")
    "weight": (r"\b\d[\d,.]*\s?(kg|g|t|lbs?|oz|tonnes?|tons?|kilo(gram)?s?|grams?|pounds?|ounces?)\b|(?:^|[\W_])(kg|mass|weight|weighs?)(?:$|[\W_])", re.I),
    # a length or a distance, or a fact named for one ("length_m: 24.5", "Depth: 40 m"); a text's length counts in characters or words, a key's or a nonce's in bits ("a 96-bit nonce")
    "length": (_LENGTH, re.I),
    # "How long is the RV Tern?" asks a length or a duration ("How long is the free trial?")
    "extent": (f"{_DURATION}|{_SHORT_DURATION}|{_LENGTH}", re.I),
    # "How large should a screenshot be?", "How big can a site get?" ask a limit or a recommended
    # measure: an amount of data, a length (in characters, pixels, bits ...) or two dimensions
    "measure": (rf"{_SIZE}|{_LENGTH}|\b\d+\s?[x×]\s?\d+\b", re.I),
    # a speed, or a fact named for one ("max_speed_knots: 10.5")
    # or a rate of change ("doubling every 25 years", "3% a year", "10 per day": how fast a thing grows)
    "speed": (r"\d[\d,.]*\s?(?:m/s|km/h|kph|mph|knots?|kn|kt|ft/s|mi/h|mbit/s|mbps|[kmg]b/s|words per minute|wpm)(?![\w/])|(?:^|[\W_])(?:speed|velocity)(?:_[a-z]+)*\s*:\s*\d"
              rf"|\bevery (?:\d[\d,.]*|two|three|four|five|six|seven|eight|nine|ten|twelve) {_TIME_UNIT}\b|\d[\d,.]*\s?%?\s(?:per|a|an|each) (?:second|minute|hour|day|week|month|year|decade)\b", re.I),
    "temperature": (r"\d\s?(?:°|º|℃|℉|degrees?\b)|\b(?:celsius|fahrenheit|kelvin)\b", re.I),
    # an international or area-coded number, or one a label says is a phone's (a date's digits are none)
    "phone": (r"\+\d[\d\s().-]{6,}\d|\(\d{2,5}\)\s?\d[\d\s.-]{4,}\d|\b\d{3}[\s.-]\d{3}[\s.-]\d{4}\b|\b(?:tel|phone|telephone|fax)\b\.?:?\s*\+?\d", re.I),
    "shortcut": (r"\b(ctrl|cmd|command|alt|option|shift|mod|meta|super)\s?\+|[⌘⌥⇧⌃]", re.I),
    # where a thing is kept: a path, a folder, the trash, or a sentence that says it is kept in one
    "place": (r"`[^`\s]*[/\\][^`\s]*`|\b(?:in|into|to|inside|under|at|on) (?:the |a |an |your |its |their |this |that )?(?:[\w`.~-]+ ){0,3}?(?:folders?|director(?:y|ies)|trash|database|backlog|queue|cache|registry)\b"
              r"|\b(?:stored|saved|kept|located|placed|held) (?:in|on|at|under|inside)\b|\bend(?:s)? up in\b", re.I),
    "format": (r"\.[a-z0-9]{2,5}\b|\b[A-Z][A-Z0-9]{1,4}s?\b|\b(?i:markdown|plain[- ]?text)\b", 0),
}


K = TypeVar("K")  # what a pattern is found by: a form's name, a rule's place


class _Compiled(Mapping[K, "re.Pattern[str]"]):
    """Patterns by name, each compiled when first asked for: an `ask` looks for one answer form at
    most, and compiling all of them cost every warm `ask` a fifth of its regular expressions' time;
    the rules of the form a question asks for are tried in order until one matches."""

    def __init__(self, sources: Mapping[K, tuple[str, int]]) -> None:
        self._sources = sources
        self._compiled: dict[K, re.Pattern[str]] = {}

    def __getitem__(self, name: K) -> re.Pattern[str]:
        found = self._compiled.get(name)
        if found is None:
            pattern, flags = self._sources[name]
            found = self._compiled[name] = re.compile(pattern, flags)
        return found

    def __iter__(self) -> Iterator[K]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


FORMS: Mapping[str, re.Pattern[str]] = _Compiled(_FORMS)
# "What date is ...?", "Which year did ...?", "what day of the week" ask a time; "What date format does
# ...?" asks a format: the time word narrows the noun after it
_TIME_ASKED = r"(?=\s+(?:is|was|are|were|does|do|did|will|would|can|could|should|has|have|had|of|in|on|for|i|you|we|they|it|the|this|that)\b|\s*[?,.;]|\s*$)"
# a place question's verbs ("Where are my plugins stored?", "... suggest keeping the vault?"): the
# form asked, no word the answer must repeat ("end" of "end up")
_KEEPING = frozenset("stored saved kept located live lives living keep keeps keeping store stores storing save saves saving put puts putting go goes end ends".split())
_FORM_RULES: tuple[tuple[str, str | None], ...] = (  # (pattern, the form it asks for), the first that matches decides
    (r"\bhow much\b.*\b(cost|costs|price|pay|charge|charged|fee)\b|\b(price|cost|fee|budget) of\b|\bwhat(?:'s| is| was) the budget\b|\bhow expensive\b|\bwhat (does|do|did|will|would) [\w' -]+ cost(?=\s*[?.]|\s*$|\s+(per|a|an|each|in|for|to|me|us|monthly|yearly)\b)|\bhow much (is|are|does)\b.*\b(subscription|plan|license|licence|tier)\b", "money"),
    (r"\b(what|which) (percentage|percent|share|proportion|fraction)\b|\bhow much (off|discount)\b|\bwhat discount\b", "percent"),
    (r"\b(which|what) ([\w-]+ ){0,2}versions?\b|\bsince which\b|\bstarting (with|from|in) which\b", "version"),
    (r"\b(shortcut|hotkey|key combination|keyboard shortcut)s?\b", "shortcut"),
    (r"\b(maximum|minimum|max|min|largest|biggest|size limit)\b.*\bsize\b|\bhow (big|large)\b.*\b(file|upload|attachment|vault|storage)\b|\bsize limit\b", "size"),
    # a modal asks a limit or a recommendation, what a thing may measure, not what it measures ("How big
    # is the blast?" asks a radius, "How big can a site get?" an amount of data or a length)
    (r"\bhow (big|large|small) (should|can|could|may|might|must)\b", "measure"),
    (r"\bhow heavy\b|\bhow much (do|does|did) [\w' -]+ weigh\b|\b(what|which) is the (weight|mass) of\b", "weight"),
    (r"\b(phone|telephone) numbers?\b|\bwhat number (do|should|can) (i|we|you) (call|dial)\b", "phone"),
    (r"\bhow fast\b|\b(what|which) is the (top |maximum |max |average )?(speed|velocity)\b|\bat what speed\b", "speed"),
    (r"\b(what|which) temperatures?\b|\bhow (hot|cold|warm)\b", "temperature"),
    (r"\bhow (far|deep|tall|wide)\b(?! (back|ahead|along|in advance)\b)|\b(what|which) is the (length|height|depth|width|distance|altitude|elevation) of\b", "length"),
    (r"\bhow long (is|are|was|were) (the|a|an|this|that|its|their|his|her) (?!time\b|wait\b|delay\b)|\bhow long (should|can|could|may|might|must) [\w' -]+ be\b", "extent"),
    (r"\bhow long\b|\bhow far back\b|\bhow many (days|hours|minutes|seconds|weeks|months|years)\b|\bfor how many (days|hours|weeks|months|years)\b|\bafter how many (days|hours|weeks|months)\b", "duration"),
    # "When should I use a sidecar?", "When is it better to shard?" ask in what case, not a date
    (r"^\W*when (?:should|would|could|might|must|shall) (?:i|we|you|one|they|a user|users)\b|^\W*when (?:is it|would it be|does it make sense)\b|^\W*when to\b", None),
    (rf"\b(what|which) year\b{_TIME_ASKED}", "year"),
    (rf"^\W*(in |since |until )?when\b|\b(what|which) (year|date|day|month)\b{_TIME_ASKED}|\bsince when\b", "date"),
    # "Where are my plugins stored?", "Where do deleted notes go?" ask a place, not a way
    # "Where on my PC does Obsidian suggest keeping the vault?" too: a place may narrow the "where"
    (rf"^\W*where (?:[\w']+ ){{0,3}}?(?:is|are|was|were|do|does|did|will|would|can|should)\b[\w' -]*\b(?:ends? up|{'|'.join(sorted(_KEEPING - {'end', 'ends'}))})\b", "place"),
    (r"\bhow many\b|\bhow much\b|\bwhat (number|amount|percentage)\b|\bat what number\b", "number"),
    # an extension is a file's only when the question speaks of files: "Which extension lets me
    # back up my vault?" asks for a plugin
    (r"\b(what|which|in) ([\w-]+ ){0,2}(format|file type)s?\b|\bfile extensions?\b|\b(what|which|in) ([\w-]+ ){0,2}extensions?\b(?=.*\bfiles?\b)", "format"),
)
_RULES: Mapping[int, re.Pattern[str]] = _Compiled({i: (pattern, 0) for i, (pattern, _) in enumerate(_FORM_RULES)})  # compiled as `_form` reaches them
_HOWTO = re.compile(r"^\s*(how (do|can|should|would) (i|we|you)|how to|how does one|what (steps|do i need to do)|is there a way to)\b")
_TASK_VERB = re.compile(r"^\s*(?:how (?:do|can|should|would) (?:i|we|you)|how to|is there a way to)\s+([a-z]+)\b")
# verbs that say little of the task: "How do I get ...?", "How can I make ...?"
_LIGHT_VERBS = frozenset("get make do use have set go keep see find let put take give try know tell work turn switch change modify adjust".split())  # (a setting is changed in many words: "Adjust the font size")
_YESNO = re.compile(r"^\s*(can|could|does|do|is|are|will|would|should|has|have|did|was|were)\b")
# "Will the plugin track how much time I spend?" asks yes or no: its "how much" is part of what is
# asked about, not the answer's form; "Can you tell me how many ...?" asks the number
_INDIRECT = re.compile(r"^\s*(?:can|could|would|will) you (?:tell|show|say)\b|^\s*do you know\b")
_EMBEDDED = re.compile(r"\bhow (?:many|much|long)\b")
_OWN_CLAUSE = re.compile(r"(?:[,;]|\band\b|\bif so\b)\s*(?:if so,?\s*)?(?:(?:after|for|in|by|at|within|and)\s+)?how (?:many|much|long)\b")  # "..., and if so, after how many?"
_WH = re.compile(r"\b(who|whom|whose|when|where|why|which|what|how)\b")
_OTHER_WH = re.compile(r"^\W*(?:who|whom|whose|where|why|which|what)\b")  # an asking sentence opened by a question word other than "how"
_QUOTED = re.compile(r"`([^`]+)`")  # code: a setting, a file name, a syntax; quotes are often just emphasis
# "What keyboard shortcut toggles bold?", "the hotkey for ...": keys asked for, not shortcuts as a topic
_WANTS_KEYS = re.compile(r"\b(?:what|which)\b(?: \w+){0,3} (?:shortcut|hotkey|key combination)s?\b|\b(?:shortcut|hotkey|key combination)s? (?:for|to)\b")
_ASKS_SHORTCUT = re.compile(r"\b(?:default |keyboard )*(?:shortcut|hotkey|key combination)s?\b")
# words of the form asked, none of the answer's ("How large should a screenshot be?" is answered by "1920 x 1080 pixels")
_ASKS_MEASURE = re.compile(r"\bhow heavy\b|\bweighs?\b|\bhow fast\b|\bhow far back\b|\bhow (?:big|large|small|long)(?= (?:should|can|could|may|might|must)\b)")
_ASKS_WHEN = re.compile(rf"\b(in |on |since |from )?(what|which) (year|date|day of the week|weekday)\b{_TIME_ASKED}|\bsince when\b")
_DEFINE = re.compile(r"^\W*(?:what|who) (?:is|are|was|were) (?:an? |the )?(?P<subject>[^,?;]+?)\s*(?:,[^?]*)?\?*\s*$", re.I)
# "What does the Templater plugin do?", "What is Dataview for?" ask what the thing is, as "What is ...?" does
_IN_NAMED = re.compile(r"^(?P<thing>.+?) (?:in|on|within|inside) (?P<where>[^ ].*)$")  # a subject, then the name of where it is one
_ENDS_ON = frozenset("in on of by with from to at about into like".split())  # a subject ending on one asks an attribute
_DOES = re.compile(r"^\W*what (?:does|do|is|are|was|were) (?:an? |the )?(?P<subject>[^,?;]+?) (?:do|used for|for|good for|stand for|known for|famous for|mean)\?*\s*$", re.I)
# a version named after "version", "v", "release" or a name ("Obsidian 1.0"), not a measure ("than 2.5 MB")
_VERSION = re.compile(r"(?:\bversion |\bv|\brelease |(?<![\w.])[A-Z][\w+-]* )(\d{1,2}\.\d{1,3}(?:\.\d{1,3})*)\b")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=\S)")
# "When I have advantage, how do I roll?": a clause of time or condition before the comma sets the
# scene, the question after it is what is asked (a how-to here, not a question of when)
_SCENE = re.compile(r"^\W*(?:when|whenever|if|once|after|before|while|as soon as)\b[^,?]*,\s*(?=(?:how|what|which|who|whom|whose|where|why|when|can|could|do|does|did|is|are|was|were|will|would|should|has|have)\b)")
# (a word with a capital after its first letter is a name too: "macOS", "iPhone", "eBay")
_NAME_WORD = re.compile(r"(?<![\w'])(?:[A-Z][\w.+-]*[A-Za-z0-9]|[a-z]+[A-Z](?:[\w.+-]*[A-Za-z0-9])?|[\w.+-]*\d[\w.+-]*|\.[a-z0-9]{2,5})(?!\w)")


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]  # content words, casefolded, in order, distinct
    kind: str  # "howto", "yesno", "who", "when", "where", "why", "which", "what", "quantity", "other"
    form: str | None  # the answer form it wants (a key of FORMS), if a definite one
    named: tuple[str, ...]  # words it writes as names: capitalised mid-sentence, quoted, with digits
    subject: str = ""  # what a definition question ("What is LaTeX?") asks to define, as written
    versions: tuple[str, ...] = ()  # versions it names ("Obsidian 1.0", "version 0.9.21"), as written

    @property
    def stems(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(stem(t) for t in self.terms))


def analyse(text: str) -> Question:
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    folded = text.casefold().replace("\u2019", "'")
    wording = _ASKS_WHEN.sub(" ", folded)  # "what year" asks when; the kind keeps that, not the words
    if _WANTS_KEYS.search(folded):
        wording = _ASKS_SHORTCUT.sub(" ", wording)  # "keyboard shortcut": the form says it, an answer shows keys
    wording = _ASKS_MEASURE.sub(" ", wording)  # "how heavy", "how fast": the form says it, an answer says "310 kg", "0.3 m/s"
    wording = _KEEP_FROM.sub(lambda found: "exclude" + found.group(0)[len(found.group(1)) :], wording)  # "stop X from syncing": its word is no task
    named = _named(text)
    # a filler word written as a name stays a word of the question: "the Things theme"
    terms = tuple(dict.fromkeys(t for t in tokenize(wording, _STOP - frozenset(named)) if not t.isdigit() or len(t) > 1))
    # "I host a small wiki ... Can I make it so that ...?": the kind is the asking sentence's
    asking = folded
    parts = _SENTENCE_END.split(folded)
    asked = [p for p in parts if p.rstrip().endswith("?")]
    if asked:
        asking = asked[-1]
    asking = _SCENE.sub("", asking)
    defined = _DOES.match(asking) or _DEFINE.match(asking)
    subject = defined.group("subject") if defined and len(defined.group("subject").split()) <= 6 else ""
    if subject and subject.split()[-1] in _ENDS_ON:
        subject = ""  # "What is Cobalt written in?" asks what it is written in, not what "Cobalt written in" is
    placed = _IN_NAMED.match(subject)
    if placed and set(where := tokenize(placed.group("where"))) and set(where) <= set(named):
        subject = placed.group("thing")  # "What is a base in Obsidian?": a base, said where it is one
    # "Which header tells a client how much of its quota is left?" asks for a header: a "how
    # much" inside the clause of another question word is part of what is asked about
    # ("Where can I see how long it took and how much RAM it used?": the clause's first "how" is inside)
    own, first = _OWN_CLAUSE.search(asking), _EMBEDDED.search(asking)
    inner = _OTHER_WH.match(asking) is not None and (own is None or (first is not None and first.start() < own.start()))
    kind = _kind(_EMBEDDED.sub(" ", asking) if inner else asking)
    form = _form(_EMBEDDED.sub(" ", asking) if inner or _yes_no(asking) else asking)
    if form == "place":  # "stored", "kept": the form says it, and the wiki says "located in" as often
        terms = tuple(t for t in terms if t not in _KEEPING)
    if kind == "howto" and form == "format":
        form = None  # "How do I write a due date in Dataview format?": the format is the way asked about, not the answer
    return Question(text, terms, kind, form, named, subject, tuple(dict.fromkeys(_VERSION.findall(text))))


def _yes_no(folded: str) -> bool:
    """Whether the asking sentence opens with an auxiliary and asks yes or no, not indirectly for
    something else ("Can you tell me how many ...?")."""
    return _YESNO.search(folded) is not None and _INDIRECT.search(folded) is None and _OWN_CLAUSE.search(folded) is None


def _kind(folded: str) -> str:
    if _HOWTO.search(folded):
        return "howto"
    if re.search(r"\bhow (many|much)\b", folded) and not _yes_no(folded):
        return "quantity"
    head = _WH.search(folded)
    if _YESNO.search(folded) and (head is None or head.start() > 0 and not re.match(r"^\s*(what|which|who|how|when|where|why)", folded)):
        # "Can I ...?" asks yes or no; "Is there one command that ...?" too, even with a "which" later
        return "yesno"
    if head is None:
        return "other"
    if re.search(rf"\b(what|which) (year|date|day|month)\b{_TIME_ASKED}|\bsince when\b", folded):
        return "when"
    word = head.group(1)
    return {"whom": "who", "whose": "who", "how": "howto" if re.search(r"\bhow (do|can|to)\b", folded) else "how"}.get(word, word)


def _form(folded: str) -> str | None:
    for i, (_, form) in enumerate(_FORM_RULES):
        if _RULES[i].search(folded):
            return form
    return None


def _named(text: str) -> tuple[str, ...]:
    """Words the question writes as names: a capitalised word that does not start it, one with a
    capital inside ("macOS"), a word with a digit or a leading dot (`.deb`, `2FA`), and every word
    inside quotes or backticks."""
    found: list[str] = []
    for match in _QUOTED.finditer(text):
        found.extend(tokenize(next(g for g in match.groups() if g)))
    for sentence in _SENTENCE_END.split(_QUOTED.sub(" ", text)):
        body = re.sub(r"^\W*\w+", "", sentence)  # a sentence's first word is capitalised anyway
        for match in _NAME_WORD.finditer(body):
            word = match.group(0)
            if word.upper() == word and len(word) == 1:
                continue  # "I"
            found.extend(tokenize(word))
    return tuple(dict.fromkeys(w for w in found if w not in STOP_WORDS))  # a filler word may be a name ("Things")


# "stop (a folder) from (being) syncing": the task is to exclude it
EXCLUDING = frozenset("exclude disable prevent stop block ignore hide".split())
_KEEP_FROM = re.compile(r"\b(stop|stops|stopped|stopping|keep|keeps|kept|keeping|prevent|prevents|prevented|preventing)\b(?:\s+[\w'-]+){0,6}?\s+from\s+(?:being\s+)?[a-z]+(?:ing|ed)\b")
# A phrasal verb and the one word a heading uses for it ("How do I turn on 2FA?" -> "Enable 2FA";
# "How do I stop a folder from being synced?" -> "Exclude a folder from syncing")
_PHRASAL = (
    (re.compile(r"\b(turn|turns|turned|turning|switch|switches|switched|switching) on\b"), "enable"),
    (re.compile(r"\b(turn|turns|turned|turning|switch|switches|switched|switching) off\b"), "disable"),
    (_KEEP_FROM, "exclude"),
)


def verbs(text: str) -> tuple[str, ...]:
    """The single verbs the phrasal verbs of `text` stand for: "turn on" -> "enable", "switch off"
    -> "disable", "stop (a folder) from (being) syncing" -> "exclude". Only these, the ones a
    settings page's headings and toggles name."""
    folded = text.casefold()
    return tuple(word for pattern, word in _PHRASAL if pattern.search(folded))


def says_version(version: str, text: str) -> bool:
    """Whether `text` names `version` ("1.9" in "Obsidian 1.9", not in "1.9.3" or "21.9")."""
    return re.search(rf"(?<![\d.]){re.escape(version)}(?![\d]|\.\d)", text) is not None


_ONE = re.compile(r"\b(?:one|a single)\s+(\w+)", re.I)


def answers_form(form: str | None, text: str, asked: Collection[str] = (), counted: str | None = None) -> bool:
    """Whether `text` holds something of the answer form `form` (any text does for None). "One"
    is a count only of a thing the question asks about (`asked`, stemmed): "expend one spell slot"
    for "How many spell slots ...?", never "if you don't have one". A time is no count of the
    thing a "how many" question counts (`counted`, a stem): "Default: 1 min" says nothing of how
    many failed logins lock an account."""
    if form == "number" and counted is not None:
        text = DURATIONS.sub(" ", text)
    if form is None or FORMS[form].search(text) is not None:
        return True
    return form == "number" and any(stem(found.group(1).casefold()) in asked for found in _ONE.finditer(text))


# "What is the difference between a tag and a property?", "How does a tag differ from a property?"
_DIFFERENCE = re.compile(r"^\W*(?:what(?:'s| is| are)|tell me) (?:the )?(?:main |key )?differences? between (?P<a>[^?]+?) and (?P<b>[^?]+?)\s*\??\s*$", re.I)
_DIFFER = re.compile(r"^\W*how (?:is|are|does|do) (?P<a>[^?]+?) (?:differ|different) from (?P<b>[^?]+?)\s*\??\s*$", re.I)
_ARTICLE = re.compile(r"^(?:an?|the)\s+", re.I)


def compared(text: str) -> tuple[str, str] | None:
    """The two things a question asks the difference between, each as a name of a few words."""
    found = _DIFFERENCE.match(text) or _DIFFER.match(text)
    if found is None:
        return None
    a, b = (_ARTICLE.sub("", found.group(side).strip()) for side in ("a", "b"))
    if not a or not b or a.casefold() == b.casefold() or max(len(a.split()), len(b.split())) > 6:
        return None
    return a, b


# a verb whose particle comes after its object: "bring my notes over from Evernote", "carry the
# settings across to a new laptop"; the verb alone says little of the task
_SPLIT_PARTICLE = re.compile(r"[a-z]+ (?:[\w'-]+ ){1,4}?(?:over|across|back|along|away)\b\s*(?:from|to|into|onto|\?|$)")
# a choice between things: "decide which feature to split on", "choose what to cache"; the answer
# gives the criterion ("the feature with the most information gain"), in words of its own
_CHOOSING = re.compile(r"(?:decide|choose|pick|select|determine|judge)\s+(?:which|what|whether|when|where|who|how|if)\b")


def task_verb(question: Question) -> str | None:
    """The verb of the task a "how do I" question asks ("install" in "How do I install a theme?"),
    unless it says little ("get", "make"), is phrasal ("turn on", "bring (my notes) over") or
    chooses ("decide which ..."; `_CHOOSING`); "exclude" for "stop (a folder) from (being) syncing"."""
    folded = question.text.casefold()
    found = _TASK_VERB.match(folded)
    verb = found.group(1) if found else None
    if verb is not None and _KEEP_FROM.match(folded, found.start(1)):
        return "exclude"
    if verb is None or verb in _LIGHT_VERBS or verb in STOP_WORDS or _SPLIT_PARTICLE.match(folded, found.start(1)) or _CHOOSING.match(folded, found.start(1)):
        return None
    return None if any(pattern.match(folded, found.start(1)) for pattern, _ in _PHRASAL) else verb


def task_words(verb: str) -> frozenset[str]:
    """The words a page may say a task `verb` with: to exclude something is also to disable,
    prevent, stop, block, ignore or hide it ("Disable WDigest" says how to stop Mimikatz from
    finding passwords)."""
    return EXCLUDING if verb in EXCLUDING and verb != "stop" else frozenset({verb})  # "stop" alone ends a thing ("How do I stop the pump?")
