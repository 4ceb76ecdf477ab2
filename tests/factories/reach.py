"""Pages, posters and scans for the reach tests (QR codes, posters, view counts)."""

import factory
import wagtail_factories
from wagtail.models import Page, Site

from content.models import OrganiserSettings
from content.reach.models import Poster, PosterScan
from tests.factories.pages import HomePageFactory


def site_home(organiser: str = "示范市科学技术协会"):
    """A home page as the root of the default site, whose record says http://localhost/ (as
    a fresh install's does; links must come from KEPU_BASE_URL all the same)."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="kepu-home")
    site, _ = Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    OrganiserSettings.objects.update_or_create(site=site, defaults={"name": organiser})
    return home


class ReadingPageFactory(wagtail_factories.PageFactory):
    """A plain page to read (the article page types come with the content models)."""

    title = "家庭小实验：会跳舞的盐"
    slug = factory.Sequence(lambda n: f"reading-{n}")

    class Meta:
        model = Page


class PosterFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(ReadingPageFactory)
    location = "人民路公交站"
    code = factory.Sequence(lambda n: f"T{n:06d}")

    class Meta:
        model = Poster


class PosterScanFactory(factory.django.DjangoModelFactory):
    poster = factory.SubFactory(PosterFactory)

    class Meta:
        model = PosterScan
