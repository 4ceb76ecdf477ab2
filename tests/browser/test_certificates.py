"""On a phone, a participant chooses the name their certificate carries and downloads it:
quiz certificates and book drift award certificates."""

import pytest
from django.test import RequestFactory
from PIL import Image, ImageChops
from playwright.sync_api import expect

from competitions.bookdrift import awards, certificates
from competitions.bookdrift.models import DriftAward
from competitions.core.site_context import site_context
from competitions.quizzes.certificates import images as certificate_images
from competitions.quizzes.certificates.services import issue_certificate
from tests.bookdrift.helpers import catch
from tests.browser.sessions import sign_in
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.quizzes import QuizFactory
from tests.factories.reach import site_home
from tests.factories.users import UserFactory
from tests.quizzes.certificate_helpers import finished_attempt

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def print_real_name_and_download(page, certificate, kind, name: str) -> None:
    """On the holder's page: choose to print `name` as the real name, download the PNG and
    compare it, pixel for pixel, with the certificate drawn with that name."""
    page.get_by_text("证书上的名字：").click()
    page.get_by_label("真实姓名（请在下方填写）").check()
    page.get_by_label("要印的真实姓名").fill(name)
    page.get_by_role("button", name="使用这个名字").click()

    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(name)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载图片（PNG）").click()
    downloaded = Image.open(download_info.value.path()).convert("RGB")
    certificate.refresh_from_db()
    assert certificate.printed_name == name
    expected = kind.render(certificate, site_context(RequestFactory().get("/")))
    assert ImageChops.difference(downloaded, expected).getbbox() is None
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_participant_prints_their_real_name_on_the_quiz_certificate(
    page, live_server, wagtail_tree
):
    site_home()
    holder = UserFactory(display_name="小科迷")
    quiz = QuizFactory(title="防疫知识网上有奖竞答")
    certificate = issue_certificate(finished_attempt(holder, quiz=quiz, score=5, max_score=5).pk)
    sign_in(page, holder, live_server.url)

    page.goto(f"/quiz/a/{certificate.attempt.public_id}/result/")
    print_real_name_and_download(page, certificate, certificate_images.KIND, "张小明")


def test_a_drift_reader_prints_their_real_name_on_the_award_certificate(
    page, live_server, wagtail_tree
):
    site_home()
    reader = UserFactory(display_name="小书虫")
    campaign = CampaignFactory(title="科学家故事绘本漂流季")
    catch(CopyFactory(campaign=campaign), reader)
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)
    certificate = DriftAward.objects.get().certificate
    sign_in(page, reader, live_server.url)

    page.goto("/me/books/")
    expect(page.get_by_text("证书上的名字：小**")).to_be_visible()
    print_real_name_and_download(page, certificate, certificates.KIND, "李书航")
