import pytest
from wagtail.models import Page, Site

from tests.factories.pages import HomePageFactory, SectionPageFactory
from tests.factories.videos import make_clip


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Real clips, made once per session: a landscape 1080p one and a portrait phone one."""
    directory = tmp_path_factory.mktemp("clips")
    return {
        "landscape": make_clip(directory / "landscape.mp4", 1920, 1080, 3),
        "portrait": make_clip(directory / "portrait.mov", 1080, 1920, 2),
        "small": make_clip(directory / "small.mp4", 320, 240, 1, audio=False),
    }


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
