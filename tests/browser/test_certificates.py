"""On a phone, a participant chooses the name their certificate carries and downloads it."""

import pytest
from django.test import RequestFactory
from PIL import Image, ImageChops
from playwright.sync_api import expect

from competitions.core.site_context import site_context
from competitions.quizzes import certificate_images
from competitions.quizzes.certificates import issue_certificate
from tests.browser.sessions import sign_in
from tests.factories.quizzes import QuizFactory
from tests.factories.reach import site_home
from tests.factories.users import UserFactory
from tests.quizzes.certificate_helpers import finished_attempt

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_participant_prints_their_real_name_on_the_quiz_certificate(
    page, live_server, wagtail_tree
):
    site_home()
    holder = UserFactory(display_name="小科迷")
    quiz = QuizFactory(title="防疫知识网上有奖竞答")
    certificate = issue_certificate(finished_attempt(holder, quiz=quiz, score=5, max_score=5).pk)
    sign_in(page, holder, live_server.url)

    page.goto(f"/quiz/a/{certificate.attempt.public_id}/result/")
    page.get_by_text("证书上的名字：").click()
    page.get_by_label("真实姓名（请在下方填写）").check()
    page.get_by_label("要印的真实姓名").fill("张小明")
    page.get_by_role("button", name="使用这个名字").click()

    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text("张小明")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载图片（PNG）").click()
    downloaded = Image.open(download_info.value.path()).convert("RGB")
    certificate.refresh_from_db()
    expected = certificate_images.render_certificate(
        certificate, site_context(RequestFactory().get("/"))
    )
    assert ImageChops.difference(downloaded, expected).getbbox() is None
    assert certificate.printed_name == "张小明"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
