import pytest

from content.reach import shortlinks
from content.reach.models import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, Poster, PosterScan
from tests.factories.reach import PosterFactory, ReadingPageFactory, site_home

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Mobile Safari/537.36 MicroMessenger/8.0.47"
)


@pytest.fixture
def page():
    return ReadingPageFactory(parent=site_home(), slug="salt")


def test_new_posters_get_short_unambiguous_unique_codes(page):
    posters = [shortlinks.create_poster(page, f" 站点{i} ") for i in range(20)]

    codes = {poster.code for poster in posters}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == SHORT_CODE_LENGTH
        assert set(code) <= set(SHORT_CODE_ALPHABET)
        assert not set(code) & set("01ILOU")
    assert posters[0].location == "站点0"


def test_a_code_clash_is_retried(page, monkeypatch):
    PosterFactory(page=page, code="AAAAAAA")
    codes = iter(["AAAAAAA", "BBBBBBB"])
    monkeypatch.setattr(shortlinks, "generate_short_code", lambda: next(codes))

    poster = shortlinks.create_poster(page, "社区画廊")

    assert poster.code == "BBBBBBB"
    assert Poster.objects.count() == 2


def test_the_short_url_is_on_the_public_address_not_the_site_records_localhost(page):
    poster = PosterFactory(page=page, code="K7Q2M9X")

    assert shortlinks.short_url(poster) == "https://kepu.example.org/s/K7Q2M9X"


def test_a_scan_is_recorded_once_and_redirects_to_the_page(client, page):
    poster = PosterFactory(page=page)

    response = client.get(f"/s/{poster.code}", HTTP_USER_AGENT=WECHAT_UA)

    assert response.status_code == 302
    assert response["Location"] == "/salt/?from=poster"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    scan = PosterScan.objects.get()
    assert scan.poster == poster
    assert scan.client == PosterScan.Client.WECHAT


def test_codes_typed_in_lower_case_work(client, page):
    poster = PosterFactory(page=page, code="K7Q2M9X")

    assert client.get("/s/k7q2m9x").status_code == 302
    assert poster.scans.count() == 1


def test_scans_keep_no_personal_data(client, page):
    poster = PosterFactory(page=page)

    client.get(f"/s/{poster.code}", HTTP_USER_AGENT="Mozilla/5.0", REMOTE_ADDR="203.0.113.9")

    fields = {f.name for f in PosterScan._meta.get_fields()}
    assert fields == {"id", "poster", "scanned_at", "client"}
    assert PosterScan.objects.get().client == PosterScan.Client.OTHER


def test_an_unknown_code_shows_a_chinese_not_found_page(client, page):
    response = client.get("/s/ZZZZZZZ")

    assert response.status_code == 404
    assert "二维码已失效" in response.content.decode()
    assert not PosterScan.objects.exists()


def test_a_deactivated_poster_no_longer_redirects(client, page):
    poster = PosterFactory(page=page)
    shortlinks.deactivate_poster(poster)

    response = client.get(f"/s/{poster.code}")

    assert response.status_code == 404
    assert "二维码已失效" in response.content.decode()
    assert not PosterScan.objects.exists()


def test_a_poster_of_an_unpublished_page_does_not_redirect(client, page):
    poster = PosterFactory(page=page)
    page.unpublish()

    assert client.get(f"/s/{poster.code}").status_code == 404
    assert not PosterScan.objects.exists()


def test_repeated_scans_from_one_address_redirect_but_stop_being_recorded(client, page, settings):
    settings.KEPU_POSTER_SCANS_PER_IP_PER_HOUR = 2
    poster = PosterFactory(page=page)

    statuses = [client.get(f"/s/{poster.code}").status_code for _ in range(4)]

    assert statuses == [302, 302, 302, 302]
    assert poster.scans.count() == 2
    other_poster = PosterFactory(page=page)
    client.get(f"/s/{other_poster.code}")
    assert other_poster.scans.count() == 1


def test_scan_counts_total_and_recent(page):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories.reach import PosterScanFactory

    poster = PosterFactory(page=page)
    PosterScanFactory.create_batch(3, poster=poster)
    PosterScanFactory(poster=poster, scanned_at=timezone.now() - timedelta(days=10))
    quiet = PosterFactory(page=page)

    counted = {p.pk: p for p in shortlinks.with_scan_counts(Poster.objects.all())}

    assert (counted[poster.pk].scan_total, counted[poster.pk].scan_recent) == (4, 3)
    assert (counted[quiet.pk].scan_total, counted[quiet.pk].scan_recent) == (0, 0)
