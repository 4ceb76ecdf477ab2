import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from competitions.voting.models import Vote
from tests.browser.sessions import sign_in
from tests.captcha import QUESTION, answer_to
from tests.factories.contests import EntryFactory
from tests.factories.voting import VoterFactory, VotingContestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_verified_voter_votes_on_a_phone_and_sees_the_count_go_up(
    page, live_server, wagtail_tree
):
    contest = VotingContestFactory(votes_per_day=3)
    entry = EntryFactory(contest=contest, title="读《昆虫记》有感")
    voter = VoterFactory()
    sign_in(page, voter, live_server.url)

    page.goto(f"/vote/{contest.pk}/{entry.number}/")
    page.wait_for_load_state("load")
    expect(page.locator("[data-vote-count]")).to_have_text("0")
    page.get_by_role("button", name="投票").click()

    expect(page.locator("[data-vote-count]")).to_have_text("1")
    expect(page.locator("[data-vote-status]")).to_contain_text("感谢投票")
    assert Vote.objects.filter(entry=entry, voter=voter).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.reload()
    expect(page.get_by_text("您今天已经为这件作品投过票了。")).to_be_visible()
    expect(page.locator("[data-vote-count]")).to_have_text("1")


def test_a_new_account_gets_a_fresh_question_in_place_after_a_wrong_answer(
    page, live_server, wagtail_tree
):
    contest = VotingContestFactory(votes_per_day=3)
    entry = EntryFactory(contest=contest, title="读《昆虫记》有感")
    voter = VoterFactory(date_joined=timezone.now() - datetime.timedelta(hours=1))
    sign_in(page, voter, live_server.url)
    page.goto(f"/vote/{contest.pk}/{entry.number}/")
    page.wait_for_load_state("load")
    question = page.locator("label[for=id_captcha]")
    first = question.inner_text()

    page.get_by_label(first).fill("十五五")
    page.get_by_role("button", name="投票").click()

    # Same page, no reload: a clear message, a new question, the box cleared for it.
    expect(page.locator("[data-vote-status]")).to_have_text("算术题答错了，请回答新的题目。")
    expect(question).not_to_have_text(first)
    expect(question).to_have_text(QUESTION)
    answer_box = page.locator("#id_captcha")
    expect(answer_box).to_have_value("")
    expect(answer_box).to_be_focused()
    assert not Vote.objects.exists()
    # Chromium logs the refused request (428) itself; nothing else may have gone wrong.
    assert page.console_errors and all("428" in error for error in page.console_errors)
    page.console_errors.clear()

    answer_box.fill(str(answer_to(question.inner_text())))
    page.get_by_role("button", name="投票").click()

    expect(page.locator("[data-vote-count]")).to_have_text("1")
    assert Vote.objects.filter(entry=entry, voter=voter).count() == 1
