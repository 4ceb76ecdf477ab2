"""The sitemap, with every location on the public address (DESIGN.md rule 9).

Wagtail builds sitemap locations from the Site record (`localhost:80` on a fresh install);
search engines and anyone reading the sitemap must get `KEPU_BASE_URL` instead.
"""

from wagtail.contrib.sitemaps import Sitemap

from kepu.public_url import rebase


class PublicSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            url_info["location"] = rebase(url_info["location"])
        return urls
