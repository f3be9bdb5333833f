"""Output formats: every consumer gets the same findings, deterministically and correctly escaped.

Golden files live in tests/lint/golden/. After an intended change to an output format, rewrite
them with `KBSLEEP_UPDATE_GOLDEN=1 pytest tests/lint/test_formats.py` and review the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from kbsleep.errors import KbsleepError
from kbsleep.lint.formats import (
    FORMATS,
    escape_data,
    escape_property,
    render,
    render_github_summary,
    render_statistics,
    statistics,
    write_github_summary,
)
from kbsleep.lint.records import Diagnostic, Location, Rule

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
GOLDEN = HERE / "golden"
VERSION = "9.9.9-test"  # not kbsleep.__version__, so a release does not rewrite the goldens
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _no_findings(wiki: object, rule: Rule) -> tuple[Diagnostic, ...]:
    return ()


def _rule(code: str, name: str, severity: str, what: str) -> Rule:
    doc = f"""{what}

What it does:
    {what} It reads every page.

Why it matters:
    Readers and models follow links; a dead end costs both.

Example:
    See [[Kestrel Rovr]] for the landing site.

Fix:
    Point the link at the page that exists.
"""
    return Rule(code, name, severity, _no_findings, doc)  # type: ignore[arg-type]


BROKEN_LINK = _rule("KB101", "broken-link", "error", "Flags wikilinks to pages that do not exist.")
BROKEN_ANCHOR = _rule("KB102", "broken-anchor", "error", "Flags links to missing headings.")
DUPLICATE_PAGE = _rule("KB201", "duplicate-page", "warning", "Flags pages that say the same.")
STALE_CLAIM = _rule("KB301", "stale-claim", "judgement", "Flags claims that may be stale.")
ORPHAN_PAGE = _rule("KB401", "orphan-page", "warning", "Flags pages nothing links to.")
RULES = (BROKEN_LINK, BROKEN_ANCHOR, DUPLICATE_PAGE, STALE_CLAIM, ORPHAN_PAGE)

LINK = Diagnostic(
    "KB101",
    "broken-link",
    "error",
    Location("notes/kestrel.md", 3, 5),
    "Link target [[Kestrel Rovr]] does not exist",
    hint="did you mean [[Kestrel Rover]]?",
    source_line="See [[Kestrel Rovr]] for the landing site.",
    span=16,
    fix=((3, 5, "[[Kestrel Rovr]]", "[[Kestrel Rover]]"),),
)
DUPLICATE = Diagnostic(
    "KB201",
    "duplicate-page",
    "warning",
    Location("vehicles/Kestrel Rover.md", 1, 1),
    "Page duplicates [[Kestrel]]",
    source_line="# Kestrel Rover",
    span=15,
    related=(Location("notes/kestrel.md", 1, 1, "first defined here"),),
)
JUDGEMENT = Diagnostic(
    "KB301",
    "stale-claim",
    "judgement",
    Location("notes/kestrel.md", 12, 1),
    "The launch date may be out of date",
    source_line="Launch is planned for 2021.",
    span=27,
)
TRICKY = Diagnostic(  # every character some format must escape, in a path no format may mangle
    "KB102",
    "broken-anchor",
    "error",
    Location("places/Café Zoë notes.md", 2, 7),
    "100% sure: heading a, b is missing\nsecond line | with a pipe",
    source_line="Go to\t[[#a, b]] now",
    span=9,
)
FINDINGS = (JUDGEMENT, TRICKY, DUPLICATE, LINK)  # deliberately not in output order


def assert_golden(name: str, actual: str) -> None:
    """`actual` equals tests/lint/golden/NAME byte for byte; KBSLEEP_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if os.environ.get("KBSLEEP_UPDATE_GOLDEN") == "1":
        path.write_bytes(actual.encode("utf-8"))
        return
    assert path.exists(), f"missing golden file {name}: rerun with KBSLEEP_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8")


def out(fmt: str, findings: tuple[Diagnostic, ...] = FINDINGS, **options: bool) -> str:
    return render(findings, RULES, fmt, tool_version=VERSION, **options)


GOLDEN_NAMES = {
    "full": "full.txt",
    "concise": "concise.txt",
    "json": "json.json",
    "json-lines": "json-lines.jsonl",
    "github": "github.txt",
    "sarif": "sarif.json",
    "junit": "junit.xml",
}


