"""The demo's page-text format: Markdown with TOML front matter, read into body blocks."""

import pytest

from demo.markdown import DemoTextError, parse_body, read

pytestmark = pytest.mark.sqlite

TEXT = """+++
title = "标题"
date = 2026-03-05
topics = ["health"]
+++

第一段。

## 小标题

::: key_points 要点
- 一
- 二
:::

Table: 表题
| 甲 | 乙 |
| --- | --- |
| 1 | 2 |

::: knowledge_card 你知道吗
卡片正文
:::

> 引文
> — 某人
"""


def test_a_page_file_gives_its_front_matter_and_one_block_per_paragraph(tmp_path):
    path = tmp_path / "01-page.md"
    path.write_text(TEXT, encoding="utf-8")

    meta, blocks = read(path)

    assert meta["title"] == "标题" and meta["date"].isoformat() == "2026-03-05"
    assert blocks == [
        ("paragraph", "第一段。"),
        ("heading", "小标题"),
        ("key_points", {"title": "要点", "points": ["一", "二"]}),
        ("table", {"caption": "表题", "header": ["甲", "乙"], "rows": [["1", "2"]]}),
        ("knowledge_card", {"title": "你知道吗", "text": "卡片正文"}),
        ("quote", {"text": "引文", "attribution": "某人"}),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "two lines\nin one paragraph",
        "::: key_points 要点\n- 一",
        "::: key_points 要点\n不是要点\n:::",
        "::: gallery 图集\n:::",
        "| 甲 | 乙 |\n| 1 | 2 |",
        "# a level-one heading",
    ],
)
def test_anything_outside_the_format_is_an_error_naming_the_file(body):
    with pytest.raises(DemoTextError, match=r"page\.md"):
        parse_body(body.splitlines(), "page.md")


def test_a_file_without_front_matter_is_refused(tmp_path):
    path = tmp_path / "page.md"
    path.write_text("只有正文\n", encoding="utf-8")

    with pytest.raises(DemoTextError, match="front matter"):
        read(path)
