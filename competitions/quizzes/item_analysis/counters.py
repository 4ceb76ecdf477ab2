"""The item-analysis counters: every finished attempt added once, by the worker.

The submit's transaction (attempts._score) only marks the attempt (`items_pending`) and
calls `schedule()`, which records an outbox message for the quiz unless one is already
waiting; the request does not write the counters, whose rows every submit of a quiz would
otherwise queue on. The job (`count_pending`, outbox job "quizzes.count_items") adds every
marked attempt of the quiz in one transaction that also clears their marks, so a retried,
duplicated or concurrent job never counts an attempt twice, and a job that fails counts none.
The statistics lag the submits by the message's delay and the relay (about half a minute);
the minutely housekeeping task (`count_all_pending`) catches anything a lost message left.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count

from outbox import services as outbox
from outbox.jobs import job

from .. import papers
from ..models import ItemCounter, Question, Quiz, QuizAttempt
from ..papers import question_of

JOB = "quizzes.count_items"
# A submit's message is due this long after it; later submits of the quiz reuse a waiting
# message while it is still at least MARGIN from due (their transactions commit long before
# the job can run), so a busy quiz gets about one job per (DELAY - MARGIN).
DELAY = timedelta(seconds=10)
MARGIN = timedelta(seconds=5)
# Attempts counted per transaction by the job.
CHUNK = 2000

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


def schedule(quiz_id: int) -> None:
    """Has the worker count the quiz's marked attempts after this transaction commits.

    Call inside the scoring transaction, as its last statement. Records an outbox message
    (one statement) unless one for the quiz is waiting and still MARGIN from due.
    """
    outbox.enqueue_coalesced(JOB, quiz_id, delay=DELAY, margin=MARGIN)


@job(JOB)
def count_pending(quiz_id: int) -> int:
    """Adds the quiz's finished attempts still marked `items_pending` to its counters and
    clears their marks, in the same transaction; returns how many it counted.

    Exactly once: the marked rows are locked and unmarked with the increments, so a job
    running at the same moment waits and then finds them unmarked, and a repeated job finds
    nothing to do.
    """
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None:
        return 0
    material = papers.material_for(quiz)

    def known(question_id) -> bool:
        return question_of(material, question_id) is not None

    counted = 0
    while True:
        with transaction.atomic():
            rows = list(
                QuizAttempt.objects.filter(quiz_id=quiz_id, items_pending=True)
                .order_by("pk")
                .select_for_update()
                .values_list("pk", "paper", "answers", "verdicts", "score")[:CHUNK]
            )
            if not rows:
                return counted
            totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
            for _pk, paper, answers, verdicts, score in rows:
                for key, (n, hits) in cells_of(paper, answers, verdicts, score or 0, known).items():
                    cell = totals[key]
                    cell[0] += n
                    cell[1] += hits
            QuizAttempt.objects.filter(pk__in=[row[0] for row in rows]).update(items_pending=False)
            upsert(quiz_id, totals)
        counted += len(rows)


def count_all_pending() -> int:
    """Counts the marked attempts of every quiz (the minutely safety net behind the outbox
    messages); returns how many it counted."""
    quiz_ids = (
        QuizAttempt.objects.filter(items_pending=True).values_list("quiz_id", flat=True).distinct()
    )
    return sum(count_pending(quiz_id) for quiz_id in list(quiz_ids))


def counted_histogram(quiz_id: int, histogram: dict[int, int]) -> dict[int, int]:
    """`histogram` ({score: finished attempts}) without the attempts the counters do not
    hold yet, so the item analysis weighs its groups over exactly the counted attempts."""
    pending = dict(
        QuizAttempt.objects.filter(quiz_id=quiz_id, items_pending=True)
        .values("score")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("score", "n")
    )
    if not pending:
        return histogram
    counted = {score: n - pending.get(score, 0) for score, n in histogram.items()}
    return {score: n for score, n in counted.items() if n > 0}


def upsert(quiz_id: int, cells: dict[tuple, list[int]], *, replace: bool = False) -> None:
    """Adds (or with `replace`, sets) the cells in one statement per 500, in key order (so
    concurrent writers never deadlock)."""
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
    marked = []
    finished = (
        QuizAttempt.objects.filter(quiz_id=quiz_id)
        .exclude(status=QuizAttempt.Status.IN_PROGRESS)
        .values_list("pk", "paper", "answers", "verdicts", "score", "items_pending")
    )
    for pk, paper, answers, verdicts, score, pending in finished.iterator(chunk_size=chunk_size):
        for key, (n, hits) in cells_of(
            paper, answers, verdicts, score or 0, known_ids.__contains__
        ).items():
            cell = totals[key]
            cell[0] += n
            cell[1] += hits
        count += 1
        if pending:
            marked.append(pk)
    with transaction.atomic():
        ItemCounter.objects.filter(quiz_id=quiz_id).delete()
        upsert(quiz_id, totals, replace=True)
        # Counted here: the worker must not add them again.
        for start in range(0, len(marked), chunk_size):
            QuizAttempt.objects.filter(pk__in=marked[start : start + chunk_size]).update(
                items_pending=False
            )
    return count
