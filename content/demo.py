"""Demo content for the embedded mode. Every text here is original, written for kepu."""

from django.conf import settings
from wagtail.models import Page, Site

from .models import HomePage, OrganiserSettings

HOME_TITLE = "科普在线"
HOME_INTRO = (
    "身边的科学，一点就懂。这里有科普文章、短视频、有奖知识竞答和作品征集，"
    "欢迎扫码参与、转发给家人朋友。"
)

ORGANISER = {
    "name": "示范市科学技术协会",
    "address": "示范市人民路 100 号科技馆三楼",
    "phone": "0000-12345678",
    "email": "kepu@example.org",
    "icp_record": "示ICP备00000000号-1",
}


def ensure_home_page() -> tuple[HomePage, bool]:
    """Returns the site's HomePage, replacing Wagtail's placeholder welcome page once."""
    home = HomePage.objects.first()
    if home is not None:
        return home, False
    root = Page.get_first_root_node()
    # Wagtail's initial migration leaves a plain "Welcome" page (slug "home") as the site root;
    # deleting it also deletes its Site, recreated below.
    for placeholder in root.get_children().filter(slug="home"):
        if placeholder.specific_class is Page:
            placeholder.delete()
    home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return home, True


def load() -> list[str]:
    report = []
    home, created = ensure_home_page()
    report.append(f"home page: {'created' if created else 'kept'} ({home.title})")
    site = Site.objects.get(is_default_site=True)
    organiser = OrganiserSettings.for_site(site)
    if not organiser.name:
        for field, value in ORGANISER.items():
            setattr(organiser, field, value)
        organiser.save()
        report.append("organiser details: created")
    else:
        report.append("organiser details: kept")
    return report
