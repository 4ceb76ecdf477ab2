"""The public pages of the prize draw: the draw page, the eligible list and the claim form."""

import hashlib

import pytest
from django.test import Client

from competitions.quizzes.models import PrizeClaim, Quiz, Winner
from competitions.quizzes.prizes import services as prizes
from tests.factories.prizes import closed_quiz, drawn_quiz, eligible_users
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory
from tests.quizzes.prizes.helpers import VALID_CLAIM, claim_url, client_for, draw_url

pytestmark = pytest.mark.django_db

# --- the public draw page ----------------------------------------------------------------------


def test_before_the_commitment_the_page_shows_the_rules_and_prizes(client):
    quiz = closed_quiz(Quiz.PrizeRule.PASS_MARK, pass_mark=80, prize_list=[("科普图书", 10)])

    response = client.get(draw_url(quiz))

    html = response.content.decode()
    assert response.status_code == 200
    assert "80%" in html and "科普图书" in html
    assert "SHA-256" in html  # the rules explain the commitment
    assert 'class="hash"' not in html


def test_after_the_commitment_the_page_shows_the_hashes_but_never_the_seed(client):
    quiz = closed_quiz()
    eligible_users(quiz, 3)
    draw = prizes.commit_draw(quiz)

    html = client.get(draw_url(quiz)).content.decode()

    assert draw.seed_hash in html and draw.eligible_hash in html
    assert f"/quiz/{quiz.pk}/draw/eligible.txt" in html
    assert draw.seed not in html


