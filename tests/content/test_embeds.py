import pytest
from django.core.exceptions import ValidationError

from content.blocks import VideoEmbedBlock
from content.embeds import embed_for_url
from content.models import VideoPage
from tests.factories.pages import VideoPageFactory

SUPPORTED = [
    (
        "https://www.bilibili.com/video/BV1xx411c7mD",
        "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD",
    ),
    (
        "https://m.bilibili.com/video/BV1xx411c7mD?p=2",
        "https://player.bilibili.com/player.html?bvid=BV1xx411c7mD",
    ),
    (
        "https://v.qq.com/x/cover/mzc00200abcdefg/a0012345678.html",
        "https://v.qq.com/txp/iframe/player.html?vid=a0012345678",
    ),
    (
        "https://v.qq.com/x/page/a0012345678.html",
        "https://v.qq.com/txp/iframe/player.html?vid=a0012345678",
    ),
    (
        "https://v.youku.com/v_show/id_XNTk5MjYwNDAwOA==.html",
        "https://player.youku.com/embed/XNTk5MjYwNDAwOA==",
    ),
]
UNSUPPORTED = [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://evil.example/bilibili.com/video/BV1xx411c7mD",
    "https://www.bilibili.com.evil.example/video/BV1xx411c7mD",
    "javascript:alert(1)",
    "not a url",
]


@pytest.mark.parametrize(("url", "player"), SUPPORTED)
def test_chinese_video_sites_become_players(url, player):
    embed = embed_for_url(url)

    assert embed is not None
    assert f'src="{player}'.replace("&", "&amp;") in embed["html"] or player in embed["html"]
    assert "<iframe" in embed["html"] and 'loading="lazy"' in embed["html"]


@pytest.mark.parametrize("url", UNSUPPORTED)
def test_other_addresses_are_refused(url):
    assert embed_for_url(url) is None


@pytest.mark.django_db
def test_embed_block_explains_in_chinese_what_it_accepts():
    with pytest.raises(ValidationError) as error:
        VideoEmbedBlock().clean("https://www.youtube.com/watch?v=dQw4w9WgXcQ")

    assert "哔哩哔哩" in str(error.value) or "Bilibili" in str(error.value)


@pytest.mark.django_db
def test_video_page_refuses_an_unknown_embed_address(section):
    page = VideoPageFactory.build(embed_url="https://www.youtube.com/watch?v=1")

    with pytest.raises(ValidationError) as error:
        section.add_child(instance=page)

    assert "embed_url" in error.value.message_dict
    assert not VideoPage.objects.exists()


@pytest.mark.django_db
def test_video_page_needs_an_uploaded_video_or_an_embed(section):
    page = VideoPageFactory.build(embed_url="", video=None)

    with pytest.raises(ValidationError) as error:
        section.add_child(instance=page)

    assert "video" in error.value.message_dict
