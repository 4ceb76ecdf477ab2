import io

import pytest
import zxingcpp
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image, ImageChops

from accounts.deletion import delete_account
from competitions.bookdrift import awards, certificates
from competitions.bookdrift.models import DriftAward
from competitions.core.certificates.names import NameChoice
from competitions.core.site_context import site_context
from tests.bookdrift.helpers import catch
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.users import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def certificate(settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"
    campaign = CampaignFactory(title="科学家故事绘本漂流季")
    catch(CopyFactory(campaign=campaign), UserFactory(display_name="周一航"))
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)
    return DriftAward.objects.get().certificate


def download(client, certificate, file_format="png") -> bytes:
    response = client.get(
        reverse("bookdrift:certificate_file", args=[certificate.code, file_format])
    )
    assert response.status_code == 200
    return response.content


def drawn(certificate) -> Image.Image:
    return certificates.KIND.render(certificate, site_context(RequestFactory().get("/")))


def test_the_certificate_png_is_a4_landscape_and_its_qr_verifies_at_the_public_address(
    certificate, client
):
    client.force_login(certificate.award.person)
    image = Image.open(io.BytesIO(download(client, certificate)))

    assert image.width > image.height
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert found == [f"https://kepu.example.org/drift/certificate/{certificate.code}/"]


def test_the_certificate_prints_a_masked_name_until_its_holder_chooses(certificate, client):
    client.force_login(certificate.award.person)
    downloaded = Image.open(io.BytesIO(download(client, certificate))).convert("RGB")

    assert certificate.holder_name == "周**"
    assert "最佳漂友" in certificate.award_name
    assert ImageChops.difference(downloaded, drawn(certificate)).getbbox() is None


def test_the_holder_chooses_the_name_on_my_books_and_downloads_it_again(certificate, client):
    holder = certificate.award.person
    client.force_login(holder)
    before = download(client, certificate)
    name_url = reverse("bookdrift:certificate_name", args=[certificate.code])
    assert name_url in client.get("/me/books/").content.decode()

    response = client.post(name_url, {"choice": "real_name", "real_name": "周一航"})

    assert response.status_code == 302 and response["Location"].startswith("/me/books/")
    certificate.refresh_from_db()
    assert certificate.name_choice == NameChoice.REAL_NAME
    after = Image.open(io.BytesIO(download(client, certificate))).convert("RGB")
    assert after.tobytes() != Image.open(io.BytesIO(before)).convert("RGB").tobytes()
    # Pixel for pixel the certificate whose issued name is the chosen one.
    certificate.holder_name, certificate.name_choice = "周一航", NameChoice.MASKED
    assert ImageChops.difference(after, drawn(certificate)).getbbox() is None
    # The public verification page keeps the name masked.
    verify = Client().get(reverse("bookdrift:certificate_verify", args=[certificate.code]))
    assert "周**" in verify.content.decode() and "周一航" not in verify.content.decode()


def test_choosing_another_name_drops_the_images_drawn_with_the_previous_one(certificate, client):
    client.force_login(certificate.award.person)
    download(client, certificate)
    download(client, certificate, "pdf")
    drawn_before = [key for key in certificates.KIND.cache_keys(certificate) if cache.get(key)]
    assert len(drawn_before) == 2

    client.post(
        reverse("bookdrift:certificate_name", args=[certificate.code]), {"choice": "nickname"}
    )

    assert cache.get_many(drawn_before) == {}


def test_only_the_holder_may_choose_the_name(certificate):
    url = reverse("bookdrift:certificate_name", args=[certificate.code])
    stranger = Client()
    stranger.force_login(UserFactory())

    assert stranger.post(url, {"choice": "nickname"}).status_code == 403
    assert Client().post(url, {"choice": "nickname"}).status_code == 302  # to sign in
    certificate.refresh_from_db()
    assert certificate.name_choice == NameChoice.MASKED


def test_deleting_the_holder_drops_the_drawn_certificates(
    certificate, client, django_capture_on_commit_callbacks
):
    holder = certificate.award.person
    client.force_login(holder)
    client.post(
        reverse("bookdrift:certificate_name", args=[certificate.code]), {"choice": "nickname"}
    )
    download(client, certificate)
    certificate.refresh_from_db()
    keys = certificates.KIND.cache_keys(certificate)
    assert any(cache.get(key) for key in keys)

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(holder)

    assert cache.get_many(keys) == {}
    assert not DriftAward.objects.exists()


def test_a_code_is_found_however_it_is_typed(certificate):
    typed = "-".join(certificate.code[i : i + 4] for i in (0, 4, 8)).lower()

    assert certificates.find(typed) == certificate
    assert certificates.lookup("NOPE") is None