def test_the_downloadable_list_hashes_to_the_published_value(client):
    quiz = closed_quiz()
    users = eligible_users(quiz, 4)
    draw = prizes.commit_draw(quiz)

    response = client.get(f"/quiz/{quiz.pk}/draw/eligible.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert hashlib.sha256(response.content).hexdigest() == draw.eligible_hash
    numbers = response.content.decode().splitlines()
    assert numbers == sorted(prizes.participant_number(quiz.pk, u.pk) for u in users)
    for user in users:
        assert user.username not in response.content.decode()


def test_the_list_does_not_exist_before_the_commitment(client):
    quiz = closed_quiz()

    assert client.get(f"/quiz/{quiz.pk}/draw/eligible.txt").status_code == 404


def test_after_the_draw_the_page_shows_the_seed_winners_and_how_to_check(client):
    quiz, draw, users = drawn_quiz(people=3, prize_list=[("一等奖", 1), ("二等奖", 1)])

    html = client.get(draw_url(quiz)).content.decode()

    assert draw.seed in html
    for winner in draw.winners.all():
        assert winner.participant_number in html
    assert "verify_prize_draw" in html and "一等奖:1,二等奖:1" in html
    for user in users:
        assert user.username not in html and user.email not in html


def test_a_winner_sees_that_they_won_and_the_claim_link():
    quiz, draw, _ = drawn_quiz(people=1)
    winner = draw.winners.get()

    html = client_for(winner.user).get(draw_url(quiz)).content.decode()

    assert "你中奖了" in html and claim_url(quiz) in html
    assert winner.participant_number in html


def test_someone_who_did_not_win_sees_no_claim_link():
    quiz, _, _ = drawn_quiz(people=2, prize_list=[("一等奖", 1)])
    loser = next(u for u in _eligible(quiz) if not Winner.objects.filter(user=u).exists())

    html = client_for(loser).get(draw_url(quiz)).content.decode()

    assert "你中奖了" not in html and claim_url(quiz) not in html


def _eligible(quiz):
    from accounts.models import User

    return User.objects.filter(pk__in=prizes.eligible_user_ids(quiz))


def test_a_quiz_without_prizes_has_no_draw_page(client):
    quiz = QuizFactory(prize_rule=Quiz.PrizeRule.NONE)

    assert client.get(draw_url(quiz)).status_code == 404


# --- the claim form ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    quiz, _, _ = drawn_quiz(people=1)

    response = client.get(claim_url(quiz))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_the_winner_may_open_the_claim_form():
    quiz, draw, _ = drawn_quiz(people=1)

    assert client_for(UserFactory()).get(claim_url(quiz)).status_code == 404
    assert client_for(UserFactory()).post(claim_url(quiz), VALID_CLAIM).status_code == 404
    assert not PrizeClaim.objects.exists()
    assert client_for(draw.winners.get().user).get(claim_url(quiz)).status_code == 200


def test_before_the_draw_nobody_can_claim():
    quiz = closed_quiz()
    (user,) = eligible_users(quiz, 1)
    prizes.commit_draw(quiz)

    assert client_for(user).get(claim_url(quiz)).status_code == 404


def test_the_winner_sends_and_then_edits_the_claim():
    quiz, draw, _ = drawn_quiz(people=1)
    winner = draw.winners.get()
    client = client_for(winner.user)

    response = client.post(claim_url(quiz), VALID_CLAIM)

    assert response.status_code == 302
    claim = PrizeClaim.objects.get()
    assert (claim.recipient_name, claim.phone) == ("张三", "+8613812345678")
    assert claim.address == "浙江省杭州市西湖区文三路90号" and claim.user == winner.user

    client.post(claim_url(quiz), {**VALID_CLAIM, "recipient_name": "李四"})

    assert PrizeClaim.objects.get().recipient_name == "李四"
    assert PrizeClaim.objects.count() == 1
    assert "李四" in client.get(claim_url(quiz)).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "12345", "手机号"),
        ("phone", "010-12345678", "手机号"),
        ("address", "杭州", "地址"),
        ("address", "Room 5, 90 Wensan Road", "地址"),
        ("recipient_name", "", "姓名"),
    ],
)
def test_bad_claims_get_a_chinese_message_and_nothing_is_saved(field, value, message):
    quiz, draw, _ = drawn_quiz(people=1)
    client = client_for(draw.winners.get().user)

    response = client.post(claim_url(quiz), {**VALID_CLAIM, field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PrizeClaim.objects.exists()


def test_the_claim_form_needs_csrf():
    quiz, draw, _ = drawn_quiz(people=1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(draw.winners.get().user)

    assert client.post(claim_url(quiz), VALID_CLAIM).status_code == 403
    assert not PrizeClaim.objects.exists()


def test_claims_cannot_change_after_the_organiser_locks_them():
    quiz, draw, _ = drawn_quiz(people=1)
    client = client_for(draw.winners.get().user)
    client.post(claim_url(quiz), VALID_CLAIM)
    prizes.lock_claims(draw)

    response = client.post(claim_url(quiz), {**VALID_CLAIM, "recipient_name": "李四"})

    assert response.status_code == 200 and "关闭" in response.content.decode()
    assert PrizeClaim.objects.get().recipient_name == "张三"


def test_claim_posts_are_rate_limited():
    quiz, draw, _ = drawn_quiz(people=1)
    client = client_for(draw.winners.get().user)
    for _ in range(10):
        client.post(claim_url(quiz), {**VALID_CLAIM, "phone": "bad"})

    response = client.post(claim_url(quiz), VALID_CLAIM)

    assert response.status_code == 429
    assert not PrizeClaim.objects.exists()


def test_a_claim_is_never_shown_to_other_users():
    quiz, draw, _ = drawn_quiz(people=2, prize_list=[("一等奖", 2)])
    first, second = (w.user for w in draw.winners.order_by("position"))
    client_for(first).post(claim_url(quiz), {**VALID_CLAIM, "phone": "13987654321"})
    assert PrizeClaim.objects.get().user == first

    for page in (claim_url(quiz), draw_url(quiz)):
        html = client_for(second).get(page).content.decode()
        assert "文三路" not in html and "4321" not in html


def test_a_signed_in_participant_sees_their_number_and_whether_they_are_on_the_list():
    quiz = closed_quiz()
    (listed,) = eligible_users(quiz, 1)
    outsider = UserFactory()
    prizes.commit_draw(quiz)

    listed_html = client_for(listed).get(draw_url(quiz)).content.decode()
    outsider_html = client_for(outsider).get(draw_url(quiz)).content.decode()

    assert prizes.participant_number(quiz.pk, listed.pk) in listed_html
    assert "您在抽奖名单中" in listed_html
    assert prizes.participant_number(quiz.pk, outsider.pk) in outsider_html
    assert "您不在抽奖名单中" in outsider_html
