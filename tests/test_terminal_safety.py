"""Page text, model text and server messages never reach a terminal raw.

An ESC sequence in a page (or a file name, or a model's answer) can recolour the terminal, move
the cursor, retitle the window or write the clipboard; a bidi override reorders what is shown.
Every output of `lint` (each format, with or without `--no-color`), `lint --deep`, `ask` and
the error messages shows such characters as escapes (`\\u001b`), once, in `report.printable`;
JSON and SARIF carry them with JSON's own escapes, the data unchanged.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kbsleep.cli import main
from kbsleep.lint import lint
from kbsleep.lint.formats import FORMATS, render
from kbsleep.report import printable
from kbsleep.testing import Fault
from kbsleep.wiki import open_wiki
from tests.ask.support import wiki_files
from tests.lint.test_deep_model import WIKI, judging

ESC = "\x1b]2;pwned\x07\x1b[2J\x1b[31m"  # retitle the window, clear the screen, turn red
BIDI = "\u202eevil\u202c\u2066x\u2069"  # right-to-left override, isolate
C1 = "\x9b31m\x85"  # CSI (ESC [ in one byte), next line
# What no output may hold: C0 controls but tab and newline, DEL, C1, bidi controls, separators.
UNSAFE = re.compile("\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, tabs\tand\nnewlines", "plain text, tabs\tand\nnewlines"),
        ("\x1b[31mred\x1b[0m", "\\u001b[31mred\\u001b[0m"),
        ("bell\x07 back\x08 nul\x00 del\x7f", "bell\\u0007 back\\u0008 nul\\u0000 del\\u007f"),
        ("over\rwrite", "over\\u000dwrite"),
        ("crlf\r\nline", "crlf\r\nline"),
        ("\x9b31m \x85", "\\u009b31m \\u0085"),
        ("\u202eevil\u202c \u2066x\u2069 \u200f \u061c", "\\u202eevil\\u202c \\u2066x\\u2069 \\u200f \\u061c"),
        ("line\u2028sep\u2029", "line\\u2028sep\\u2029"),
        ("é 東京 👩\u200d💻", "é 東京 👩\u200d💻"),
    ],
    ids=["kept", "ESC", "other C0 and DEL", "a lone CR", "CRLF kept", "C1", "bidi", "separators", "letters and emoji"],
)
def test_printable_shows_what_a_terminal_would_act_on_as_escapes(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(shown) == shown  # idempotent


def test_printable_keeps_json_valid_and_its_data_the_same() -> None:
    data = {"message": ESC + BIDI + C1 + "\u2028\x7f ok", "list": ["\x00", "\u202e"]}
    text = printable(json.dumps(data, ensure_ascii=False))
    assert UNSAFE.search(text) is None and json.loads(text) == data


# -- lint ------------------------------------------------------------------------------------------

EVIL_PAGE = f"Evil{ESC}.md"
EVIL = {
    "index.md": f"# Index\n\n[[Evil{ESC}]] [[Missing {BIDI}]] [[Also{C1}missing]]\n",
    EVIL_PAGE: f"# Evil\n\nText {ESC} and {BIDI}: [[Nowhere{ESC}]] [[index]].\n",
}


@pytest.fixture
def evil(make_repo) -> Path:
    return make_repo(EVIL)


def cli(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--wiki", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("no_color", [False, True], ids=["", "no-color"])
def test_no_lint_format_prints_a_control_character_from_a_page(evil: Path, fmt: str, no_color: bool, capsys) -> None:
    args = ["--no-color"] * no_color + ["lint", "--output-format", fmt]
    code, out, err = cli(evil, *args, capsys=capsys)
    assert code == 1
    assert UNSAFE.search(out) is None and UNSAFE.search(err) is None
    assert "\\u001b]2;pwned\\u0007" in out.replace("\\\\", "\\")  # shown, escaped (JSON doubles a backslash)


def test_json_and_sarif_keep_the_page_s_text_exactly_as_data(evil: Path, capsys) -> None:
    _, out, _ = cli(evil, "lint", "--output-format", "json", capsys=capsys)
    messages = {d["message"] for d in json.loads(out)}
    assert f"broken link: `[[Nowhere{ESC}]]` matches no page or attachment" in messages
    assert f"broken link: `[[Missing {BIDI}]]` matches no page or attachment" in messages
    _, out, _ = cli(evil, "lint", "--output-format", "sarif", capsys=capsys)
    texts = {r["message"]["text"] for r in json.loads(out)["runs"][0]["results"]}
    assert any(f"[[Also{C1}missing]]" in text for text in texts)


def test_the_full_format_in_colour_holds_no_escape_sequence_but_its_own_colours(evil: Path) -> None:
    report = lint(open_wiki(evil))
    text = render(report.diagnostics, report.rules, "full", tool_version="0", color=True)
    assert "\x1b[" in text  # it is coloured
    assert UNSAFE.search(re.sub(r"\x1b\[[0-9;]*m", "", text)) is None
    assert "Text \\u001b]2;pwned\\u0007\\u001b[2J\\u001b[31m and \\u202eevil" in text


def test_carets_stay_under_the_link_after_an_escaped_character(make_repo, capsys) -> None:
    root = make_repo({"a.md": "# A\n\n\x1b[1m [[Nowhere]]\n"})
    _, out, _ = cli(root, "--no-color", "lint", "--select", "broken-link", capsys=capsys)
    assert "3 | \\u001b[1m [[Nowhere]]\n  |           ^^^^^^^^^^^\n" in out


def test_junit_shows_control_characters_as_escapes_in_well_formed_xml(evil: Path, capsys) -> None:
    _, out, _ = cli(evil, "lint", "--output-format", "junit", capsys=capsys)
    messages = [f.get("message") for f in ET.fromstring(out).iter("failure")]
    assert any("[[Nowhere\\u001b]2;pwned\\u0007" in (m or "") for m in messages)


def test_the_github_step_summary_is_printable(evil: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    cli(evil, "lint", "--output-format", "github", capsys=capsys)
    text = summary.read_text(encoding="utf-8")
    assert "broken link" in text and UNSAFE.search(text) is None


def test_lint_deep_prints_no_control_character_from_the_model(fake, make_repo, capsys) -> None:
    fake.responder = judging([{
        "kind": "contradiction", "at": "A", "line_a": 1, "line_b": 9,
        "quote_a": "delivers 55 l/min", "quote_b": "delivers 40 litres a minute",
        "reason": f"the flow rates differ {ESC}{BIDI}{C1}",
    }])  # fmt: skip
    root = make_repo(WIKI)
    for fmt in ("full", "concise", "github"):
        code, out, err = cli(root, "--no-color", "lint", "--deep", "--output-format", fmt, capsys=capsys)
        assert code == 0 and "the flow rates differ \\u001b]2;pwned" in out
        assert UNSAFE.search(out) is None and UNSAFE.search(err) is None


# -- ask and errors --------------------------------------------------------------------------------


def test_ask_prints_no_control_character_from_a_page(make_repo, capsys) -> None:
    files = wiki_files()
    files["people/Ada Lovelace.md"] = files["people/Ada Lovelace.md"].replace("born in London", f"born in London{ESC}{BIDI}")
    root = make_repo(files)
    for args in ((), ("--json",)):
        code, out, err = cli(root, "ask", *args, "When was Ada Lovelace born?", "--engine", "offline", capsys=capsys)
        assert code == 0 and "London\\u001b]2;pwned" in out.replace("\\\\", "\\")
        assert UNSAFE.search(out) is None and UNSAFE.search(err) is None
    assert f"London{ESC}{BIDI}" in json.loads(out)["answer"]


def test_ask_prints_no_control_character_from_the_model(fake, make_repo, capsys) -> None:
    fake.script(json.dumps({"answer": f"In 1815.{ESC}{BIDI}", "citations": ["Ada Lovelace#Ada Lovelace"], "found": True}))
    root = make_repo(wiki_files())
    code, out, err = cli(root, "ask", "--no-precomputed", "When was Ada Lovelace born?", "--engine", "anthropic", capsys=capsys)
    assert code == 0 and out.startswith("In 1815.")  # (shown escaped, or, if the model layer drops them, without)
    assert UNSAFE.search(out) is None and UNSAFE.search(err) is None


def test_a_server_s_error_message_is_printed_with_its_control_characters_escaped(fake, make_repo, capsys) -> None:
    fake.responder = lambda body: Fault.unauthorized(message=f"bad key {ESC}{BIDI}")
    root = make_repo(wiki_files())
    code, out, err = cli(root, "ask", "--no-precomputed", "When was Ada Lovelace born?", "--engine", "anthropic", capsys=capsys)
    assert code == 0 and err.startswith("warning: the model could not be reached: ")  # ask answers offline
    assert "(HTTP 401): bad key \\u001b]2;pwned\\u0007" in err and UNSAFE.search(out + err) is None
    code, out, err = cli(root, "anticipate", "--engine", "anthropic", capsys=capsys)
    assert code != 0 and "(HTTP 401): bad key \\u001b]2;pwned\\u0007" in err
    assert UNSAFE.search(out + err) is None


def test_an_error_message_is_printed_as_text_with_its_control_characters_escaped(make_repo, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://u:pw@127.0.0.1:9/[bold]{ESC}")
    code, out, err = cli(make_repo(wiki_files()), "models", capsys=capsys)
    assert code == 2 and err.startswith("error: ANTHROPIC_BASE_URL holds a user name or password (`http://127.0.0.1:9/[bold]\\u001b]2;pwned\\u0007")
    assert UNSAFE.search(out + err) is None


# -- credentials in ANTHROPIC_BASE_URL ---------------------------------------------------------------


@pytest.mark.parametrize("command", [["ask", "--no-precomputed", "When was Ada Lovelace born?", "--engine", "anthropic"], ["anticipate", "--engine", "anthropic"], ["models"]])
def test_a_base_url_with_credentials_is_refused_before_any_request(fake, make_repo, monkeypatch: pytest.MonkeyPatch, capsys, command: list[str]) -> None:
    url = fake.base_url.replace("http://", "http://alice:s3cret-pw@")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)
    root = make_repo(wiki_files())
    code, out, err = cli(root, *command, capsys=capsys)
    assert code == 2 and fake.requests == []
    assert err == (
        f"error: ANTHROPIC_BASE_URL holds a user name or password (`{fake.base_url}` with `user:…@`): kbsleep does not send credentials in a URL\n"
        "  hint: take them out of the URL: the key goes in ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN), a proxy's own header in ANTHROPIC_CUSTOM_HEADERS\n"
    )
    assert "s3cret" not in out + err and "alice" not in out + err


def test_a_base_url_that_is_not_a_url_is_a_clear_error(make_repo, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://[::1")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-DO-NOT-LEAK-0000")
    code, _, err = cli(make_repo(wiki_files()), "models", capsys=capsys)
    assert code == 2 and err.startswith("error: ANTHROPIC_BASE_URL is not a URL\n")


def test_the_credentials_of_a_base_url_are_redacted_in_every_form(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64

    from kbsleep.llm.redact import redact

    monkeypatch.setenv("ANTHROPIC_BASE_URL", "https://alice:p%40ss-word1@proxy.example/v1")
    basic = base64.b64encode(b"alice:p@ss-word1").decode()
    echoed = f"401: Authorization: Basic {basic} for alice:p%40ss-word1 (p@ss-word1)"
    assert redact(echoed) == "401: Authorization: Basic [redacted] for [redacted] ([redacted])"
