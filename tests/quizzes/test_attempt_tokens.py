"""The attempt token and the lean path it opens (competitions/quizzes/attempt_tokens.py,
kepu/middleware.py: LeanViewMiddleware): batches and submits that carry it are served
without the session, the account or the CSRF cookie, and nothing else is."""

import datetime
import json
import re
import uuid

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competitions.quizzes import attempt_tokens, attempts
from competitions.quizzes.models import AnswerBatch, QuizAttempt
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory

from .paper_helpers import batch_json, tokens_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return QuizFactory()


def signed_in(**kwargs) -> tuple[Client, object]:
    client = Client(**kwargs)
    user = UserFactory()
    client.force_login(user)
    return client, user


def start_paper(client, quiz) -> tuple[QuizAttempt, str]:
    """Starts as quiz.js does; returns the attempt and the paper's attempt token."""
    response = client.post(reverse("quizzes:start", args=[quiz.pk]), {"js": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    state = json.loads(re.search(r'id="quiz-state" type="application/json">(.*?)<', html)[1])
    field = re.search(r'name="attempt_token" value="([^"]+)"', html)[1]
    assert state["token"] == field
    return QuizAttempt.objects.latest("started_at"), state["token"]


def reads_session_or_account(queries) -> bool:
    sql = " ".join(query["sql"] for query in queries).lower()
    return "django_session" in sql or 'from "accounts_user" where' in sql


def test_a_batch_with_its_token_reads_no_session_and_no_account(quiz):
    client, _user = signed_in()
    attempt, token = start_paper(client, quiz)
    answers = {1: (1, tokens_at(attempt, 1)[:1])}

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("quizzes:save", args=[attempt.public_id]),
            {"batch": batch_json(answers)},
            HTTP_X_QUIZ_TOKEN=token,
        )

    assert response.status_code == 200 and response.json()["saved"]
    assert not reads_session_or_account(queries.captured_queries)
    # Savepoint, lock, insert the batch, update the attempt, release.
    assert len(queries.captured_queries) <= 5
    attempt.refresh_from_db()
    assert attempt.selected(1)


def test_a_beacon_carries_the_token_in_its_body(quiz):
    client, _user = signed_in()
    attempt, token = start_paper(client, quiz)

    response = client.post(
        reverse("quizzes:save", args=[attempt.public_id]),
        {"batch": batch_json({2: (1, tokens_at(attempt, 2)[:1])}), "attempt_token": token},
    )

    assert response.status_code == 200
    assert AnswerBatch.objects.filter(attempt=attempt).count() == 1


def test_the_token_is_worthless_in_another_session_of_the_same_account(quiz):
    client, user = signed_in()
    attempt, token = start_paper(client, quiz)
    other = Client()
    other.force_login(user)  # the same person on another phone: a new session

    response = other.post(
        reverse("quizzes:save", args=[attempt.public_id]),
        {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})},
        HTTP_X_QUIZ_TOKEN=token,
    )

    # The full path serves it (the account's own attempt), reading the session as before.
    assert response.status_code == 200
    assert attempt_tokens.holder(_request(other, attempt, token), attempt.public_id) is None


def test_a_stolen_token_without_the_cookie_opens_nothing(quiz):
    client, _user = signed_in()
    attempt, token = start_paper(client, quiz)
    stranger, _ = signed_in()

    for browser in (stranger, Client()):
        response = browser.post(
            reverse("quizzes:save", args=[attempt.public_id]),
            {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])}), "attempt_token": token},
            HTTP_X_QUIZ_TOKEN=token,
        )
        assert response.status_code == 404
    submit = stranger.post(
        reverse("quizzes:submit", args=[attempt.public_id]),
        {"submit_token": str(uuid.uuid4()), "attempt_token": token},
    )
    assert submit.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.IN_PROGRESS and not attempt.selected(1)


