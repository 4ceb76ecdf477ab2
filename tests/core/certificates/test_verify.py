"""One verification page for every certificate, reached through each app's printed URL."""

import datetime

import pytest
from django.test import RequestFactory

from competitions.core.certificates.verify import VerifiedCertificate, verify_view
from competitions.quizzes.certificates.services import issue_certificate
from competitions.submissions.models import AwardCertificate
from tests.factories.quizzes import QuizFactory
from tests.factories.reach import site_home
from tests.factories.users import UserFactory
from tests.quizzes.certificate_helpers import finished_attempt
from tests.submissions.results.helpers import published_contest

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

SHARED_TEMPLATE = "competitions/certificate_verify.html"


@pytest.fixture(autouse=True)
def site():
    return site_home(organiser="示范市科学技术协会")


def templates_of(response) -> list[str]:
    return [template.name for template in response.templates]


def test_the_printed_quiz_certificate_url_shows_the_shared_page(client):
    quiz = QuizFactory(title="应急避险知识竞答")
    holder = UserFactory(display_name="王小明")
    certificate = issue_certificate(finished_attempt(holder, quiz=quiz, score=3, max_score=5).pk)

    response = client.get(f"/quiz/certificate/{certificate.code}/")

    assert response.status_code == 200
    assert SHARED_TEMPLATE in templates_of(response)
    html = response.content.decode()
    assert "证书有效" in html and "应急避险知识竞答" in html
    assert "王小明" not in html
    assert "3/5" in html and certificate.display_code in html


def test_the_printed_award_certificate_url_shows_the_shared_page(client):
    _contest, entries, *_ = published_contest()
    certificate = AwardCertificate.objects.get(
        award__entry=entries[0], holder=AwardCertificate.Holder.STUDENT
    )

    response = client.get(f"/contest/award-certificate/{certificate.code}/")

    assert response.status_code == 200
    assert SHARED_TEMPLATE in templates_of(response)
    html = response.content.decode()
    assert "证书有效" in html and "一等奖" in html and "作品1号读后感" in html
    assert "东城实验小学" in html and certificate.display_code in html
    assert "李同学" not in html


@pytest.mark.parametrize("prefix", ["/quiz/certificate/", "/contest/award-certificate/"])
def test_an_unknown_code_is_a_friendly_404_on_both_urls(client, prefix):
    response = client.get(f"{prefix}NOSUCHCODE99/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "NOSUCHCODE99" in html and "证书" in html


def test_the_view_shows_what_the_lookup_gives_and_only_that():
    issued = datetime.datetime(2026, 5, 4, 2, 0, tzinfo=datetime.UTC)
    known = VerifiedCertificate(
        display_code="ABCD-EFGH-JKLM",
        issued_at=issued,
        facts=[("活动", "图书漂流"), ("持证人", "赵**")],
        note="姓名已部分隐藏。",
    )
    view = verify_view(lambda code: known if code == "abc" else None)
    factory = RequestFactory()

    found = view(factory.get("/"), code="abc")
    missing = view(factory.get("/"), code="x" * 60)
    posted = view(factory.post("/"), code="abc")

    html = found.content.decode()
    assert found.status_code == 200
    assert html.index("活动") < html.index("图书漂流") < html.index("持证人") < html.index("赵**")
    assert "ABCD-EFGH-JKLM" in html and "姓名已部分隐藏。" in html
    assert missing.status_code == 404 and "x" * 40 in missing.content.decode()
    assert "x" * 41 not in missing.content.decode()
    assert posted.status_code == 405
