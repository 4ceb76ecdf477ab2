import pytest
from playwright.sync_api import expect

from competitions.voting.models import Vote
from tests.browser.sessions import sign_in
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