def test_a_token_is_bound_to_its_attempt(quiz):
    client, _user = signed_in()
    first, token = start_paper(client, quiz)
    attempts.submit_attempt(first, client_token=uuid.uuid4())
    second, _second_token = start_paper(client, quiz)

    assert attempt_tokens.holder(_request(client, second, token), second.public_id) is None


def test_a_forged_or_tampered_token_is_ignored(quiz):
    client, _user = signed_in()
    attempt, token = start_paper(client, quiz)
    payload, _, signature = token.rpartition(":")
    forged = f"{payload}:{'A' * len(signature)}"

    for bad in (forged, token[:-1], "x" * 1000, "", "null"):
        assert attempt_tokens.holder(_request(client, attempt, bad), attempt.public_id) is None


def test_a_token_expires_at_the_attempts_deadline(quiz):
    client, _user = signed_in()
    attempt, _token = start_paper(client, quiz)
    attempt.deadline = timezone.now() - datetime.timedelta(seconds=1)
    expired = attempt_tokens.issue(attempt, attempt_tokens.device_of(_session_key(client)))

    assert attempt_tokens.holder(_request(client, attempt, expired), attempt.public_id) is None


def test_a_late_submit_with_an_expired_token_still_gets_its_result(quiz):
    client, _user = signed_in()
    attempt, token = start_paper(client, quiz)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = client.post(
        reverse("quizzes:submit", args=[attempt.public_id]),
        {"submit_token": str(uuid.uuid4()), "attempt_token": token},
    )

    assert response.status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.EXPIRED


def test_the_token_replaces_the_csrf_token_and_nothing_else_does(quiz):
    client, _user = signed_in(enforce_csrf_checks=True)
    client.get(reverse("quizzes:start", args=[quiz.pk]))  # the CSRF cookie
    csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("quizzes:start", args=[quiz.pk]), {"js": "1", "csrfmiddlewaretoken": csrf}
    )
    attempt = QuizAttempt.objects.latest("started_at")
    token = re.search(r'name="attempt_token" value="([^"]+)"', response.content.decode())[1]
    save_url = reverse("quizzes:save", args=[attempt.public_id])

    without_either = client.post(save_url, {"batch": batch_json({1: (1, tokens_at(attempt, 1))})})
    with_token = client.post(
        save_url,
        {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})},
        HTTP_X_QUIZ_TOKEN=token,
    )

    assert without_either.status_code == 403
    assert with_token.status_code == 200


def test_a_lean_submit_answers_with_the_result_page_and_the_usual_headers(quiz):
    client, _user = signed_in()
    attempt, token = start_paper(client, quiz)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("quizzes:submit", args=[attempt.public_id]),
            {
                "submit_token": str(uuid.uuid4()),
                "attempt_token": token,
                "q1": tokens_at(attempt, 1)[:1],
            },
        )

    html = response.content.decode()
    assert response.status_code == 200 and f"/ {attempt.max_score}</p>" in html
    assert "我的" in html  # the header knows the participant is signed in
    # The account comes with the locked attempt (one join), not from the session.
    assert not reads_session_or_account(queries.captured_queries)
    full_path = client.get(reverse("quizzes:result", args=[attempt.public_id]))
    for header in ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options"):
        assert response[header] == full_path[header]
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.SUBMITTED and attempt.selected(1)


def test_a_refused_lean_submit_takes_the_full_path_and_says_why(quiz):
    client, _user = signed_in()
    attempt, token = start_paper(client, quiz)

    response = client.post(
        reverse("quizzes:submit", args=[attempt.public_id]),
        {"attempt_token": token},  # no submit token: an incomplete form
        follow=True,
    )

    assert "提交的内容不完整" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.IN_PROGRESS


BLOCKED = "此账号已不能参加答题"


