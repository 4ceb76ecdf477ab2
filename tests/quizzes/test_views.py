"""Taking a quiz over HTTP: plain form posts, JSON autosave, secrets, foreign attempts."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from competitions.quizzes import attempts
from competitions.quizzes.models import Choice, QuizAttempt
from tests.factories.quizzes import QuizFactory, UnitFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return QuizFactory()


@pytest.fixture
def player(client):
    user = UserFactory()
    client.force_login(user)
    return user


def start(client, quiz, **data):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return QuizAttempt.objects.latest("started_at")


def test_sign_in_is_required_for_a_prize_quiz(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_anonymous_participants_take_an_open_quiz_with_a_cookie(client):
    quiz = QuizFactory(sign_in_required=False)

    attempt = start(client, quiz)

    assert attempt.participant_key.startswith("a:") and attempt.user is None
    assert client.get(reverse("quizzes:attempt", args=[attempt.public_id])).status_code == 200


def test_the_question_page_never_contains_answers_or_choice_ids(client, quiz, player):
    attempt = start(client, quiz)
    choice_ids = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}

    for position in range(1, 6):
        html = client.get(reverse("quizzes:attempt", args=[attempt.public_id]), {"q": position})
        text = html.content.decode()
        values = set(re.findall(r'name="option" value="([^"]+)"', text))
        assert len(values) == 4 and not values & choice_ids
        assert "is_correct" not in text and "correct" not in text.lower().replace("incorrect", "")
        assert "20秒" in text or position > 0  # options are shown as text
        assert "揉搓不少于20秒" not in text  # no explanation before submission


def test_a_whole_quiz_without_javascript(client, quiz, player):
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.public_id])
    for position in range(1, 6):
        page = client.get(url, {"q": position}).content.decode()
        first_option = re.search(r'name="option" value="([^"]+)"', page).group(1)
        save_token = re.search(r'name="save_token" value="([^"]+)"', page).group(1)
        client.post(
            url,
            {
                "position": position,
                "option": first_option,
                "save_token": save_token,
                "action": "next",
            },
        )

    response = client.post(
        url, {"position": 5, "action": "submit", "submit_token": str(uuid.uuid4())}
    )

    assert response.status_code == 302 and response["Location"].endswith("/result/")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score is not None
    result = client.get(response["Location"]).content.decode()
    assert f"{attempt.score} / 5" in result
    assert "揉搓不少于20秒" in result  # explanations after submission (review policy)


def test_autosave_accepts_json_and_replays_idempotently(client, quiz, player):
    attempt = start(client, quiz)
    row = attempt.questions.get(position=1)
    body = {
        "position": 1,
        "options": [attempts.option_token(attempt, row.choice_order[0])],
        "token": str(uuid.uuid4()),
    }
    url = reverse("quizzes:save", args=[attempt.public_id])

    first = client.post(url, json.dumps(body), content_type="application/json")
    again = client.post(url, json.dumps(body), content_type="application/json")

    assert first.json() == {"saved": True, "position": 1, "replayed": False}
    assert again.json()["replayed"] is True


@pytest.mark.parametrize(
    "body",
    [b"not json", b"{}", b'{"position": "x", "options": [], "token": "1"}', b"[1, 2]"],
)
def test_autosave_refuses_malformed_payloads_with_a_chinese_message(client, quiz, player, body):
    attempt = start(client, quiz)

    response = client.post(
        reverse("quizzes:save", args=[attempt.public_id]), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.json()["error"])


def test_another_users_attempt_is_not_found(client, quiz, player):
    attempt = start(client, quiz)
    client.force_login(UserFactory())

    for name in ("attempt", "result"):
        assert client.get(reverse(f"quizzes:{name}", args=[attempt.public_id])).status_code == 404
    response = client.post(reverse("quizzes:submit", args=[attempt.public_id]))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_unknown_attempt_ids_are_not_found(client, player):
    assert client.get(reverse("quizzes:attempt", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/quiz/a/not-a-uuid/").status_code == 404


def test_closed_quiz_shows_a_message_and_starts_nothing(client, player):
    import datetime

    from django.utils import timezone

    quiz = QuizFactory(
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    response = client.post(reverse("quizzes:start", args=[quiz.pk]), follow=True)

    assert "已结束" in response.content.decode() or "没有开放" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_a_quiz_with_units_requires_choosing_one(client, player):
    quiz = QuizFactory(unit_kind="school")
    school = UnitFactory(kind="school")

    refused = client.post(reverse("quizzes:start", args=[quiz.pk]), {})
    assert refused.status_code == 200 and not QuizAttempt.objects.exists()

    attempt = start(client, quiz, unit=school.pk)
    assert attempt.unit == school


def test_leaderboard_shows_masked_names_and_my_rank(client, quiz, player):
    player.display_name = "张小明"
    player.save()
    attempt = start(client, quiz)
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    html = client.get(reverse("quizzes:leaderboard", args=[quiz.pk])).content.decode()

    assert "张小明" not in html and "张*" in html
    assert "排名 1。" in html


def test_hot_path_query_counts_do_not_grow_with_questions_or_attempts(
    client, player, django_assert_max_num_queries
):
    from tests.factories.quizzes import FinishedAttemptFactory, make_bank

    quiz = QuizFactory(bank=make_bank(40), questions_per_attempt=30)
    FinishedAttemptFactory.create_batch(30, quiz=quiz)

    with django_assert_max_num_queries(30):
        attempt = start(client, quiz)
    row = attempt.questions.get(position=1)
    body = {
        "position": 1,
        "options": [attempts.option_token(attempt, row.choice_order[0])],
        "token": str(uuid.uuid4()),
    }
    with django_assert_max_num_queries(9):
        client.post(
            reverse("quizzes:save", args=[attempt.public_id]),
            json.dumps(body),
            content_type="application/json",
        )
    # The session, the site and the footer's settings come from caches: the user, the attempt,
    # its questions and the shown question's choices remain.
    with django_assert_max_num_queries(5):
        client.get(reverse("quizzes:attempt", args=[attempt.public_id]), {"q": 3})
    with django_assert_max_num_queries(22):
        client.post(
            reverse("quizzes:submit", args=[attempt.public_id]),
            {"submit_token": str(uuid.uuid4())},
        )


def test_the_cached_quiz_page_expires_when_the_quiz_opens(client):
    import datetime

    from django.utils import timezone
    from wagtail.models import Page, Site

    from competitions.quizzes.models import QuizPage
    from tests.factories.pages import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="home-q")
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    quiz = QuizFactory(
        opens_at=timezone.now() + datetime.timedelta(seconds=1),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    page = home.add_child(instance=QuizPage(title="竞答", slug="q", quiz=quiz, summary="摘要"))

    assert "尚未开始" in client.get(page.url).content.decode()
    import time

    time.sleep(1.2)
    assert "开始答题" in client.get(page.url).content.decode()
