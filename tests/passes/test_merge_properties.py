"""A merge keeps the properties only the merged-away page has.

An LLM wiki ingests one paper twice (`sources/agentbench-paper.md` with `source_file`, and
`sources/2311.05964-agentbench-paper.md` with `arxiv_url`): merging them must not lose the paper's
address. Every property of a merged page that the kept page lacks is carried into the kept page's
frontmatter, as the merged page wrote it (quotes, lists, comments and all), before the closing
`---`; a property both pages have keeps the kept page's value (`test_merge_conflicting_properties`); `aliases`, `tags` and `sources` are
unioned as before, each list in the style the kept page wrote it (`tags: [boat]` stays a flow
list on its line). The kept page's other lines are not touched.
"""

from __future__ import annotations

from pathlib import Path

from tests.passes.test_merge_footer import LINKS, PROSE, merge

KEPT = "---\ntitle: RV Tern\ntype: source\nsource_file: raw/tern.md\ntags: [boat]\n---\n\n" + PROSE
MERGED = (
    "---\ntitle: RV Tern\nsource_file: raw/rv-tern.md\narxiv_url: \"https://arxiv.org/abs/2311.05964\"\n"
    "crew:\n  - Ana\n  - Bo\ntags: [survey]\nbuilt: 1998  # at the Old Quay yard\n---\n\n" + PROSE
)


def test_properties_only_the_merged_page_has_are_carried(make_repo) -> None:
    root, before, after = merge(make_repo, KEPT, MERGED)
    assert after.decode().split("---\n")[1] == (
        "title: RV Tern\ntype: source\nsource_file: raw/tern.md\n"
        "tags: [boat, survey]\n"
        "arxiv_url: \"https://arxiv.org/abs/2311.05964\"\ncrew:\n  - Ana\n  - Bo\nbuilt: 1998  # at the Old Quay yard\n"
    )


def test_a_page_with_nothing_to_carry_keeps_its_frontmatter_bytes(make_repo) -> None:
    same = "---\ntitle: RV Tern\nstatus: draft\n---\n\n" + PROSE
    root, before, after = merge(make_repo, same, same.replace("status: draft", "status: final"))
    assert after.split(b"---\n")[1] == before.split(b"---\n")[1]


def test_a_block_list_stays_a_block_list(make_repo) -> None:
    kept = KEPT.replace("tags: [boat]", "tags:\n  - boat")
    root, before, after = merge(make_repo, kept, MERGED.replace("tags: [survey]", "tags: [\"a, b\", survey]"))
    assert "tags:\n  - boat\n  - a, b\n  - survey\n" in after.decode()  # plain in a block list


def test_a_flow_list_quotes_what_would_split_it(make_repo) -> None:
    root, before, after = merge(make_repo, KEPT, MERGED.replace("tags: [survey]", "tags: [\"a, b\", survey]"))
    assert 'tags: [boat, "a, b", survey]\n' in after.decode()


def test_a_key_with_a_space_is_carried(make_repo) -> None:
    # The Linter plugin's `date created` (`kbsleep.wiki.properties.timestamp_key`)
    root, before, after = merge(make_repo, KEPT, MERGED.replace("built: 1998", "date created: 2024-05-01\nbuilt: 1998"))
    assert "\ndate created: 2024-05-01\nbuilt: 1998  # at the Old Quay yard\n---\n" in after.decode()
