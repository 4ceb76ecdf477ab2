"""The item-analysis counters: added to by every scored attempt, in its transaction.

`add()` runs inside the submit transaction (attempts._score), so a finished attempt is
counted exactly once: the attempt's row lock and status check make finalising happen once,
and the counters commit or roll back with it. It writes one statement (an upsert of a few
cells per question, in a fixed order so concurrent submits never deadlock), whatever the
number of attempts already counted.
"""

from collections import defaultdict

from django.db import connection, transaction

from ..models import ItemCounter, Question, QuizAttempt
from ..papers import question_of

SCORE = ItemCounter.Kind.SCORE.value
CHOICE = ItemCounter.Kind.CHOICE.value
POSITION = ItemCounter.Kind.POSITION.value
UNANSWERED = 0


def cells_of(paper, answers, verdicts: str, score: int, known) -> dict[tuple, list[int]]:
    """The counter cells one scored attempt adds: {(question, kind, key): [n, hits]}.

    `known(question_id)` says whether the question still exists (a deleted one is skipped).
    """
    cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for position, (question_id, order) in enumerate(paper, start=1):
        if not known(question_id):
            continue
        answer = answers[position - 1] if position <= len(answers) else None
        selected = answer[1] if answer else []
        cell = cells[(question_id, SCORE, score)]
        cell[0] += 1
        cell[1] += verdicts[position - 1 : position] == "1"
        if not selected:
            cells[(question_id, CHOICE, UNANSWERED)][1] += 1
        for choice_id in selected:
            cells[(question_id, CHOICE, choice_id)][1] += 1
            if choice_id in order:
                cells[(question_id, POSITION, order.index(choice_id) + 1)][1] += 1
    return cells


def add(attempt: QuizAttempt, material) -> None:
    """Adds the scored `attempt` to its quiz's counters (call inside its transaction)."""
    cells = cells_of(
        attempt.paper,
        attempt.answers,
        attempt.verdicts,
        attempt.score,
        lambda question_id: question_of(material, question_id) is not None,
    )
    upsert(attempt.quiz_id, cells)


def upsert(quiz_id: int, cells: dict[tuple, list[int]], *, replace: bool = False) -> None:
    """Adds (or with `replace`, sets) the cells in one statement per 500, in key order."""
    table = ItemCounter._meta.db_table
    rows = sorted(cells.items())
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        values = []
        for (question_id, kind, key), (n, hits) in chunk:
            values += [quiz_id, question_id, kind, key, n, hits]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (quiz_id, question_id, kind, key, n, hits) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (quiz_id, question_id, kind, key) DO UPDATE SET "
                + ", ".join(
                    f"{column} = "
                    + (f"excluded.{column}" if replace else f"{table}.{column} + excluded.{column}")
                    for column in ("n", "hits")
                ),
                values,
            )


def rebuild(quiz_id: int, *, chunk_size: int = 5000) -> int:
    """Recounts the quiz's counters from its finished attempts; returns how many it read.

    For migrations, the benchmark's seed and repairs: it replaces the counters in one
    transaction but is not synchronised with submits running at the same moment, so run it
    while the quiz takes no submissions (before it opens, or after it closed).
    """
    known_ids = set(Question.objects.values_list("pk", flat=True))
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    count = 0
    finished = (
        QuizAttempt.objects.filter(quiz_id=quiz_id)
        .exclude(status=QuizAttempt.Status.IN_PROGRESS)
        .values_list("paper", "answers", "verdicts", "score")
    )
    for paper, answers, verdicts, score in finished.iterator(chunk_size=chunk_size):
        for key, (n, hits) in cells_of(
            paper, answers, verdicts, score or 0, known_ids.__contains__
        ).items():
            cell = totals[key]
            cell[0] += n
            cell[1] += hits
        count += 1
    with transaction.atomic():
        ItemCounter.objects.filter(quiz_id=quiz_id).delete()
        upsert(quiz_id, totals, replace=True)
    return count