@pytest.mark.parametrize(
    "change",
    [{"is_active": False}, {"consent_status": "refused"}, {"consent_status": "pending"}],
    ids=["deactivated", "guardian-refused", "waiting-for-guardian"],
)
def test_an_account_blocked_after_the_start_saves_and_submits_nothing_more(quiz, change):
    client, user = signed_in()
    attempt, token = start_paper(client, quiz)
    type(user).objects.filter(pk=user.pk).update(**change)

    saved = client.post(
        reverse("quizzes:save", args=[attempt.public_id]),
        {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})},
        HTTP_X_QUIZ_TOKEN=token,
    )
    submitted = client.post(
        reverse("quizzes:submit", args=[attempt.public_id]),
        {"submit_token": str(uuid.uuid4()), "attempt_token": token, "q1": tokens_at(attempt, 1)},
    )

    assert saved.status_code == 403 and saved.json()["accountBlocked"]
    assert BLOCKED in saved.json()["error"]
    assert submitted.status_code == 403 and BLOCKED in submitted.content.decode()
    assert "我的" not in submitted.content.decode()  # the page shows no account
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.IN_PROGRESS and not attempt.selected(1)
    assert not AnswerBatch.objects.filter(attempt=attempt).exists()


def test_a_blocked_account_is_refused_even_for_an_attempt_it_already_submitted(quiz):
    client, user = signed_in()
    attempt, token = start_paper(client, quiz)
    form = {"submit_token": str(uuid.uuid4()), "attempt_token": token}
    assert client.post(reverse("quizzes:submit", args=[attempt.public_id]), form).status_code == 200
    type(user).objects.filter(pk=user.pk).update(is_active=False)

    again = client.post(reverse("quizzes:submit", args=[attempt.public_id]), form)

    assert again.status_code == 403 and BLOCKED in again.content.decode()


def test_staff_waiting_for_a_guardian_are_not_blocked(quiz):
    client, user = signed_in()
    attempt, token = start_paper(client, quiz)
    type(user).objects.filter(pk=user.pk).update(is_staff=True, consent_status="pending")

    saved = client.post(
        reverse("quizzes:save", args=[attempt.public_id]),
        {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})},
        HTTP_X_QUIZ_TOKEN=token,
    )

    assert saved.status_code == 200


def test_an_anonymous_participant_takes_the_lean_path_without_the_cookie_in_the_page():
    quiz = QuizFactory(sign_in_required=False)
    client = Client()
    attempt, token = start_paper(client, quiz)
    anonymous_id = attempt.participant_key[2:]

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("quizzes:save", args=[attempt.public_id]),
            {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})},
            HTTP_X_QUIZ_TOKEN=token,
        )

    assert response.status_code == 200 and len(queries.captured_queries) <= 5
    # The cookie's secret stays in the (httponly) cookie: the page's token does not carry it.
    assert anonymous_id not in json.dumps(signing.loads(token, salt=attempt_tokens.SALT))
    assert (
        Client()
        .post(
            reverse("quizzes:save", args=[attempt.public_id]),
            {"batch": batch_json({1: (2, tokens_at(attempt, 1)[:1])})},
            HTTP_X_QUIZ_TOKEN=token,
        )
        .status_code
        == 404
    )


def test_a_one_device_quiz_still_refuses_the_phone_it_moved_away_from():
    quiz = QuizFactory(one_device=True)
    first, user = signed_in()
    attempt, token = start_paper(first, quiz)
    second = Client()
    second.force_login(user)
    second.get(reverse("quizzes:attempt", args=[attempt.public_id]))  # moves the attempt

    response = first.post(
        reverse("quizzes:save", args=[attempt.public_id]),
        {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})},
        HTTP_X_QUIZ_TOKEN=token,
    )

    assert response.status_code == 409 and response.json()["otherDevice"]


def _session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _request(client, attempt, token):
    """A request as `client` would send it with `token` in the header."""
    from django.test import RequestFactory

    request = RequestFactory().post(
        reverse("quizzes:save", args=[attempt.public_id]), HTTP_X_QUIZ_TOKEN=token
    )
    request.COOKIES.update({name: morsel.value for name, morsel in client.cookies.items()})
    return request
