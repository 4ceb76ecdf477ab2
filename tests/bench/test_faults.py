"""bench/faults.py: what the clients saw per fault, and the database check by identity."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from bench.faults import check_database, per_fault
from competitions.quizzes import attempts
from competitions.quizzes.answer_batches import AnswerIn, Batch
from competitions.quizzes.models import AnswerBatch
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory
from tests.quizzes.paper_helpers import tokens_at


def test_each_fault_gets_what_the_clients_saw_until_the_next_fault():
    start = 1000.0
    faults = [
        {"fault": "redis", "injected": 1010.0, "back": 1020.0},
        {"fault": "postgres", "injected": 1030.0, "back": 1034.0},
    ]
    requests = [
        (1005.0, "vote", 200, "ok"),
        (1011.0, "vote", 503, "503 with a message (JSON)"),
        (1019.5, "vote", 503, "503 with a message (JSON)"),
        (1021.0, "vote", 200, "ok"),
        (1031.0, "quiz question", 503, "503 retry page"),
        (1033.0, "quiz save batch", 0, "connection error"),
        (1036.0, "quiz question", 200, "ok"),
        (1039.5, "vote", 0, "connection error"),  # a stale keep-alive connection, later
    ]

    before = per_fault(faults, requests, start, end=1040.0)

    assert before == {"requests": 1, "errors": {}, "seconds": 10.0}
    redis, postgres = faults
    assert redis["requests"] == 3 and redis["errors"] == {"503 with a message (JSON)": 2}
    assert redis["service_down_s"] == 10.0 and redis["requests_ok_again_after_s"] == 9.5
    assert postgres["errors"] == {"503 retry page": 1, "connection error": 2}
    assert postgres["requests_ok_again_after_s"] == 3.0
    assert postgres["isolated_errors_later"] == 1 and redis["isolated_errors_later"] == 0


@pytest.fixture
def taken(db):
    """A quiz attempt taken through the services as the fault run's clients take it (two
    batches of answers, the submit carrying the last one) and as they record it."""
    since = datetime.now(UTC) - timedelta(seconds=1)
    quiz = QuizFactory()
    user = UserFactory()
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session.create()
    key = attempts.participant_key(user)
    attempt = attempts.start_attempt(quiz, key=key, user=user)
    public_id = str(attempt.public_id)
    writes = [{"kind": "attempt", "session": session.session_key, "attempt": public_id}]

    def answers(positions):
        return [[p, p, tokens_at(attempt, p)[0]] for p in positions]

    def batch(rows):
        return Batch(
            token=uuid.uuid4(),
            answers=tuple(AnswerIn(position=p, sequence=s, tokens=(o,)) for p, s, o in rows),
        )

    positions = list(range(1, attempt.max_score + 1))
    for chunk in (positions[:2], positions[2:4]):
        sent = batch(answers(chunk))
        attempts.save_answers(attempt.public_id, key=key, batch=sent)
        writes.append(
            {
                "kind": "batch",
                "session": session.session_key,
                "attempt": public_id,
                "batch": str(sent.token),
                "answers": answers(chunk),
            }
        )
    carried = batch(answers(positions[4:]))
    submit = uuid.uuid4()
    attempts.submit(attempt.public_id, key=key, client_token=submit, batch=carried)
    writes.append(
        {
            "kind": "submit",
            "session": session.session_key,
            "attempt": public_id,
            "token": str(submit),
            "batch": str(carried.token),
            "answers": answers(positions[4:]),
        }
    )
    time.sleep(0.01)
    attempt.refresh_from_db()
    return {"since": since, "writes": writes, "attempt": attempt}


MANIFEST = {"contest_id": 0}


def test_every_confirmed_write_found_once_passes(taken):
    result = check_database(taken["writes"], taken["since"], MANIFEST)

    assert all(row["ok"] for row in result.values()), result
    assert result["answers"]["confirmed"] == 3  # two batches and the submit's


def test_a_confirmed_batch_missing_from_the_database_is_lost(taken):
    lost = next(w for w in taken["writes"] if w["kind"] == "batch")
    AnswerBatch.objects.filter(token=lost["batch"]).delete()

    result = check_database(taken["writes"], taken["since"], MANIFEST)

    assert result["answers"]["lost"] == 1 and not result["answers"]["ok"]


def test_a_batch_no_client_sent_is_reported(taken):
    unsent = [w for w in taken["writes"] if w["kind"] != "batch" or w["answers"][0][0] != 1]

    result = check_database(unsent, taken["since"], MANIFEST)

    assert result["answers"]["saved but never sent"] == 1 and not result["answers"]["ok"]


def test_a_question_not_holding_the_last_confirmed_answer_is_reported(taken):
    attempt = taken["attempt"]
    other = tokens_at(attempt, 1)[1]
    writes = [
        {**w, "answers": [[1, 1, other], *w["answers"][1:]]}
        if w["kind"] == "batch" and w["answers"][0][0] == 1
        else w
        for w in taken["writes"]
    ]

    result = check_database(writes, taken["since"], MANIFEST)

    assert result["answers"]["questions not holding the last confirmed answer"] == 1
    assert not result["answers"]["ok"]


def test_a_newer_confirmed_answer_the_attempt_does_not_hold_is_reported(taken):
    writes = [
        {**w, "answers": [[2, 99, w["answers"][1][2]]]}
        if w["kind"] == "batch" and w["answers"][0][0] == 1
        else w
        for w in taken["writes"]
    ]

    result = check_database(writes, taken["since"], MANIFEST)

    assert result["answers"]["questions not holding the last confirmed answer"] == 1


def test_a_confirmed_submit_with_another_token_is_lost(taken):
    writes = [
        {**w, "token": str(uuid.uuid4())} if w["kind"] == "submit" else w for w in taken["writes"]
    ]

    result = check_database(writes, taken["since"], MANIFEST)

    assert result["submits"]["lost"] == 1 and not result["submits"]["ok"]
