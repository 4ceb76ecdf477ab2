import datetime
import io
import re

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from competitions.voting.models import Vote
from kepu.captcha import chinese_numeral
from tests.captcha import QUESTION, answer_to, solve
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.users import UserFactory
from tests.factories.voting import VoterFactory, VotingContestFactory, VotingEntryFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def vote_url(entry):
    return reverse("voting:vote", args=[entry.contest_id, entry.number])


def entry_url(entry):
    return reverse("voting:entry", args=[entry.contest_id, entry.number])


def test_a_verified_voter_votes_without_javascript(client):
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())

    response = client.post(vote_url(entry), follow=True)

    assert Vote.objects.filter(entry=entry).count() == 1
    html = response.content.decode()
    assert "感谢投票" in html
    assert "今天已经为这件作品投过票" in html


def test_a_repeat_the_same_day_says_so_with_the_same_count(client):
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())

    first = client.post(vote_url(entry), **JSON).json()
    again = client.post(vote_url(entry), **JSON).json()

    assert first["created"] and first["count"] == 1
    assert not again["created"] and again["count"] == 1
    assert "已经" in again["message"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    entry = VotingEntryFactory()

    response = client.post(vote_url(entry))
    as_json = client.post(vote_url(entry), **JSON)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_json.status_code == 401 and "手机号" in as_json.json()["message"]
    assert not Vote.objects.exists()


def test_users_without_a_verified_phone_get_a_chinese_refusal(client):
    entry = VotingEntryFactory()
    client.force_login(UserFactory())

    response = client.post(vote_url(entry), **JSON)

    assert response.status_code == 403
    assert "验证手机号" in response.json()["message"]
    assert not Vote.objects.exists()


def test_voting_outside_the_vote_phase_is_refused(client):
    entry = EntryFactory(contest=ContestFactory(phase="results"))
    client.force_login(VoterFactory())

    response = client.post(vote_url(entry), **JSON)
    page = client.get(entry_url(entry)).content.decode()

    assert response.status_code == 403 and "投票" in response.json()["message"]
    assert "未开放" in page or "不在" in page
    assert not Vote.objects.exists()


def test_a_get_does_not_vote_and_unknown_entries_are_404(client):
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())

    assert client.get(vote_url(entry)).status_code == 405
    assert client.get(reverse("voting:entry", args=[entry.contest_id, 999])).status_code == 404
    assert not Vote.objects.exists()


def new_voter(client):
    client.force_login(VoterFactory(date_joined=timezone.now() - datetime.timedelta(hours=1)))


def test_a_new_account_must_solve_the_captcha_each_time(client):
    entry = VotingEntryFactory()
    new_voter(client)

    page = client.get(entry_url(entry)).content.decode()
    missing = client.post(vote_url(entry), **JSON)
    wrong = client.post(vote_url(entry), solve(page, answer="99"), **JSON)
    fresh = missing.json()["captcha"]
    right = client.post(
        vote_url(entry),
        {"captcha_token": fresh["token"], "captcha": answer_to(fresh["prompt"])},
        **JSON,
    )
    reused = client.post(
        vote_url(EntryFactory(contest=entry.contest)),
        {"captcha_token": fresh["token"], "captcha": answer_to(fresh["prompt"])},
        **JSON,
    )

    assert missing.status_code == wrong.status_code == reused.status_code == 428
    assert missing.json()["message"] == "请先回答下面的算术题。"
    assert wrong.json()["message"] == "算术题答错了，请回答新的题目。"
    assert right.status_code == 200 and right.json()["count"] == 1
    assert Vote.objects.count() == 1


def test_the_question_is_text_on_the_page(client):
    entry = VotingEntryFactory()
    new_voter(client)

    page = client.get(entry_url(entry)).content.decode()

    assert re.search(r'<label for="id_captcha">请回答：\w+[加减]\w+等于几？</label>', page)
    assert "<img" not in page.split("data-vote-form")[1].split("</form>")[0]


WRONG_ANSWERS = {
    "numeral": lambda n: chinese_numeral(n + 1),
    "full stop": lambda n: f"{n + 1}。",
    "full-width": lambda n: str(n + 1).translate(FULL),
    "NUL byte": lambda n: f"{n + 1}\x00",
    "one hundred": lambda n: "一百",
    "emoji": lambda n: "🙂",
    "repeated numeral": lambda n: "十五五",
    "very long": lambda n: "9" * 5000,
}


@pytest.mark.parametrize("spell", WRONG_ANSWERS.values(), ids=WRONG_ANSWERS.keys())
def test_any_wrong_answer_gets_a_clear_message_and_a_fresh_question_never_a_500(client, spell):
    entry = VotingEntryFactory()
    new_voter(client)
    page = client.get(entry_url(entry)).content.decode()

    response = client.post(vote_url(entry), solve(page, spell(answer_to(page))), **JSON)

    assert response.status_code == 428
    body = response.json()
    assert body["message"] == "算术题答错了，请回答新的题目。"
    assert body["captcha"]["token"] != solve(page)["captcha_token"]
    assert QUESTION.search(body["captcha"]["prompt"])
    assert not Vote.objects.exists()