# -- every format ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_registered_format_matches_its_golden_file(fmt: str) -> None:
    assert_golden(GOLDEN_NAMES[fmt], out(fmt))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_output_depends_on_the_findings_not_on_their_order(fmt: str) -> None:
    assert out(fmt, tuple(reversed(FINDINGS))) == out(fmt)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_backslash_is_a_separator_only_where_the_platform_says_so(fmt: str) -> None:
    native = dataclasses.replace(LINK, location=Location(LINK.path.replace("/", os.sep), 3, 5))
    assert out(fmt, (native,)) == out(fmt, (LINK,))  # Windows: `notes\kestrel.md` is notes/kestrel.md
    if os.sep == "/":  # elsewhere `notes\kestrel.md` is one file's name, printed as it is
        named = dataclasses.replace(LINK, location=Location("notes\\kestrel.md", 3, 5))
        assert out(fmt, (named,)) != out(fmt, (LINK,))


def test_only_coloured_full_output_imports_rich() -> None:
    code = (
        "import sys\n"
        "from kbsleep.lint.formats import FORMATS, render\n"
        "for fmt in FORMATS: render((), (), fmt, tool_version='x')\n"
        "print('rich' in sys.modules)\n"
    )
    path = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "False\n"), done.stderr


def test_an_unknown_format_is_a_user_error_that_lists_the_choices() -> None:
    with pytest.raises(KbsleepError) as raised:
        out("yaml")
    assert raised.value.hint == "choose one of: " + ", ".join(FORMATS)


# -- full --------------------------------------------------------------------------------------


def test_full_shows_the_line_with_carets_under_the_span_then_the_hint() -> None:
    block = out("full", (LINK,)).splitlines()
    assert block == [
        "notes/kestrel.md:3:5: KB101 [broken-link] error: Link target [[Kestrel Rovr]] does not exist",
        "  |",
        "3 | See [[Kestrel Rovr]] for the landing site.",
        "  |     ^^^^^^^^^^^^^^^^",
        "  = hint: did you mean [[Kestrel Rover]]?",
        "",
        "Found 1 error (broken-link 1); `--statistics` prints the counts alone.",
    ]


def test_full_lists_related_locations() -> None:
    assert "  = related: notes/kestrel.md:1:1: first defined here" in out("full", (DUPLICATE,))


def test_full_carets_line_up_after_tabs_and_wide_letters() -> None:
    wide = dataclasses.replace(
        LINK, location=Location("a.md", 3, 4), source_line="東京 [[Kestrel Rovr]]"
    )
    lines = out("full", (TRICKY, wide)).splitlines()
    assert "3 | 東京 [[Kestrel Rovr]]" in lines  # 東 and 京 take two cells each
    assert "  |      ^^^^^^^^^^^^^^^^" in lines
    assert "2 | Go to   [[#a, b]] now" in lines  # the tab expands to the next stop of four
    assert "  |         ^^^^^^^^^" in lines


def test_full_is_plain_text_unless_colour_is_asked_for() -> None:
    assert "\x1b[" not in out("full")


def test_full_colour_changes_only_the_styling_not_the_text() -> None:
    coloured = out("full", color=True)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == out("full")


def test_full_colour_ignores_no_color_and_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "20")
    assert ANSI.sub("", out("full", color=True)) == out("full")
    assert "\x1b[" in out("full", color=True)


def test_full_ends_with_a_count_by_severity_and_rule() -> None:
    assert out("full").splitlines()[-1] == (
        "Found 2 errors (broken-anchor 1, broken-link 1), 1 warning (duplicate-page 1) and 1 judgement (stale-claim 1);"
        " `--statistics` prints the counts alone."
    )
    assert out("full", ()) == "All checks passed.\n"


# -- concise, json, json-lines -----------------------------------------------------------------


def test_concise_is_one_line_per_finding_and_nothing_else() -> None:
    assert out("concise").splitlines() == [
        "notes/kestrel.md:3:5: KB101 Link target [[Kestrel Rovr]] does not exist",
        "notes/kestrel.md:12:1: KB301 The launch date may be out of date",
        "places/Café Zoë notes.md:2:7: KB102 100% sure: heading a, b is missing second line | with a pipe",
        "vehicles/Kestrel Rover.md:1:1: KB201 Page duplicates [[Kestrel]]",
    ]
    assert out("concise", ()) == ""


def test_json_parses_back_to_the_findings_in_order() -> None:
    records = json.loads(out("json"))
    assert [(r["filename"], r["code"]) for r in records] == [
        ("notes/kestrel.md", "KB101"),
        ("notes/kestrel.md", "KB301"),
        ("places/Café Zoë notes.md", "KB102"),
        ("vehicles/Kestrel Rover.md", "KB201"),
    ]
    assert records[2]["message"] == TRICKY.message
    assert json.loads(out("json", ())) == []


