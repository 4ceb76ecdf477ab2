"""Hostile input to the quiz views found by the generative tests (tests/fuzz/): answered
with a 4xx and a Chinese message, or the page, never a 500; nothing saved."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from competitions.quizzes import attempts
from competitions.quizzes.models import AnswerBatch, QuizAttempt
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("quizzes:start", args=[QuizFactory().pk]))
    return QuizAttempt.objects.get(user=user)


def save(client, attempt, body: bytes):
    url = reverse("quizzes:save", args=[attempt.public_id])
    return client.post(url, body, content_type="application/json")


def valid_body(attempt, **changes) -> dict:
    """A batch answering question 1 (competitions/quizzes/answer_batches.py)."""
    _question_id, choice_order = attempt.paper[0]
    answer = {"q": 1, "s": 1, "o": [attempts.option_token(attempt, choice_order[0])], **changes}
    return {"token": str(uuid.uuid4()), "answers": [answer]}


def nothing_saved(attempt) -> bool:
    attempt.refresh_from_db()
    return not AnswerBatch.objects.exists() and attempt.answered_count() == 0


@pytest.mark.parametrize(
    "raw_position", ["1e400", "-1e400", "NaN", "Infinity", "9" * 5000, "1" + "0" * 20]
)
def test_autosave_refuses_a_position_out_of_range(client, attempt, raw_position):
    body = json.dumps(valid_body(attempt, q="POSITION")).replace('"POSITION"', raw_position)

    response = save(client, attempt, body.encode())

    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.json()["error"])
    assert nothing_saved(attempt)


def test_autosave_refuses_deeply_nested_options(client, attempt):
    body = json.dumps(valid_body(attempt, o="OPTIONS"))
    body = body.replace('"OPTIONS"', "[" * 5000 + "]" * 5000)

    response = save(client, attempt, body.encode())

    assert response.status_code == 400
    assert nothing_saved(attempt)


def test_autosave_refuses_a_body_that_is_not_utf8(client, attempt):
    body = json.dumps(valid_body(attempt), ensure_ascii=False).encode("utf-16")

    assert save(client, attempt, body).status_code == 400
    assert nothing_saved(attempt)


@pytest.mark.parametrize(
    ("action", "shown"),
    [("goto-²", 2), ("goto-３", 2), ("goto-١", 2), ("goto-", 2), ("goto-4", 4), ("goto-999", 5)],
)
def test_the_no_javascript_form_goes_only_to_an_ascii_question_number(
    client, attempt, action, shown
):
    url = reverse("quizzes:attempt", args=[attempt.public_id])

    response = client.post(url, {"position": "2", "action": action})

    assert response.status_code == 302
    assert response["Location"] == f"{url}?q={shown}"


@pytest.mark.parametrize("name", ["q²", "q３", "q١"])
def test_the_no_javascript_submit_ignores_fields_that_are_not_ascii_positions(
    client, attempt, name
):
    _question_id, choice_order = attempt.paper[0]
    url = reverse("quizzes:submit", args=[attempt.public_id])

    response = client.post(
        url,
        {"submit_token": str(uuid.uuid4()), name: attempts.option_token(attempt, choice_order[0])},
    )

    assert response.status_code in (200, 302)
    assert nothing_saved(attempt)
