"""Award certificates: public verification, downloads with a working QR code."""

import io
import shutil
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from competitions.submissions.models import AwardCertificate, Contest
from tests.factories.contests import phase_dates
from tests.factories.reach import site_home
from tests.factories.users import StaffFactory, UserFactory
from tests.submissions.results.helpers import published_contest

pytestmark = pytest.mark.django_db


def decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


@pytest.fixture(autouse=True)
def site():
    return site_home(organiser="示范市科学技术协会")


@pytest.fixture
def winner():
    _contest, entries, *_ = published_contest()
    certificate = AwardCertificate.objects.get(
        award__entry=entries[0], holder=AwardCertificate.Holder.STUDENT
    )
    return entries[0], certificate


def verify_url(certificate) -> str:
    return f"https://kepu.example.org/contest/award-certificate/{certificate.code}/"


def test_the_verification_page_shows_contest_award_and_work_without_the_name(client, winner):
    _entry, certificate = winner

    response = client.get(verify_url(certificate))

    html = response.content.decode()
    assert response.status_code == 200
    assert "科学家故事读后感征集" in html and "一等奖" in html and "作品1号读后感" in html
    assert "李同学" not in html


def test_a_code_typed_in_lower_case_with_hyphens_still_verifies(client, winner):
    _, certificate = winner

    response = client.get(f"/contest/award-certificate/{certificate.display_code.lower()}/")

    assert response.status_code == 200


def test_an_unknown_code_gets_a_friendly_404(client, winner):
    response = client.get("/contest/award-certificate/ZZZZZZZZZZZZ/")

    assert response.status_code == 404
    assert "ZZZZZZZZZZZZ" in response.content.decode()


def test_certificates_do_not_verify_before_the_results_phase(client, winner):
    entry, certificate = winner
    Contest.objects.filter(pk=entry.contest_id).update(**phase_dates("voting"))

    assert client.get(verify_url(certificate)).status_code == 404


def test_the_author_downloads_a_png_whose_qr_leads_to_verification(client, winner):
    entry, certificate = winner
    client.force_login(entry.author)

    response = client.get(reverse("contests:award_certificate_png", args=[certificate.code]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (2339, 1654)
    assert decoded(image) == [verify_url(certificate)]


def test_the_teacher_certificate_pdf_qr_leads_to_verification(client, winner, tmp_path):
    entry, _ = winner
    teacher = AwardCertificate.objects.get(
        award__entry=entry, holder=AwardCertificate.Holder.TEACHER
    )
    assert teacher.holder_name == "王老师"
    client.force_login(entry.author)

    response = client.get(reverse("contests:award_certificate_pdf", args=[teacher.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    (tmp_path / "certificate.pdf").write_bytes(response.content)
    subprocess.run(
        [shutil.which("pdftoppm"), "-r", "100", "-png", "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    assert decoded(Image.open(tmp_path / "page.png")) == [verify_url(teacher)]


def test_staff_may_download_and_others_may_not(client, winner):
    _, certificate = winner
    url = reverse("contests:award_certificate_png", args=[certificate.code])

    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, winner):
    _, certificate = winner

    response = client.get(reverse("contests:award_certificate_pdf", args=[certificate.code]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