def test_json_describes_location_span_related_and_safe_fix() -> None:
    link, _, _, duplicate = json.loads(out("json"))
    assert link["location"] == {"row": 3, "column": 5}
    assert link["end_location"] == {"row": 3, "column": 21}
    assert link["fix"] == {
        "applicability": "safe",
        "message": "did you mean [[Kestrel Rover]]?",
        "edits": [
            {
                "content": "[[Kestrel Rover]]",
                "location": {"row": 3, "column": 5},
                "end_location": {"row": 3, "column": 21},
            }
        ],
    }
    assert duplicate["fix"] is None and duplicate["hint"] is None and duplicate["url"] is None
    assert duplicate["related"] == [
        {"filename": "notes/kestrel.md", "row": 1, "column": 1, "message": "first defined here"}
    ]


def test_json_lines_holds_the_same_records_one_per_line() -> None:
    lines = out("json-lines").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(out("json"))
    assert out("json-lines", ()) == ""


# -- github ------------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<kind>error|warning|notice) (?P<props>[^:]*)::(?P<data>.*)$")


def _unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def _parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(pair.split("=", 1) for pair in match["props"].split(","))
    return match["kind"], {k: _unescape(v) for k, v in props.items()}, _unescape(match["data"])


def test_escaping_follows_the_actions_toolkit() -> None:
    assert escape_data("100%: a,b\r\nc") == "100%25: a,b%0D%0Ac"
    assert escape_property("100%: a,b\r\nc") == "100%25%3A a%2Cb%0D%0Ac"


def test_github_annotations_round_trip_through_the_escaping() -> None:
    commands = [_parse_command(line) for line in out("github").splitlines()]
    kinds = [kind for kind, _, _ in commands]
    assert kinds == ["error", "notice", "error", "warning"]  # judgement is a notice
    _, props, data = commands[2]
    assert props == {
        "file": "places/Café Zoë notes.md",
        "line": "2",
        "col": "7",
        "title": "KB102 broken-anchor",
    }
    assert data == TRICKY.message
    assert commands[0][2] == LINK.message + "\nhint: did you mean [[Kestrel Rover]]?"


def test_github_property_values_escape_colons_and_commas() -> None:
    odd = dataclasses.replace(LINK, location=Location("a:b,c%.md", 1, 1))
    line = out("github", (odd,))
    assert "file=a%3Ab%2Cc%25.md," in line
    assert _parse_command(line.rstrip("\n"))[1]["file"] == "a:b,c%.md"


def test_github_summary_is_appended_to_the_existing_file(tmp_path: Path) -> None:
    summary = tmp_path / "step_summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    write_github_summary(FINDINGS, RULES, str(summary))
    write_github_summary((), RULES, str(summary))
    expected = (
        "# Earlier step\n\n"
        + render_github_summary(FINDINGS, RULES)
        + "\n"
        + render_github_summary((), RULES)
    )
    assert summary.read_text(encoding="utf-8") == expected


def test_github_summary_tabulates_rules_then_findings_with_cells_escaped() -> None:
    text = render_github_summary(FINDINGS, RULES)
    assert_golden("github-summary.md", text)
    assert (
        "| places/Café Zoë notes.md:2 | KB102 | 100% sure: heading a, b is missing<br>second line \\| with a pipe |"
        in text
    )


def test_github_summary_lists_only_the_first_findings() -> None:
    text = render_github_summary(FINDINGS, RULES, limit=1)
    assert "| notes/kestrel.md:3 | KB101 |" in text
    assert "notes/kestrel.md:12" not in text
    assert text.endswith("…and 3 more findings.\n")


# -- sarif -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads((HERE / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@pytest.mark.parametrize("findings", [FINDINGS, ()], ids=["findings", "clean"])
def test_sarif_validates_against_the_official_schema(
    sarif_validator: jsonschema.protocols.Validator, findings: tuple[Diagnostic, ...]
) -> None:
    sarif_validator.validate(json.loads(out("sarif", findings)))


def test_sarif_lists_exactly_the_rules_passed_in_and_indexes_into_them() -> None:
    only = (DUPLICATE_PAGE, BROKEN_LINK, ORPHAN_PAGE)
    run = json.loads(render(FINDINGS, only, "sarif", tool_version=VERSION))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["KB101", "KB201", "KB401"]
    for result in run["results"]:
        if result["ruleId"] in ("KB102", "KB301"):
            assert "ruleIndex" not in result
        else:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rule_help_comes_from_the_four_doc_parts() -> None:
    driver = json.loads(out("sarif"))["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kbsleep", VERSION)
    rule = driver["rules"][0]
    assert rule["name"] == "broken-link"
    assert rule["shortDescription"] == {"text": "Flags wikilinks to pages that do not exist."}
    assert rule["defaultConfiguration"] == {"level": "error"}
    for part in ("What it does", "Why it matters", "Example", "Fix"):
        assert part in rule["help"]["text"] and f"### {part}" in rule["help"]["markdown"]
    assert "```markdown\nSee [[Kestrel Rovr]]" in rule["help"]["markdown"]


