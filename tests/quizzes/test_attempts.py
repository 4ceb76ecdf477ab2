"""The integrity rules of taking a quiz, through the services."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from competitions.quizzes import attempts
from competitions.quizzes.answer_batches import AnswerIn, Batch
from competitions.quizzes.models import (
    AnswerBatch,
    LeaderboardEntry,
    Question,
    QuizAttempt,
    QuizDrawRule,
)
from outbox.models import OutboxMessage
from tests.concurrency import at_once
from tests.factories.quizzes import QuestionFactory, QuizFactory, make_bank

from .paper_helpers import choice_order, correct_tokens, tokens_at, wrong_token

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def quiz():
    return QuizFactory(
        opens_at=shanghai(2026, 1, 1), closes_at=shanghai(2027, 1, 1), attempts_per_day=2
    )


def start(quiz, key="u:1", now=None):
    return attempts.start_attempt(quiz, key=key, now=now or timezone.now())


def answer_all(attempt, tokens, now=None):
    for position, chosen in tokens.items():
        attempts.save_answer(
            attempt, position=position, tokens=chosen, client_token=uuid.uuid4(), now=now
        )


def test_an_attempt_draws_distinct_questions_and_resumes_while_open(quiz):
    attempt = start(quiz)

    assert len(attempt.paper) == 5 == attempt.max_score
    assert len({question_id for question_id, _order in attempt.paper}) == 5
    assert start(quiz).pk == attempt.pk  # a reload resumes the same attempt


def test_quotas_draw_from_each_category_and_difficulty(quiz):
    from tests.factories.quizzes import QuestionCategoryFactory

    hard = QuestionCategoryFactory(bank=quiz.bank)
    QuestionFactory.create_batch(4, bank=quiz.bank, category=hard, difficulty="hard")
    QuizDrawRule.objects.create(quiz=quiz, category=hard, difficulty="hard", count=3)
    QuizDrawRule.objects.create(quiz=quiz, category=None, difficulty="easy", count=2)
    quiz.refresh_from_db()

    attempt = start(quiz)

    drawn = list(Question.objects.filter(pk__in=[pk for pk, _order in attempt.paper]))
    assert sum(1 for q in drawn if q.category_id == hard.pk and q.difficulty == "hard") == 3
    assert sum(1 for q in drawn if q.difficulty == "easy") == 2


def test_option_order_is_shuffled_per_attempt_on_the_server(quiz):
    orders = set()
    for n in range(8):
        attempt = start(quiz, key=f"u:{n}")
        question = Question.objects.get(pk=attempt.paper[0][0])
        orders.add(tuple(choice_order(attempt, 1)))
        assert sorted(choice_order(attempt, 1)) == sorted(
            question.choices.values_list("pk", flat=True)
        )
    assert len(orders) > 1


def test_daily_limit_uses_the_shanghai_day(quiz):
    late = shanghai(2026, 5, 1, 23, 50)
    for minute in (0, 20):
        attempt = start(quiz, now=late - datetime.timedelta(minutes=minute))
        attempts.submit_attempt(attempt, client_token=uuid.uuid4(), now=late)

    with pytest.raises(attempts.AttemptLimitReached) as refused:
        start(quiz, now=late + datetime.timedelta(minutes=5))
    assert "明天" in str(refused.value.message)

    next_day = start(quiz, now=shanghai(2026, 5, 2, 0, 5))  # 16:05 UTC, same UTC day
    assert next_day.day == datetime.date(2026, 5, 2)


def test_total_limit(quiz):
    quiz.attempts_total = 1
    quiz.save()
    attempt = start(quiz)
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    with pytest.raises(attempts.AttemptLimitReached):
        start(quiz, now=timezone.now() + datetime.timedelta(days=3))


def test_closed_quiz_refuses_to_start(quiz):
    with pytest.raises(attempts.QuizNotOpen):
        start(quiz, now=shanghai(2027, 1, 2))


def test_full_marks_scores_everything_and_tops_the_leaderboard(quiz):
    attempt = start(quiz)
    answer_all(attempt, correct_tokens(attempt))

    finished = attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    assert finished.score == 5 and finished.status == "submitted"
    entry = LeaderboardEntry.objects.get(quiz=quiz)
    assert entry.attempt_id == attempt.pk and attempts.rank_of(entry) == 1


def test_a_wrong_or_missing_answer_does_not_score(quiz):
    attempt = start(quiz)
    tokens = correct_tokens(attempt)
    wrong = [token for token in tokens_at(attempt, 1) if [token] != tokens[1]][:1]
    tokens[1] = wrong
    del tokens[2]
    answer_all(attempt, tokens)

    assert attempts.submit_attempt(attempt, client_token=uuid.uuid4()).score == 3


def test_the_same_save_twice_is_applied_once(quiz):
    attempt = start(quiz)
    token = uuid.uuid4()
    chosen = correct_tokens(attempt)[1]

    first = attempts.save_answer(attempt, position=1, tokens=chosen, client_token=token)
    again = attempts.save_answer(attempt, position=1, tokens=chosen, client_token=token)

    assert not first.replayed and again.replayed and again.saved_at == first.saved_at
    assert AnswerBatch.objects.count() == 1


@pytest.mark.parametrize(
    "tokens", [["not-a-token"], [], ["aaaaaaaaaaaaaaaa"]], ids=["unknown", "empty", "forged"]
)
def test_unknown_options_are_refused_and_change_nothing(quiz, tokens):
    attempt = start(quiz)

    with pytest.raises(attempts.InvalidAnswer):
        attempts.save_answer(attempt, position=1, tokens=tokens, client_token=uuid.uuid4())
    assert not AnswerBatch.objects.exists()


def test_an_option_of_another_attempt_is_refused(quiz):
    mine, theirs = start(quiz, key="u:1"), start(quiz, key="u:2")
    foreign = tokens_at(theirs, 1)[:1]

    with pytest.raises(attempts.InvalidAnswer):
        attempts.save_answer(mine, position=1, tokens=foreign, client_token=uuid.uuid4())


def test_single_choice_takes_exactly_one_option(quiz):
    attempt = start(quiz)
    two = tokens_at(attempt, 1)[:2]

    with pytest.raises(attempts.InvalidAnswer):
        attempts.save_answer(attempt, position=1, tokens=two, client_token=uuid.uuid4())


def test_answers_after_the_deadline_do_not_count(quiz):
    began = timezone.now() - datetime.timedelta(minutes=20)
    attempt = start(quiz, now=began)
    tokens = correct_tokens(attempt)
    in_time = began + datetime.timedelta(minutes=5)
    attempts.save_answer(
        attempt, position=1, tokens=tokens[1], client_token=uuid.uuid4(), now=in_time
    )

    with pytest.raises(attempts.DeadlinePassed):
        attempts.save_answer(attempt, position=2, tokens=tokens[2], client_token=uuid.uuid4())

    finished = attempts.submit_attempt(attempt, client_token=uuid.uuid4())
    assert finished.score == 1 and finished.status == "expired"
    assert finished.duration_ms == 600_000  # capped at the time limit


def test_open_attempts_past_their_deadline_are_finalised_with_saved_answers(quiz):
    began = timezone.now() - datetime.timedelta(minutes=30)
    attempt = start(quiz, now=began)
    tokens = correct_tokens(attempt)
    attempts.save_answer(
        attempt,
        position=1,
        tokens=tokens[1],
        client_token=uuid.uuid4(),
        now=began + datetime.timedelta(minutes=1),
    )

    assert attempts.finalize_expired() == 1

    attempt.refresh_from_db()
    assert attempt.status == "expired" and attempt.score == 1


def test_submitting_twice_finalises_once_and_returns_the_same_result(quiz):
    attempt = start(quiz)
    answer_all(attempt, correct_tokens(attempt))
    token = uuid.uuid4()

    first = attempts.submit_attempt(attempt, client_token=token)
    again = attempts.submit_attempt(attempt, client_token=token)
    other_tab = attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    assert first.score == again.score == other_tab.score == 5
    assert first.submitted_at == again.submitted_at == other_tab.submitted_at
    assert OutboxMessage.objects.filter(target__endswith="issue_certificate").count() == 1


def test_no_answer_is_accepted_after_submission(quiz):
    attempt = start(quiz)
    tokens = correct_tokens(attempt)
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())
    attempt.refresh_from_db()

    with pytest.raises(attempts.AttemptFinished):
        attempts.save_answer(attempt, position=1, tokens=tokens[1], client_token=uuid.uuid4())


def test_a_late_save_carrying_what_the_submit_held_is_answered_as_a_replay(quiz):
    """A save still on its way (or a beacon) when the submit carried the same answers changes
    nothing and tells the page the attempt is finished; a different late answer is refused."""
    attempt = start(quiz)
    tokens = correct_tokens(attempt)
    held = Batch(
        token=uuid.uuid4(),
        answers=(AnswerIn(position=1, sequence=3, tokens=tuple(tokens[1])),),
    )
    attempts.submit_attempt(attempt, client_token=uuid.uuid4(), batch=held)
    attempt.refresh_from_db()
    stored, batches = attempt.answers, AnswerBatch.objects.count()

    late = Batch(token=uuid.uuid4(), answers=held.answers)
    result = attempts.save_answers(attempt.public_id, key=attempt.participant_key, batch=late)

    assert result.finished and result.replayed
    other = wrong_token(attempt, 1)
    changed = Batch(
        token=uuid.uuid4(), answers=(AnswerIn(position=1, sequence=4, tokens=(other,)),)
    )
    with pytest.raises(attempts.AttemptFinished):
        attempts.save_answers(attempt.public_id, key=attempt.participant_key, batch=changed)
    attempt.refresh_from_db()
    assert attempt.answers == stored and AnswerBatch.objects.count() == batches


def test_implausibly_fast_attempts_are_flagged(quiz):
    began = timezone.now() - datetime.timedelta(seconds=30)
    attempt = start(quiz, now=began)
    answer_all(attempt, correct_tokens(attempt), now=began + datetime.timedelta(seconds=3))

    finished = attempts.submit_attempt(
        attempt, client_token=uuid.uuid4(), now=began + datetime.timedelta(seconds=4)
    )

    assert finished.flagged_fast  # 4 s for 5 questions, the floor is 2 s each


def test_leaderboard_orders_by_score_then_time_and_keeps_each_participants_best(quiz):
    def finish(key, correct, seconds):
        began = timezone.now() - datetime.timedelta(minutes=9)
        attempt = start(quiz, key=key, now=began)
        tokens = dict(list(correct_tokens(attempt).items())[:correct])
        answer_all(attempt, tokens, now=began + datetime.timedelta(seconds=1))
        return attempts.submit_attempt(
            attempt, client_token=uuid.uuid4(), now=began + datetime.timedelta(seconds=seconds)
        )

    finish("u:slow", 5, 300)
    finish("u:fast", 5, 100)
    finish("u:low", 3, 50)
    finish("u:low", 4, 200)  # a better second try replaces the first

    board = attempts.top(quiz)
    assert [e.participant_key for e in board] == ["u:fast", "u:slow", "u:low"]
    assert [attempts.rank_of(e) for e in board] == [1, 2, 3]
    assert board[2].score == 4


# Real threads against PostgreSQL (the suite's database); not part of the SQLite run.
@pytest.mark.django_db(transaction=True)
def test_two_tabs_starting_at_once_get_one_attempt(wagtail_tree):
    quiz = QuizFactory(bank=make_bank(10))

    results = at_once([lambda: attempts.start_attempt(quiz, key="u:7").pk] * 4)

    assert QuizAttempt.objects.filter(quiz=quiz, participant_key="u:7").count() == 1
    assert len({r for r in results if isinstance(r, int)}) == 1
    assert all(isinstance(r, int | attempts.QuizError) for r in results)


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_finalise_once(wagtail_tree):
    quiz = QuizFactory(bank=make_bank(10))
    attempt = attempts.start_attempt(quiz, key="u:8")
    answer_all(attempt, correct_tokens(attempt))

    submitted_at = at_once(
        [lambda: attempts.submit_attempt(attempt, client_token=uuid.uuid4()).submitted_at] * 4
    )

    assert not [r for r in submitted_at if isinstance(r, Exception)]
    assert len(set(submitted_at)) == 1
    assert LeaderboardEntry.objects.filter(quiz=quiz).count() == 1
    assert OutboxMessage.objects.filter(target__endswith="issue_certificate").count() == 1


def test_the_periodic_task_finalises_abandoned_attempts(quiz):
    from competitions.quizzes.tasks import finalize_expired_attempts

    start(quiz, now=timezone.now() - datetime.timedelta(hours=1))

    assert finalize_expired_attempts() == 1
    assert QuizAttempt.objects.get().status == "expired"


def test_a_participants_attempts_are_in_their_data_export_and_go_with_their_account(quiz):
    from accounts.exports import collect_sections
    from tests.factories.users import UserFactory

    user = UserFactory()
    attempt = attempts.start_attempt(quiz, key=attempts.participant_key(user), user=user)
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    sections = {section.name: section for section in collect_sections(user)}
    assert sections["quiz_attempts"].data[0]["quiz"] == quiz.title

    user.delete()
    assert not QuizAttempt.objects.exists() and not LeaderboardEntry.objects.exists()


def test_the_allowance_says_when_the_daily_limit_lifts(quiz):
    evening = shanghai(2026, 5, 1, 20, 0)
    for minute in (0, 10):
        attempt = start(quiz, now=evening + datetime.timedelta(minutes=minute))
        attempts.submit_attempt(attempt, client_token=uuid.uuid4(), now=evening)

    allowance = attempts.allowance(quiz, "u:1", now=evening + datetime.timedelta(hours=1))

    assert allowance.used_up == "daily" and allowance.used_today == 2
    assert allowance.next_start == shanghai(2026, 5, 2)
    assert attempts.allowance(quiz, "u:1", now=shanghai(2026, 5, 2, 0, 0)).used_up == ""


def test_the_allowance_has_no_next_start_when_the_quiz_closes_before_it(quiz):
    quiz.closes_at = shanghai(2026, 5, 1, 23, 0)
    quiz.save()
    for minute in (0, 10):
        attempt = start(quiz, now=shanghai(2026, 5, 1, 20, minute))
        attempts.submit_attempt(attempt, client_token=uuid.uuid4(), now=shanghai(2026, 5, 1, 21))

    allowance = attempts.allowance(quiz, "u:1", now=shanghai(2026, 5, 1, 22))

    assert allowance.used_up == "daily" and allowance.next_start is None


@pytest.mark.sqlite
def test_the_allowance_counts_todays_and_every_attempt_and_finds_the_open_one():
    quiz = QuizFactory(attempts_per_day=0, opens_at=timezone.now() - datetime.timedelta(days=3))
    yesterday = timezone.now() - datetime.timedelta(days=1)
    for when in (yesterday, yesterday + datetime.timedelta(minutes=30)):
        old = attempts.start_attempt(quiz, key="u:5", now=when)
        attempts.submit_attempt(old, client_token=uuid.uuid4(), now=when)
    done = attempts.start_attempt(quiz, key="u:5")
    attempts.submit_attempt(done, client_token=uuid.uuid4())
    open_one = attempts.start_attempt(quiz, key="u:5")
    attempts.start_attempt(quiz, key="u:6")

    mine = attempts.allowance(quiz, "u:5")

    assert (mine.used_today, mine.used_total, mine.open_attempt_id) == (2, 4, open_one.pk)
    assert mine.used_up == "" and attempts.allowance(quiz, "u:7").used_total == 0


def test_the_allowance_reports_every_attempt_used_before_the_daily_limit(quiz):
    quiz.attempts_total = 1
    quiz.save()
    attempts.submit_attempt(start(quiz), client_token=uuid.uuid4())

    allowance = attempts.allowance(quiz, "u:1")

    assert allowance.used_up == "total" and allowance.next_start is None
    with pytest.raises(attempts.AttemptLimitReached) as refused:
        start(quiz)
    assert "全部" in str(refused.value.message)
