"""Every lint rule, in one table: code, name, severity tier, check.

Codes are stable: KB1xx links, KB2xx pages, KB3xx files and frontmatter, KB4xx facts,
KB5xx generated sections, KB6xx model judgements (`--deep`), KB9xx kbsleep itself.

A rule in `OFF_BY_DEFAULT` reports what is tidiness rather than a problem (like flake8's
off-by-default checks): it runs only when a `select` or `extend-select` entry, on the command
line or in `[lint]`, names it by code, name or code prefix (`KB3`, `KB306`); `ALL` and `KB`,
which mean "every rule", do not.
"""

from __future__ import annotations

from typing import Iterator, Protocol

from kbsleep.errors import KbsleepError
from kbsleep.lint.records import EVERY_PAGE, Check, Diagnostic, Focus, Rule, Severity
from kbsleep.lint.rules import facts, files, generated, links, pages
from kbsleep.wiki import Wiki


def unused_suppression(wiki: Wiki, rule: Rule, focus: Focus = EVERY_PAGE) -> Iterator[Diagnostic]:
    """A suppression comment or `kbsleep-ignore` entry that suppresses nothing.

    What it does:
        Reports `kbsleep-disable...` comments and frontmatter `kbsleep-ignore` entries that
        matched no finding of a rule that ran, and references to rules that do not exist.
        (It is computed by the lint engine after the other rules, so its check is empty.)

    Why it matters:
        A stale suppression hides the next real problem on that line without anyone noticing.

    Example:
        `<!-- kbsleep-disable-next-line broken-link -->` above a line whose link was fixed.

    Fix:
        Delete the comment or the entry.
    """
    return iter(())


_TABLE: tuple[tuple[str, str, Severity, Check], ...] = (
    # code     name                    tier        check
    ("KB101", "broken-link",           "error",    links.broken_link),
    ("KB102", "broken-anchor",         "error",    links.broken_anchor),
    ("KB103", "alias-link",            "error",    links.alias_link),
    ("KB104", "ambiguous-link",        "warning",  links.ambiguous_link),
    ("KB201", "orphan-page",           "warning",  pages.orphan_page),
    ("KB202", "duplicate-page",        "warning",  pages.duplicate_page),
    ("KB203", "missing-from-index",    "warning",  pages.missing_from_index),
    ("KB204", "empty-page",            "warning",  pages.empty_page),
    ("KB205", "empty-section",         "warning",  pages.empty_section),
    ("KB301", "frontmatter-invalid",   "error",    files.frontmatter_invalid),
    ("KB302", "required-frontmatter",  "error",    files.required_frontmatter),
    ("KB303", "encoding-error",        "error",    files.encoding_error),
    ("KB304", "binary-page",           "error",    files.binary_page),
    ("KB305", "unparsed-page",         "warning",  files.unparsed_page),
    ("KB306", "empty-property-item",   "warning",  files.empty_property_item),
    ("KB307", "property-type-mismatch", "warning", files.property_type_mismatch),
    ("KB401", "conflicting-facts",     "error",    facts.conflicting_facts),
    ("KB402", "contradicting-claims",  "warning",  facts.contradicting_claims),
    ("KB501", "stale-generated",       "warning",  generated.stale_generated),
    ("KB901", "unused-suppression",    "warning",  unused_suppression),
)  # fmt: skip

OFF_BY_DEFAULT = frozenset({"KB306"})

RULES: dict[str, Rule] = {
    code: Rule(code, name, severity, check, check.__doc__ or "", code not in OFF_BY_DEFAULT) for code, name, severity, check in _TABLE
}
UNUSED_SUPPRESSION = RULES["KB901"]


def register(rule: Rule) -> None:
    """Add a rule from another module (the `--deep` judgement rules register themselves)."""
    RULES[rule.code] = rule


def find_rule(ref: str) -> Rule:
    """The rule with this code or name (case-insensitive)."""
    for rule in RULES.values():
        if ref.upper() == rule.code or ref.lower() == rule.name:
            return rule
    raise KbsleepError(f"unknown rule `{ref}`", hint="`kbsleep lint --list-rules` lists them")


class Coded(Protocol):
    code: str
    name: str


def matches(rule: Coded, ref: str) -> bool:
    """Does a select/ignore reference name this rule? By name, code or code prefix ("KB1", "ALL")."""
    ref = ref.strip()
    if ref.upper() == "ALL":
        return True
    return ref.lower() == rule.name or (ref[:2].upper() == "KB" and rule.code.startswith(ref.upper()))


def selects(rule: Rule, ref: str) -> bool:
    """Does a select/extend-select reference turn this rule on? As `matches`, except that
    `ALL` and `KB` leave an off-by-default rule off."""
    return matches(rule, ref) and (rule.default or ref.strip().upper() not in ("ALL", "KB"))


def is_known_ref(ref: str) -> bool:
    return any(matches(rule, ref) for rule in RULES.values())
