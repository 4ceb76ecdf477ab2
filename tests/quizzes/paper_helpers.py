"""Reading and answering drawn papers in tests, the way a participant's browser does."""

import json
import uuid

from competitions.quizzes import attempts
from competitions.quizzes.answer_batches import AnswerIn, Batch
from competitions.quizzes.item_analysis import counters
from competitions.quizzes.models import Choice


def choice_order(attempt, position: int) -> list[int]:
    """The choice ids of the question at `position`, in the order the attempt shows them."""
    return attempt.paper[position - 1][1]


def question_at(attempt, position: int) -> int:
    return attempt.paper[position - 1][0]


def tokens_at(attempt, position: int) -> list[str]:
    """The option tokens the page shows for the question at `position`, in order."""
    return [attempts.option_token(attempt, pk) for pk in choice_order(attempt, position)]


def correct_tokens(attempt) -> dict[int, list[str]]:
    """{position: the tokens of its right options}."""
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    return {
        position: [
            attempts.option_token(attempt, pk)
            for pk in choice_order(attempt, position)
            if pk in right
        ]
        for position in range(1, len(attempt.paper) + 1)
    }


def wrong_token(attempt, position: int) -> str:
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    return next(
        attempts.option_token(attempt, pk)
        for pk in choice_order(attempt, position)
        if pk not in right
    )


def batch_json(answers: dict[int, tuple[int, list[str]]], *, leaves=None, token=None) -> str:
    """A batch as quiz.js sends it: {position: (sequence, tokens)}."""
    body = {
        "token": str(token or uuid.uuid4()),
        "answers": [{"q": q, "s": s, "o": list(o)} for q, (s, o) in answers.items()],
    }
    if leaves is not None:
        body["leaves"] = leaves
    return json.dumps(body)


def batch(answers: dict[int, tuple[int, list[str]]], *, leaves=None, token=None) -> Batch:
    return Batch(
        token=token or uuid.uuid4(),
        answers=tuple(AnswerIn(q, s, tuple(o)) for q, (s, o) in answers.items()),
        leaves=leaves,
    )


def take(quiz, key: str, choose, *, counted: bool = True, **submit) -> object:
    """A whole attempt through the services: `choose(question_id, choice ids in display
    order)` returns the choice ids to pick (empty: leave it), sent as one batch, then the
    submit, then (unless `counted` is false) the worker's job that adds it to the item
    counters. Returns the finished attempt."""
    attempt = attempts.start_attempt(quiz, key=key)
    answers = {}
    for position, (question_id, order) in enumerate(attempt.paper, start=1):
        picked = choose(question_id, order)
        if picked:
            answers[position] = (position, [attempts.option_token(attempt, pk) for pk in picked])
    if answers:
        attempts.save_answers(attempt.public_id, key=key, batch=batch(answers))
        attempt.refresh_from_db()
    finished = attempts.submit_attempt(attempt, client_token=uuid.uuid4(), **submit)
    if counted:
        counters.count_pending(quiz.pk)
    return finished
