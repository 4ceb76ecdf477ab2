"""The prize draws in the Wagtail admin: prizes, commit, draw, locks, claims and who may see
them."""

import pytest

from competitions.quizzes.models import PrizeClaimAccess, PrizeDraw
from competitions.quizzes.prizes import services as prizes
from tests.factories.prizes import closed_quiz, drawn_quiz, eligible_users
from tests.factories.users import StaffFactory
from tests.quizzes.prizes.helpers import client_for, staff_with

pytestmark = pytest.mark.django_db


def admin_url(quiz, action=""):
    return f"/admin/quiz-prizes/quiz/{quiz.pk}/{action}"


def test_organisers_define_prizes_in_order():
    quiz = closed_quiz(prize_list=[])
    client = client_for(staff_with("change_prizedraw"))
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "一等奖",
        "form-0-count": "1",
        "form-1-name": "二等奖",
        "form-1-count": "3",
        "form-2-name": "",
        "form-2-count": "",
    }

    response = client.post(admin_url(quiz, "prizes/"), data)

    assert response.status_code == 302
    assert [(p.name, p.count) for p in prizes.quiz_prizes(quiz)] == [("一等奖", 1), ("二等奖", 3)]


def test_bad_prize_lists_are_refused_with_a_message():
    quiz = closed_quiz(prize_list=[("一等奖", 1)])
    client = client_for(staff_with("change_prizedraw"))
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "一等奖:特别",
        "form-0-count": "1",
        "form-1-name": "二等奖",
        "form-1-count": "0",
    }

    response = client.post(admin_url(quiz, "prizes/"), data)

    assert response.status_code == 400
    assert [(p.name, p.count) for p in prizes.quiz_prizes(quiz)] == [("一等奖", 1)]


def test_organisers_commit_then_draw_from_the_admin():
    quiz = closed_quiz()
    eligible_users(quiz, 3)
    client = client_for(staff_with("change_prizedraw"))

    assert client.post(admin_url(quiz, "commit/")).status_code == 302
    draw = PrizeDraw.objects.get()
    page = client.get(admin_url(quiz)).content.decode()
    assert draw.seed_hash in page and draw.seed not in page

    assert client.post(admin_url(quiz, "draw/")).status_code == 302
    draw.refresh_from_db()
    assert draw.is_drawn and draw.winners.count() == 1


def test_a_refused_draw_shows_the_reason_and_changes_nothing():
    quiz = closed_quiz()
    eligible_users(quiz, 2)
    prizes.commit_draw(quiz)
    eligible_users(quiz, 1)
    client = client_for(staff_with("change_prizedraw"))

    response = client.post(admin_url(quiz, "draw/"), follow=True)

    assert "变化" in response.content.decode()
    assert PrizeDraw.objects.get().state == PrizeDraw.State.COMMITTED


@pytest.mark.parametrize("action", ["prizes/", "commit/", "draw/", "lock/"])
def test_staff_without_the_permission_get_403(action):
    quiz = closed_quiz()
    eligible_users(quiz, 2)
    client = client_for(staff_with())

    assert client.get("/admin/quiz-prizes/").status_code == 403
    assert client.get(admin_url(quiz)).status_code == 403
    assert client.post(admin_url(quiz, action), {"form-TOTAL_FORMS": "0"}).status_code == 403
    assert not PrizeDraw.objects.exists()


def test_claim_viewers_cannot_run_the_draw():
    quiz = closed_quiz()
    client = client_for(staff_with("view_prizeclaim"))

    assert client.get(admin_url(quiz)).status_code == 200
    assert client.post(admin_url(quiz, "commit/")).status_code == 403
    assert not PrizeDraw.objects.exists()


def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client):
    quiz = closed_quiz()

    response = client.get(admin_url(quiz))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def _drawn_with_claim():
    quiz, draw, _ = drawn_quiz(people=1)
    winner = draw.winners.get()
    claim = prizes.save_claim(
        winner,
        winner.user,
        prizes.ClaimDetails("张三丰", "+8613812345678", "浙江省杭州市西湖区文三路90号"),
    )
    return quiz, claim


def test_claims_are_masked_in_the_results_for_staff_with_the_permission():
    quiz, _claim = _drawn_with_claim()
    client = client_for(staff_with("view_prizeclaim"))

    html = client.get(admin_url(quiz)).content.decode()

    assert "张**" in html and "138****5678" in html and "浙江省杭州市****" in html
    assert "张三丰" not in html and "13812345678" not in html and "文三路" not in html
    assert not PrizeClaimAccess.objects.exists()


def test_claims_are_hidden_from_organisers_without_the_claim_permission():
    quiz, claim = _drawn_with_claim()
    client = client_for(staff_with("change_prizedraw"))

    html = client.get(admin_url(quiz)).content.decode()

    assert "张**" not in html and "5678" not in html
    assert client.get(f"/admin/quiz-prizes/claims/{claim.pk}/").status_code == 403
    assert not PrizeClaimAccess.objects.exists()


def test_the_full_claim_is_shown_on_its_own_page_and_the_access_is_logged():
    _quiz, claim = _drawn_with_claim()
    viewer = staff_with("view_prizeclaim")

    response = client_for(viewer).get(f"/admin/quiz-prizes/claims/{claim.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "张三丰" in html and "+8613812345678" in html and "文三路90号" in html
    access = PrizeClaimAccess.objects.get()
    assert (access.claim, access.viewer) == (claim, viewer)


def test_superusers_see_everything():
    quiz, claim = _drawn_with_claim()
    client = client_for(StaffFactory())

    assert client.get("/admin/quiz-prizes/").status_code == 200
    assert client.get(admin_url(quiz)).status_code == 200
    assert client.get(f"/admin/quiz-prizes/claims/{claim.pk}/").status_code == 200
