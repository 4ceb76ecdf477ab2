"""axe-core finds nothing on any public template, in its form and error states, on a phone
and in large-text mode (适老化)."""

import re

import pytest
from playwright.sync_api import expect

from competitions.bookdrift.models import BookCopy, DriftCampaign, Station
from competitions.quizzes.models import Question, QuizPage
from competitions.submissions.models import AwardCertificate, Contest, ContestPage
from content.models import ArticlePage, CampaignPage, SectionPage, VideoPage
from kepu.context_processors import LARGE_TEXT_COOKIE
from tests.browser.axe import describe, violations
from tests.browser.sessions import sign_in
from tests.factories.contests import ContestFactory
from tests.factories.quizzes import QuestionBankFactory, QuestionFactory, QuizFactory
from tests.factories.users import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Scan:
    """Runs axe-core on each state of the page it is shown and keeps every violation."""

    def __init__(self, page, mode: str):
        self.page = page
        self.mode = mode
        self.reports = []
        self.checked = []

    def check(self, where: str) -> None:
        self.page.wait_for_load_state("load")
        label = f"{where} [{self.mode}]"
        self.checked.append(label)
        found = violations(self.page)
        if found:
            self.reports.append(describe(label, found))

    def visit(self, where: str, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None
        self.check(where)


def expected_refusal(page, status: int) -> None:
    """Chromium logs a page answered with an error status; that one was meant to be."""
    assert all(str(status) in error for error in page.console_errors), page.console_errors
    page.console_errors.clear()


def topic_url(page) -> str:
    page.goto("/topics/")
    return page.locator("main a[href^='/topics/']").first.get_attribute("href")


def anonymous_states(scan, page):
    exhibited = Contest.objects.filter(entries__exhibited__isnull=False).distinct().first()
    voting = next(c for c in Contest.objects.all() if c.phase() == "voting")
    scan.visit("home", "/")
    scan.visit("section", SectionPage.objects.live().first().url)
    scan.visit("article", ArticlePage.objects.live().first().url)
    scan.visit("video", VideoPage.objects.live().first().url)
    scan.visit("topics", "/topics/")
    scan.visit("topic", topic_url(page))
    scan.visit("campaign", CampaignPage.objects.live().first().url)
    scan.visit("search with results", "/search/?q=科协")
    scan.visit("search without results", "/search/?q=没有这样的词语")
    scan.visit("quiz landing", QuizPage.objects.live().first().url)
    scan.visit("contest landing", ContestPage.objects.live().first().url)
    scan.visit("contest results", f"/contest/{exhibited.pk}/results/")
    scan.visit("exhibition", f"/contest/{exhibited.pk}/exhibition/")
    scan.visit("vote ranking", f"/vote/{voting.pk}/")
    scan.visit("vote entry", f"/vote/{voting.pk}/{voting.entries.order_by('number')[0].number}/")
    work = exhibited.entries.filter(exhibited__isnull=False).order_by("number")[0]
    scan.visit("exhibited work", f"/contest/{exhibited.pk}/exhibition/{work.number}/")
    certificate = AwardCertificate.objects.first()
    scan.visit("award certificate check", f"/contest/award-certificate/{certificate.code}/")
    scan.visit("quiz leaderboard", f"/quiz/{QuizPage.objects.live().first().quiz_id}/leaderboard/")
    drift = DriftCampaign.objects.first()
    copy = BookCopy.objects.filter(campaign=drift).first()
    scan.visit("drift campaigns", "/drift/")
    scan.visit("drift campaign", f"/drift/{drift.slug}/")
    scan.visit("drift copy", f"/d/{copy.code}")
    scan.visit("drift journey", f"/d/{copy.code}/journey")
    scan.visit("drift catch", f"/d/{copy.code}/catch")
    scan.visit("drift book", f"/drift/book/{copy.book_id}/")
    scan.visit("drift station", f"/drift/station/{Station.objects.first().pk}/")
    scan.visit("drift awards", f"/drift/{drift.slug}/awards/")
    scan.visit("404", "/no-such-page/")
    expected_refusal(page, 404)

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong password 1")
    page.locator("form [type=submit]").last.click()
    expect(page.locator(".errorlist, [role=alert]").first).to_be_visible()
    scan.check("sign-in with errors")

    page.goto("/accounts/signup/")
    scan.check("sign-up age step")
    page.get_by_role("button", name="继续").click()
    scan.check("sign-up age step with errors")
    page.get_by_label("出生年份").fill("1995")
    page.get_by_label("出生月份").select_option("6")
    page.get_by_role("button", name="继续").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    scan.check("sign-up")
    page.get_by_label("密码", exact=True).fill("a long phone password 7")
    page.get_by_label("密码（重复）").fill("a different password 8")
    page.get_by_role("button", name="注册", exact=True).click()
    scan.check("sign-up with errors")


def signed_in_states(scan, page, base_url):
    user = UserFactory()
    sign_in(page, user, base_url)
    scan.visit("我的", "/me/")
    scan.visit("my books", "/me/books/")

    bank = QuestionBankFactory()
    QuestionFactory.create_batch(
        5, bank=bank, kind=Question.Kind.TRUE_FALSE, choices=[("正确", True), ("错误", False)]
    )
    quiz = QuizFactory(bank=bank)
    scan.visit("quiz start", f"/quiz/{quiz.pk}/start/")
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题，共 5 题")).to_be_visible()
    scan.check("quiz paper")
    paper = page.url.split("#")[0].split("?")[0]
    scan.visit("quiz question without JavaScript", f"{paper}?q=1")
    page.goto(paper)
    expect(page.get_by_text("第 1 题，共 5 题")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page.locator(".quiz-score__number")).to_be_visible()
    scan.check("quiz result")

    contest = ContestFactory(title="科学家精神读后感征集")
    page.goto(f"/contest/{contest.pk}/enter/")
    scan.check("contest entry form")
    page.get_by_role("button", name="保存草稿").click()
    scan.check("contest entry form with errors")
    scan.visit("my entries", "/contest/entries/")

    certificate = AwardCertificate.objects.exclude(award__entry__author=user).first()
    response = page.goto(f"/contest/award-certificate/{certificate.code}.png")
    assert response.status == 403
    scan.check("403")
    expected_refusal(page, 403)


def test_no_public_template_or_form_state_has_accessibility_violations_on_a_phone(
    page, live_server, demo_site
):
    reports, checked = [], []
    for mode in ("390×844", "large text"):
        page.context.clear_cookies()
        if mode == "large text":
            page.context.add_cookies(
                [{"name": LARGE_TEXT_COOKIE, "value": "1", "url": live_server.url}]
            )
        scan = Scan(page, mode)

        anonymous_states(scan, page)
        signed_in_states(scan, page, live_server.url)

        reports += scan.reports
        checked += scan.checked

    print("\n".join(checked))
    assert not reports, "axe-core found accessibility violations:\n" + "\n".join(reports)
