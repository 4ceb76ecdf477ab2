import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from competitions.core.certificates.layout import CERTIFICATE_DPI
from competitions.quizzes.certificates import images as certificate_images
from competitions.quizzes.certificates.services import issue_certificate
from competitions.quizzes.models import QuizAttempt
from tests.factories.quizzes import QuizFactory
from tests.factories.reach import site_home
from tests.factories.users import StaffFactory, UserFactory
from tests.quizzes.certificate_helpers import decoded, finished_attempt

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

A4_LANDSCAPE_POINTS = (841.89, 595.28)


@pytest.fixture(autouse=True)
def site():
    return site_home(organiser="示范市科学技术协会")


@pytest.fixture
def holder():
    return UserFactory(display_name="张三丰")


@pytest.fixture
def certificate(holder):
    quiz = QuizFactory(title="防疫知识网上有奖竞答")
    return issue_certificate(finished_attempt(holder, quiz=quiz, score=4, max_score=5).pk)


def verify_url(certificate) -> str:
    return f"https://kepu.example.org/quiz/certificate/{certificate.code}/"


# --- public verification ------------------------------------------------------------------


def test_the_verification_page_shows_the_quiz_the_masked_holder_and_the_score(client, certificate):
    response = client.get(reverse("quizzes:certificate_verify", args=[certificate.code]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "证书有效" in text
    assert "防疫知识网上有奖竞答" in text
    assert "张**" in text
    assert "张三丰" not in text
    assert "4/5" in text
    assert "80%" in text
    assert certificate.display_code in text


def test_a_code_typed_in_lower_case_with_hyphens_still_verifies(client, certificate):
    typed = certificate.display_code.lower()

    response = client.get(f"/quiz/certificate/{typed}/")

    assert response.status_code == 200
    assert "证书有效" in response.content.decode()


def test_an_unknown_code_gets_a_friendly_404(client, certificate):
    response = client.get("/quiz/certificate/ZZZZZZZZZZZZ/")

    assert response.status_code == 404
    text = response.content.decode()
    assert "未找到证书" in text
    assert "证书有效" not in text


# --- downloads ------------------------------------------------------------------------------


def test_the_holder_downloads_a_png_at_a4_landscape_whose_qr_leads_to_verification(
    client, holder, certificate
):
    client.force_login(holder)

    response = client.get(reverse("quizzes:certificate_png", args=[certificate.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert certificate.code in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (2339, 1654)
    assert round(image.info["dpi"][0]) == CERTIFICATE_DPI
    assert decoded(image) == [verify_url(certificate)]


def test_the_holder_downloads_a_one_page_a4_pdf_whose_qr_leads_to_verification(
    client, holder, certificate, tmp_path
):
    client.force_login(holder)

    response = client.get(reverse("quizzes:certificate_pdf", args=[certificate.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pdf = response.content
    media_box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    width, height = (float(value) for value in media_box.groups())
    assert abs(width - A4_LANDSCAPE_POINTS[0]) < 1 and abs(height - A4_LANDSCAPE_POINTS[1]) < 1
    assert b"/Count 1" in pdf
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        [shutil.which("pdftoppm"), "-r", "100", "-png", "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    assert decoded(Image.open(tmp_path / "page.png")) == [verify_url(certificate)]


def test_staff_may_download_any_certificate(client, certificate):
    client.force_login(StaffFactory())

    response = client.get(reverse("quizzes:certificate_png", args=[certificate.code]))

    assert response.status_code == 200


@pytest.mark.parametrize("file_format", ["png", "pdf"])
def test_another_participant_may_not_download_a_certificate(client, certificate, file_format):
    client.force_login(UserFactory())

    response = client.get(reverse(f"quizzes:certificate_{file_format}", args=[certificate.code]))

    assert response.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, certificate):
    url = reverse("quizzes:certificate_pdf", args=[certificate.code])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_downloading_an_unknown_code_is_a_404(client, holder):
    client.force_login(holder)

    assert client.get("/quiz/certificate/ZZZZZZZZZZZZ.png").status_code == 404


def test_without_a_chinese_font_the_holder_gets_a_clear_message(
    client, holder, certificate, settings
):
    settings.KEPU_CJK_FONT = str(Path(tempfile.gettempdir()) / "no-such-font.ttc")
    client.force_login(holder)

    response = client.get(reverse("quizzes:certificate_png", args=[certificate.code]))

    assert response.status_code == 503
    assert "中文字体" in response.content.decode()


def test_an_upgraded_certificate_is_drawn_again_not_served_from_the_cache(
    client, holder, certificate
):
    client.force_login(holder)
    url = reverse("quizzes:certificate_png", args=[certificate.code])
    before = client.get(url).content
    better = finished_attempt(holder, quiz=certificate.quiz, score=5, max_score=5, minutes_ago=1)

    issue_certificate(better.pk)
    after = client.get(url).content

    assert before != after
    assert client.get(url).content == after


# --- share card -----------------------------------------------------------------------------


def test_the_taker_gets_a_share_card_whose_qr_leads_to_the_site(client, holder):
    attempt = finished_attempt(holder, score=3, max_score=5)
    client.force_login(holder)

    response = client.get(reverse("quizzes:share_card", args=[attempt.public_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == certificate_images.SHARE_CARD_SIZE
    assert decoded(image) == ["https://kepu.example.org/"]


def test_a_failing_attempt_gets_a_share_card_too(client, holder):
    attempt = finished_attempt(holder, score=1, max_score=5)
    client.force_login(holder)

    assert client.get(reverse("quizzes:share_card", args=[attempt.public_id])).status_code == 200


def test_the_share_card_is_only_for_the_taker(client, holder):
    attempt = finished_attempt(holder)
    url = reverse("quizzes:share_card", args=[attempt.public_id])

    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_an_attempt_in_progress_has_no_share_card(client, holder):
    attempt = finished_attempt(
        holder, status=QuizAttempt.Status.IN_PROGRESS, score=None, submitted_at=None
    )
    client.force_login(holder)

    assert client.get(reverse("quizzes:share_card", args=[attempt.public_id])).status_code == 404


# --- template includes ----------------------------------------------------------------------


def render_include(name, attempt, user):
    request = RequestFactory().get("/quiz/result/")
    request.user = user
    return render_to_string(
        f"quizzes/includes/{name}.html", {"attempt": attempt, "request": request}
    )


def test_the_result_page_says_the_certificate_is_on_its_way_until_issued(holder):
    attempt = finished_attempt(holder, score=5)

    pending = render_include("certificate_links", attempt, holder)
    certificate = issue_certificate(attempt.pk)
    issued = render_include("certificate_links", attempt, holder)

    assert "证书生成中" in pending
    assert "证书生成中" not in issued
    assert reverse("quizzes:certificate_png", args=[certificate.code]) in issued
    assert reverse("quizzes:certificate_pdf", args=[certificate.code]) in issued
    assert reverse("quizzes:certificate_verify", args=[certificate.code]) in issued


def test_the_result_page_shows_nothing_about_certificates_for_a_failing_attempt(holder):
    attempt = finished_attempt(holder, score=1)

    assert render_include("certificate_links", attempt, holder).strip() == ""


def test_the_share_card_link_is_shown_to_the_taker_only(holder):
    attempt = finished_attempt(holder)
    url = reverse("quizzes:share_card", args=[attempt.public_id])

    assert url in render_include("share_card_link", attempt, holder)
    assert url not in render_include("share_card_link", attempt, UserFactory())
