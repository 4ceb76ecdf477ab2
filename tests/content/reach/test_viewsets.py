from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from content.reach.models import Poster
from content.reach.viewsets import PagePostersMenuItem
from tests.factories.reach import PosterFactory, PosterScanFactory, ReadingPageFactory, site_home
from tests.factories.users import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def page():
    return ReadingPageFactory(parent=site_home(), title="会跳舞的盐")


@pytest.fixture
def editor_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def outsider():
    """Someone who may use the admin but edit no page."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def outsider_client(outsider):
    client = Client()
    client.force_login(outsider)
    return client


def posters_url(page):
    return f"/admin/reach/pages/{page.pk}/posters/"


def test_the_view_lists_posters_with_total_and_recent_scans(editor_client, page):
    poster = PosterFactory(page=page, location="人民路公交站")
    PosterScanFactory.create_batch(2, poster=poster)
    PosterScanFactory(poster=poster, scanned_at=timezone.now() - timedelta(days=30))

    response = editor_client.get(posters_url(page))

    assert response.status_code == 200
    html = response.content.decode()
    assert "人民路公交站" in html and f"https://kepu.example.org/s/{poster.code}" in html
    assert "海报与二维码" in html
    row = response.context["posters"][0]
    assert (row.scan_total, row.scan_recent) == (3, 2)


def test_an_editor_creates_a_poster_for_a_location(editor_client, page):
    response = editor_client.post(posters_url(page), {"location": "社区科普画廊"})

    assert response.status_code == 302
    poster = Poster.objects.get()
    assert (poster.page_id, poster.location, poster.is_active) == (page.pk, "社区科普画廊", True)
    assert poster.created_by is not None


def test_a_poster_needs_a_location(editor_client, page):
    response = editor_client.post(posters_url(page), {"location": "  "})

    assert response.status_code == 200
    assert not Poster.objects.exists()


@pytest.mark.parametrize(
    ("file_format", "content_type"), [("png", "image/png"), ("pdf", "application/pdf")]
)
def test_posters_download_as_png_and_pdf(editor_client, page, file_format, content_type):
    poster = PosterFactory(page=page)

    response = editor_client.get(f"/admin/reach/posters/{poster.pk}/poster.{file_format}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(response.content) > 10_000


def test_without_a_chinese_font_the_editor_is_told_what_to_install(editor_client, page, settings):
    settings.KEPU_CJK_FONT = "/nonexistent/font.ttc"
    poster = PosterFactory(page=page)

    listing = editor_client.get(posters_url(page)).content.decode()
    response = editor_client.get(f"/admin/reach/posters/{poster.pk}/poster.png", follow=True)

    assert "apt-get install fonts-noto-cjk" in listing and "中文字体" in listing
    assert response.redirect_chain[-1][0] == posters_url(page)
    assert "中文字体" in response.content.decode()


def test_deactivating_a_poster_switches_its_link_off(editor_client, client, page):
    poster = PosterFactory(page=page)

    response = editor_client.post(f"/admin/reach/posters/{poster.pk}/deactivate/")

    assert response.status_code == 302
    poster.refresh_from_db()
    assert not poster.is_active
    assert client.get(f"/s/{poster.code}").status_code == 404


def test_a_deactivated_poster_can_be_switched_on_again(editor_client, client, page):
    poster = PosterFactory(page=page)
    editor_client.post(f"/admin/reach/posters/{poster.pk}/deactivate/")
    listing = editor_client.get(posters_url(page)).content.decode()
    assert f"/admin/reach/posters/{poster.pk}/reactivate/" in listing

    response = editor_client.post(f"/admin/reach/posters/{poster.pk}/reactivate/", follow=True)

    assert "又可以使用了" in response.content.decode()
    poster.refresh_from_db()
    assert poster.is_active
    assert client.get(f"/s/{poster.code}").status_code == 302
    assert editor_client.get(f"/admin/reach/posters/{poster.pk}/reactivate/").status_code == 405


def test_someone_who_cannot_edit_the_page_gets_403(outsider_client, page):
    poster = PosterFactory(page=page)

    denied = outsider_client.get(posters_url(page))
    assert denied.status_code == 403
    assert "只有可以编辑此页面的人才能管理它的海报" in denied.content.decode()
    assert outsider_client.post(posters_url(page), {"location": "x"}).status_code == 403
    assert outsider_client.get(f"/admin/reach/posters/{poster.pk}/poster.png").status_code == 403
    assert outsider_client.post(f"/admin/reach/posters/{poster.pk}/deactivate/").status_code == 403
    poster.refresh_from_db()
    assert poster.is_active and Poster.objects.count() == 1

    switched_off = PosterFactory(page=page, is_active=False)
    refused = outsider_client.post(f"/admin/reach/posters/{switched_off.pk}/reactivate/")
    assert refused.status_code == 403
    switched_off.refresh_from_db()
    assert not switched_off.is_active


def test_the_page_explorer_offers_posters_to_editors_only(editor_client, outsider, page):
    parent_listing = f"/admin/pages/{page.get_parent().pk}/"

    assert posters_url(page) in editor_client.get(parent_listing).content.decode()
    assert posters_url(page) in editor_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert not PagePostersMenuItem(page=page).is_shown(outsider)


def test_the_report_lists_posters_by_scans(editor_client, page):
    quiet = PosterFactory(page=page, location="安静的车站")
    busy = PosterFactory(page=page, location="热闹的车站")
    PosterScanFactory.create_batch(3, poster=busy)
    PosterScanFactory(poster=quiet)

    response = editor_client.get("/admin/reach/posters/report/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("热闹的车站") < html.index("安静的车站")


def test_the_report_shows_nothing_to_someone_who_edits_no_page(outsider_client, page):
    PosterFactory(page=page, location="人民路公交站")

    response = outsider_client.get("/admin/reach/posters/report/")

    assert "人民路公交站" not in response.content.decode()
