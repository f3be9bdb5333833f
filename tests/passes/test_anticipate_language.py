"""The offline engine writes English questions, so it writes none into a page in another language.

"What is Cobalt's contexto?" in a Spanish note is a question none of its readers would ask. Such a
page is left without a section, the run says why, and a model is told to write in the page's
language. An English page that holds few English words (a stat block, a table of facts, a list
of names) is still asked about.
"""

from __future__ import annotations

from pathlib import Path

from kbsleep.cli import main
from kbsleep.llm.model import Passage
from kbsleep.passes.anticipate_plan import INSTRUCTIONS
from kbsleep.passes.offline_questions import generate
from kbsleep.passes.page_language import english

SPANISH = """---
title: Cobalt
tags: [pipeline]
---
# Cobalt

Cobalt es la canalización de datos del equipo de facturación. La usamos para importar las
facturas de los clientes desde el webhook de WhatsApp y para validar los PDF antes de guardarlos.

## Contexto

El webhook recibía las facturas por `phone_number_id`, pero con dos organizaciones que comparten
el mismo número todo documento acababa en la misma organización.

**Regla**: si un lookup no cambia el resultado principal, debe ser opt-in y estar envuelto en
`try/catch`, para que un fallo nunca tumbe la operación principal.
"""

ITALIAN = """# Puntatori

La funzione `malloc()` restituisce un puntatore alla memoria allocata. Se la memoria non può essere
allocata, la funzione restituisce `NULL`, e il chiamante deve controllare il valore prima di usarlo
nel resto del programma.
"""

STAT_BLOCK = """# Bone Naga

*Large undead, lawful evil*

**Armor Class:** 15 (natural armor)
**Hit Points:** 58 (9d10 + 9)
**Speed:** 40 ft.
**Senses:** darkvision 60 ft., passive Perception 12
**Damage Immunities:** poison
**Challenge:** 4 (1,100 XP)
**Languages:** Common plus one other language
"""

MATHS = """# Taylor approximations

The linear approximation of $f(x, y)$ near $(a, b)$ is $L(x, y) = f(a, b) + f_x(a, b)(x - a) + f_y(a, b)(y - b)$,
so y enters through $f_y$ only, and y stays y when the point moves along x: y y y y y y.
"""


def questions(text: str, name: str = "Cobalt") -> list[str]:
    return [qa.question for qa in generate([Passage(name, text)])]


def test_a_page_in_spanish_or_italian_is_not_english_even_full_of_english_terms() -> None:
    assert not english(SPANISH)
    assert not english(ITALIAN)


def test_an_english_page_of_facts_names_or_maths_is_english() -> None:
    assert english(STAT_BLOCK)
    assert english(MATHS)  # (the variable "y" is no Spanish "and")
    assert english("# Themes\n\n- [[Minimal]]\n- [[Things]]\n- [[Blue Topaz]]\n")
    assert english("Hola, ¿qué tal?")  # too short to tell: English by default


def test_the_offline_engine_writes_no_english_template_into_a_page_in_another_language() -> None:
    assert questions(SPANISH) == []
    assert questions(STAT_BLOCK, "Bone Naga")  # its facts are asked about, as before


def test_a_readers_question_about_a_page_in_another_language_is_still_answered() -> None:
    asked = [qa for qa in generate([Passage("Cobalt", SPANISH)], ["¿Qué hace Cobalt con las facturas?"])]
    assert [qa.question for qa in asked] == ["¿Qué hace Cobalt con las facturas?"]
    assert "facturas" in asked[0].answer and "[[Cobalt" in asked[0].answer


def test_a_model_is_told_to_write_in_the_pages_language() -> None:
    assert "in the language the page is written in" in INSTRUCTIONS


def test_the_run_says_how_many_pages_it_left_for_their_language(make_repo, capsys) -> None:
    repo: Path = make_repo({"Cobalt.md": SPANISH, "Puntatori.md": ITALIAN, "Bone Naga.md": STAT_BLOCK})
    assert main(["--wiki", str(repo), "anticipate", "--dry-run", "--yes"]) == 0
    out, err = capsys.readouterr()
    assert "+++ b/Bone Naga.md" in out and "Cobalt.md" not in out and "Puntatori.md" not in out
    assert "2 with nothing to ask (2 not in English: the offline engine writes English questions only)" in out + err


def test_a_question_about_words_in_another_script_is_left_out_but_a_title_in_one_is_a_name() -> None:
    page = "# Canvas Filter\n\nDeveloped by: [[CHex0K]]\nPlugin ID: canvas-filter\n\n## Контекст\n\nФильтр для холста.\n"
    assert questions(page, "Canvas Filter") == ["Who developed Canvas Filter?", "What is the plugin id of Canvas Filter?"]
    named = "# 盘古 PanGu\n\nDeveloped by: [[xiaoyu]]\nPlugin ID: obsidian-pangu\n"
    assert questions(named, "盘古 PanGu") == ["Who developed 盘古 PanGu?", "What is the plugin id of 盘古 PanGu?"]


def test_a_page_in_another_language_with_broken_yaml_or_bad_bytes_is_left_with_its_reason(make_repo, capsys) -> None:
    broken = SPANISH.replace("tags: [pipeline]", "tags: [pipeline")  # front matter Obsidian's YAML reader refuses
    repo: Path = make_repo({"Cobalt.md": broken, "Raw.md": b"# Raw\n\nCaf\xe9 sin c\xf3digo.\n", "Bone Naga.md": STAT_BLOCK})
    assert main(["--wiki", str(repo), "anticipate", "--dry-run", "--yes"]) in (0, 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "Cobalt.md" not in out and "+++ b/Bone Naga.md" in out
    assert "Raw.md" in err  # (not valid UTF-8: skipped, and said why)
