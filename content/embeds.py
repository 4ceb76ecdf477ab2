"""Embeds from Chinese video sites, built from the pasted address without a network call.

Bilibili, Tencent Video and Youku publish iframe players but no reliable oEmbed endpoint,
and the site must not depend on reaching them when an editor saves. So the finder recognises
their page addresses and builds the player address itself. Anything else is refused with a
clear message (see blocks.UNSUPPORTED_EMBED_MESSAGE).
"""

import re
from html import escape

from wagtail.embeds.finders.base import EmbedFinder

PROVIDERS = (
    (
        "哔哩哔哩",
        re.compile(
            r"^https?://(?:www\.|m\.)?bilibili\.com/video/(?P<id>BV[0-9A-Za-z]{10})(?:[/?#].*)?$"
        ),
        "https://player.bilibili.com/player.html?bvid={id}&autoplay=0&high_quality=1",
    ),
    (
        "腾讯视频",
        re.compile(
            r"^https?://v\.qq\.com/x/(?:cover/[0-9A-Za-z]+/|page/)(?P<id>[0-9A-Za-z]{11})\.html"
            r"(?:[?#].*)?$"
        ),
        "https://v.qq.com/txp/iframe/player.html?vid={id}&autoplay=false",
    ),
    (
        "优酷",
        re.compile(
            r"^https?://v\.youku\.com/v_show/id_(?P<id>[0-9A-Za-z=]{10,24})\.html(?:[?#].*)?$"
        ),
        "https://player.youku.com/embed/{id}",
    ),
)


def embed_for_url(url: str) -> dict | None:
    """The embed for a supported video address, or None. Pure: no network access."""
    url = (url or "").strip()
    for provider, pattern, player in PROVIDERS:
        match = pattern.match(url)
        if match:
            src = player.format(id=match["id"])
            return {
                "title": "",
                "author_name": "",
                "provider_name": provider,
                "type": "video",
                "thumbnail_url": None,
                "width": 16,
                "height": 9,
                "html": (
                    f'<iframe src="{escape(src)}" title="{escape(provider)}" loading="lazy" '
                    'allowfullscreen sandbox="allow-scripts allow-same-origin allow-popups '
                    'allow-presentation" referrerpolicy="strict-origin-when-cross-origin">'
                    "</iframe>"
                ),
            }
    return None


class ChineseVideoFinder(EmbedFinder):
    """Wagtail embed finder for Bilibili, Tencent Video and Youku page addresses."""

    def __init__(self, **options):
        self.options = options

    def accept(self, url):
        return embed_for_url(url) is not None

    def find_embed(self, url, max_width=None, max_height=None):
        return embed_for_url(url)
