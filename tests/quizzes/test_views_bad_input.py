"""Hostile input to the quiz views found by the generative tests (tests/fuzz/): answered
with a 4xx and a Chinese message, or the page, never a 500; nothing saved."""

import json
import re
import uuid

import pytest
from django.urls import reverse

from competitions.quizzes import attempts
from competitions.quizzes.models import AnswerSave, QuizAttempt
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
    row = attempt.questions.get(position=1)
    return {
        "position": 1,
        "options": [attempts.option_token(attempt, row.choice_order[0])],
        "token": str(uuid.uuid4()),
        **changes,
    }


@pytest.mark.parametrize(
    "raw_position", ["1e400", "-1e400", "NaN", "Infinity", "9" * 5000, "1" + "0" * 20]
)
def test_autosave_refuses_a_position_out_of_range(client, attempt, raw_position):
    body = json.dumps(valid_body(attempt, position="POSITION")).replace('"POSITION"', raw_position)

    response = save(client, attempt, body.encode())

    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.json()["error"])
    assert not AnswerSave.objects.exists()


def test_autosave_refuses_deeply_nested_options(client, attempt):
    body = json.dumps(valid_body(attempt, options="OPTIONS"))
    body = body.replace('"OPTIONS"', "[" * 5000 + "]" * 5000)

    response = save(client, attempt, body.encode())

    assert response.status_code == 400
    assert not AnswerSave.objects.exists()


def test_autosave_refuses_a_body_that_is_not_utf8(client, attempt):
    body = json.dumps(valid_body(attempt), ensure_ascii=False).encode("utf-16")

    assert save(client, attempt, body).status_code == 400
    assert not AnswerSave.objects.exists()


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
