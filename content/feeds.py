"""RSS feeds: the whole site's latest items and one per section.

A feed lists what the page it is given offers (`feed_items()`: a section's articles and
videos, or the whole site's for the home page) and imports no page model, so SectionPage
can serve its feed from its own route (feed/) without an import circle.
"""

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from kepu.public_url import public_page_url, public_url

FEED_LENGTH = 30


class _ContentFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def items(self, page):
        feed_items = getattr(page, "feed_items", None)
        return feed_items()[:FEED_LENGTH] if feed_items else []

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return public_page_url(item, self.request)

    def item_guid(self, item):
        return public_page_url(item, self.request)

    def item_pubdate(self, item):
        return item.first_published_at or timezone.now()

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class SiteFeed(_ContentFeed):
    """The site's feed (/feed/): the items of the site's home page (its root page)."""

    description = _("The latest popular-science articles and videos.")

    def get_object(self, request):
        site = Site.find_for_request(request)
        return site.root_page.specific if site else None

    def title(self, home):
        return home.title if home else ""

    def link(self, home):
        return public_page_url(home, self.request) if home else public_url("/")


class SectionFeed(_ContentFeed):
    """Built by SectionPage's feed/ route, which passes the section."""

    def get_object(self, request, section):
        return section

    def title(self, section):
        return section.title

    def link(self, section):
        return public_page_url(section, self.request)

    def description(self, section):
        return section.intro or section.title
