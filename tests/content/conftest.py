import pytest
from wagtail.models import Page, Site

from tests.factories.pages import HomePageFactory, SectionPageFactory


@pytest.fixture
def home(db):
    """A HomePage as the default site's root, like a fresh installation after load_demo."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home-test")
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="健康生活", slug="health")