def test_the_answer_may_be_typed_in_chinese_numerals_or_full_width_digits(client):
    entry = VotingEntryFactory()
    other = EntryFactory(contest=entry.contest)
    new_voter(client)
    for target, spell in [(entry, chinese_numeral), (other, lambda n: str(n).translate(FULL))]:
        page = client.get(entry_url(target)).content.decode()

        response = client.post(vote_url(target), solve(page, spell(answer_to(page))), **JSON)

        assert response.status_code == 200 and response.json()["ok"]
    assert Vote.objects.count() == 2


def test_without_javascript_a_wrong_answer_returns_to_the_entry_with_a_new_question(client):
    entry = VotingEntryFactory()
    new_voter(client)
    page = client.get(entry_url(entry)).content.decode()

    response = client.post(vote_url(entry), solve(page, answer="十五。五"), follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain == [(entry_url(entry), 302)]
    assert "算术题答错了，请回答新的题目。" in html
    assert solve(html)["captcha_token"] != solve(page)["captcha_token"]
    assert not Vote.objects.exists()
    client.post(vote_url(entry), solve(html))
    assert Vote.objects.filter(entry=entry).count() == 1


def test_the_per_minute_ceiling_refuses_politely(client, settings):
    settings.KEPU_VOTING_USER_PER_MINUTE = 2
    contest = VotingContestFactory(votes_per_day=10)
    entries = EntryFactory.create_batch(3, contest=contest)
    client.force_login(VoterFactory())

    statuses = [client.post(vote_url(e), **JSON).status_code for e in entries]

    assert statuses == [200, 200, 429]
    assert Vote.objects.count() == 2


def test_the_ranking_page_lists_entries_by_votes_per_group(client):
    contest = VotingContestFactory()
    low, high = EntryFactory.create_batch(2, contest=contest)
    junior = contest.groups.last()
    other = EntryFactory(contest=contest, group=junior, title="初中组的作品")
    for voter in VoterFactory.create_batch(2):
        client.force_login(voter)
        client.post(vote_url(high))
    url = reverse("voting:ranking", args=[contest.pk])

    html = client.get(url).content.decode()
    group_html = client.get(url, {"group": junior.pk}).content.decode()

    assert html.index(high.title) < html.index(low.title)
    assert other.title in group_html and high.title not in group_html
    assert client.get(url, {"group": "x"}).status_code == 200
    assert author_name_absent(html, high)


def author_name_absent(html, entry):
    return entry.author.username not in html


def test_the_share_cards_qr_code_opens_the_counted_share_link_at_the_public_address(
    client, settings
):
    settings.KEPU_BASE_URL = "https://kepu.example.org"
    entry = VotingEntryFactory()

    response = client.get(reverse("voting:share_card", args=[entry.contest_id, entry.number]))

    image = Image.open(io.BytesIO(response.content))
    assert response["Content-Type"] == "image/png" and image.size == (1080, 1440)
    decoded = [result.text for result in zxingcpp.read_barcodes(image)]
    share = reverse("popularity:share", args=[entry.contest_id, entry.number])
    assert decoded == [f"https://kepu.example.org{share}?via=card"]


def test_the_vote_pages_share_box_shares_the_counted_share_link(client, settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"
    entry = VotingEntryFactory()

    html = client.get(entry_url(entry)).content.decode()

    share = reverse("popularity:share", args=[entry.contest_id, entry.number])
    assert f'data-share-url="https://kepu.example.org{share}"' in html
    assert f'<link rel="canonical" href="https://kepu.example.org{entry_url(entry)}"' in html


def test_a_childs_title_stays_off_vote_pages_without_the_guardians_display_consent(client):
    from competitions.voting.services import shown_title
    from tests.submissions.test_display import child_author

    contest = VotingContestFactory()
    hidden = VotingEntryFactory(contest=contest, author=child_author(), title="我家的彩虹实验")
    agreed = VotingEntryFactory(
        contest=contest, author=child_author(display="agree"), title="会跳舞的葡萄干"
    )

    page = client.get(entry_url(hidden)).content.decode()
    ranking = client.get(reverse("voting:ranking", args=[contest.pk])).content.decode()

    assert "我家的彩虹实验" not in page and hidden.display_number in page
    assert "我家的彩虹实验" not in ranking and hidden.display_number in ranking
    assert "会跳舞的葡萄干" in ranking
    assert "会跳舞的葡萄干" in client.get(entry_url(agreed)).content.decode()
    assert shown_title(hidden) == "" and shown_title(agreed) == "会跳舞的葡萄干"