def test_sarif_results_carry_level_relative_uri_region_and_related_locations() -> None:
    link, judgement, tricky, duplicate = json.loads(out("sarif"))["runs"][0]["results"]
    assert [r["level"] for r in (link, judgement, tricky, duplicate)] == [
        "error",
        "note",
        "error",
        "warning",
    ]
    location = tricky["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "places/Caf%C3%A9%20Zo%C3%AB%20notes.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"] == {"startLine": 2, "startColumn": 7, "endColumn": 16}
    assert duplicate["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": "notes/kestrel.md", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 1, "startColumn": 1},
            },
            "message": {"text": "first defined here"},
        }
    ]


def _fingerprint(diagnostic: Diagnostic) -> str:
    result = json.loads(out("sarif", (diagnostic,)))["runs"][0]["results"][0]
    return str(result["partialFingerprints"]["primaryLocationLineHash"])


def test_sarif_fingerprint_survives_the_line_moving_but_not_the_line_changing() -> None:
    moved = dataclasses.replace(LINK, location=Location("notes/kestrel.md", 40, 9))
    reindented = dataclasses.replace(
        LINK, source_line="  See  [[Kestrel Rovr]] for the landing site. "
    )
    edited = dataclasses.replace(LINK, source_line="See [[Kestrel Rovr]] for the launch site.")
    assert _fingerprint(moved) == _fingerprint(reindented) == _fingerprint(LINK)
    assert _fingerprint(edited) != _fingerprint(LINK)


def test_sarif_fingerprints_number_identical_lines_within_a_file() -> None:
    twin = dataclasses.replace(LINK, location=Location("notes/kestrel.md", 9, 5))
    results = json.loads(out("sarif", (LINK, twin)))["runs"][0]["results"]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in results]
    assert hashes[0].endswith(":1") and hashes[1].endswith(":2")
    assert hashes[0][:-2] == hashes[1][:-2]


# -- junit -------------------------------------------------------------------------------------


def test_junit_has_a_testcase_per_page_and_a_failure_per_finding() -> None:
    root = ET.fromstring(out("junit"))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("name") == "kbsleep"
    cases = suite.findall("testcase")
    assert [case.get("classname") for case in cases] == [
        "notes/kestrel.md",
        "places/Café Zoë notes.md",
        "vehicles/Kestrel Rover.md",
    ]
    assert [len(case.findall("failure")) for case in cases] == [2, 1, 1]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "3", "0")
    tricky = cases[1].find("failure")
    assert tricky is not None and tricky.get("type") == "KB102"
    assert tricky.text is not None and TRICKY.message in tricky.text


def test_junit_clean_run_is_one_passing_testcase() -> None:
    suite = ET.fromstring(out("junit", ())).find("testsuite")
    assert suite is not None and (suite.get("tests"), suite.get("failures")) == ("1", "0")
    assert [case.findall("failure") for case in suite.findall("testcase")] == [[]]


def test_junit_survives_markup_and_control_characters_in_messages() -> None:
    nasty = dataclasses.replace(LINK, message='<b>&"quoted"</b>\x1b[31m\x00')
    failure = ET.fromstring(out("junit", (nasty,))).find("testsuite/testcase/failure")
    assert failure is not None
    # Control characters are shown as escapes (they were U+FFFD, which hid what they were).
    assert failure.get("message") == 'KB101 [broken-link] <b>&"quoted"</b>\\u001b[31m\\u0000'


# -- statistics --------------------------------------------------------------------------------


def test_statistics_count_per_rule_most_frequent_first_then_by_code() -> None:
    twin = dataclasses.replace(DUPLICATE, location=Location("vehicles/Rover.md", 1, 1))
    findings = (*FINDINGS, twin)
    assert statistics(findings) == [
        ("KB201", "duplicate-page", 2),
        ("KB101", "broken-link", 1),
        ("KB102", "broken-anchor", 1),
        ("KB301", "stale-claim", 1),
    ]
    assert render_statistics(findings) == (
        "2  KB201  duplicate-page\n"
        "1  KB101  broken-link\n"
        "1  KB102  broken-anchor\n"
        "1  KB301  stale-claim\n"
    )
    assert render_statistics(()) == ""
