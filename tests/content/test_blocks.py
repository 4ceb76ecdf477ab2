"""Every StreamField block renders through its own template."""

from pathlib import Path

import pytest
import wagtail_factories
from wagtail.rich_text import RichText

from content.blocks import BodyBlock
from tests.factories.pages import ArticlePageFactory

pytestmark = pytest.mark.django_db


def render(name, value):
    block = BodyBlock().child_blocks[name]
    return block.render(block.to_python(value) if not isinstance(value, RichText) else value)


def test_heading_and_paragraph():
    assert render("heading", {"text": "为什么"}).strip() == '<h2 class="block-heading">为什么</h2>'
    html = render("paragraph", RichText("<p>水<b>结冰</b>了</p>"))
    assert "<b>结冰</b>" in html


def test_image_has_caption_credit_srcset_webp_and_lazy_loading():
    image = wagtail_factories.ImageFactory(width=1600, height=900)

    html = render("image", {"image": image.pk, "caption": "雨后的彩虹", "credit": "摄影：王五"})

    assert "雨后的彩虹" in html and "摄影：王五" in html
    assert 'type="image/webp"' in html and "srcset=" in html
    assert 'loading="lazy"' in html and 'alt="雨后的彩虹"' in html


def test_video_embed_renders_a_responsive_player():
    html = render("video_embed", "https://www.bilibili.com/video/BV1xx411c7mD")

    assert 'src="https://player.bilibili.com/player.html?bvid=BV1xx411c7mD' in html
    assert 'class="embed"' in html and "哔哩哔哩" in html


def test_quote_knowledge_card_and_key_points():
    quote = render("quote", {"text": "科学没有国界", "attribution": "某科学家"})
    card = render("knowledge_card", {"title": "你知道吗", "text": "闪电比太阳表面还热。"})
    points = render("key_points", {"title": "要点", "points": ["勤洗手", "常通风"]})

    assert "<blockquote>" in quote and "—— 某科学家" in quote
    assert (
        'class="knowledge-card"' in card and "你知道吗" in card and "闪电比太阳表面还热。" in card
    )
    assert "<li>勤洗手</li>" in points and "<li>常通风</li>" in points


def test_gallery_renders_every_image():
    images = [wagtail_factories.ImageFactory() for _ in range(3)]

    html = render(
        "gallery",
        {
            "title": "活动剪影",
            "images": [{"image": i.pk, "caption": f"图{n}"} for n, i in enumerate(images)],
        },
    )

    assert html.count("<figure>") == 3 and "活动剪影" in html


def test_table_escapes_cells_and_marks_headers():
    html = render(
        "table",
        {
            "data": [["人群", "建议"], ["老人", "<script>x</script>少盐"]],
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": "饮食建议",
        },
    )

    assert "<caption>饮食建议</caption>" in html and '<th scope="col">人群</th>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_table_editor_loads_the_chinese_menus_it_asks_for():
    from django.contrib.staticfiles import finders

    editor = BodyBlock().child_blocks["table"]
    language = editor.table_options["language"]
    scripts = [str(script) for script in editor.field.widget.media._js]
    dictionary = next(script for script in scripts if "handsontable-zh" in script)
    # It comes after Handsontable itself, and registers the very language the editor asks for.
    assert scripts.index(dictionary) > next(
        i for i, s in enumerate(scripts) if "handsontable-6" in s
    )
    source = Path(finders.find(dictionary.removeprefix("/static/").split("?")[0])).read_text()
    assert f'languageCode: "{language}"' in source
    assert '"在上方插入行"' in source


def test_document_links_to_the_download_with_its_size():
    document = wagtail_factories.DocumentFactory(title="活动方案")

    html = render("document", {"document": document.pk, "title": ""})

    assert "活动方案" in html and f'href="{document.url}"' in html


def test_competition_call_to_action_only_links_live_pages(section):
    live = ArticlePageFactory(parent=section, title="防疫知识竞答")
    draft = ArticlePageFactory(parent=section)
    draft.unpublish()

    html = render(
        "competition_cta",
        {"page": live.pk, "title": "来答题", "text": "", "button_label": "立即参与"},
    )
    hidden = render(
        "competition_cta",
        {"page": draft.pk, "title": "来答题", "text": "", "button_label": "立即参与"},
    )

    assert f'href="{live.url}"' in html and "立即参与" in html
    assert hidden.strip() == ""
