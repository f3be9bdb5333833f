"""Config: defaults, then the file, then the command line; unknown keys and wrong types are errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kbsleep.config import Config, load_config
from kbsleep.errors import KbsleepError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config == Config()
    assert (config.links.resolve, config.lint.fail_on, config.llm.engine) == ("obsidian", "error", "auto")


@pytest.mark.parametrize("name", ["kbsleep.toml", ".kbsleep.toml"])
def test_a_file_in_the_wiki_root_overrides_defaults(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text('exclude = ["drafts/"]\n[links]\nresolve = "titles"\n[lint]\nrequired-frontmatter = ["sources"]\n')
    config = load_config(tmp_path)
    assert config.exclude == ("drafts/",)
    assert config.links.resolve == "titles"
    assert config.lint.required_frontmatter == ("sources",)
    assert config.source == tmp_path / name


def test_the_nearest_pyproject_tool_table_applies(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.kbsleep.lint]\nignore = ["KB2"]\n')
    wiki = tmp_path / "docs" / "wiki"
    wiki.mkdir(parents=True)
    assert load_config(wiki).lint.ignore == ("KB2",)


def test_a_pyproject_without_a_kbsleep_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(tmp_path) == Config()


def test_command_line_overrides_win(tmp_path: Path) -> None:
    (tmp_path / "kbsleep.toml").write_text('[llm]\nengine = "anthropic"\n')
    assert load_config(tmp_path, {"llm": {"engine": "offline"}}).llm.engine == "offline"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = true\n", "kbsleep.toml: unknown config key `colour`"),
        ("[lint]\nselct = []\n", "unknown config key `lint.selct`"),
        ('[links]\nresolve = "aliases"\n', "`links.resolve` must be one of 'obsidian', 'titles', not 'aliases'"),
        ("max-page-bytes = \"big\"\n", "`max-page-bytes` must be an integer"),
        ("exclude = [1, 2]\n", "`exclude` must be a list of strings"),
        ("lint = 3\n", "`lint` must be a table"),
        ("[llm]\ntimeout = true\n", "`llm.timeout` must be a number"),
        ("[llm]\nbatch = 1\n", "`llm.batch` must be true or false"),
        ("this is = not toml\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_clear_error_naming_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "kbsleep.toml").write_text(text)
    with pytest.raises(KbsleepError) as caught:
        load_config(tmp_path)
    assert message in caught.value.message
    assert str(tmp_path / "kbsleep.toml") in caught.value.message


def test_every_key_of_every_section_can_be_set_from_a_file(tmp_path: Path) -> None:
    text = """
exclude = ["drafts/"]
[llm]
batch = true
max-cost-usd = 0.5
prices = { "my-model" = { input = 1.0, output = 5.0 } }
[anticipate]
questions = 5
[ask]
min-coverage = 0.6
[consolidate]
index-group = "tag"
[deep]
max-candidates = 50
"""
    (tmp_path / "kbsleep.toml").write_text(text)
    config = load_config(tmp_path)
    assert (config.llm.batch, config.llm.max_cost_usd, config.llm.prices["my-model"]["output"]) == (True, 0.5, 5.0)
    assert (config.anticipate.questions, config.ask.min_coverage, config.consolidate.index_group, config.deep.max_candidates) == (5, 0.6, "tag", 50)
