import contextlib
import datetime
import uuid

from django.db import connection
from django.db.models import Field, ForeignKey
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competitions.quizzes.models import QuizAttempt
from competitions.voting import services as voting
from competitions.voting.models import Vote
from kepu.postgresql.base import MAX_SERVER_SIDE_PARAMS
from kepu.postgresql.lookups import ArrayIn, RelatedArrayIn
from outbox.models import OutboxMessage
from tests.factories.quizzes import FinishedAttemptFactory, QuizFactory
from tests.factories.users import UserFactory
from tests.factories.voting import VoterFactory, VotingEntryFactory

BEYOND_THE_LIMIT = 70_000
assert BEYOND_THE_LIMIT > MAX_SERVER_SIDE_PARAMS


def _messages(count):
    due = timezone.now() + datetime.timedelta(days=1)
    messages = [
        OutboxMessage(target="tests.noop", args=[n], available_at=due) for n in range(count)
    ]
    return OutboxMessage.objects.bulk_create(messages)


def _missing_ids(count):
    """Ids no row has: beyond every sequence the test database can reach."""
    return list(range(10**12, 10**12 + count))


@contextlib.contextmanager
def _statements():
    """The (sql, params) pairs sent to PostgreSQL, as psycopg receives them."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent


def test_every_field_and_relation_compiles_in_as_an_array(db):
    assert Field.get_lookups()["in"] is ArrayIn
    assert ForeignKey.get_lookups()["in"] is RelatedArrayIn
    assert QuizAttempt._meta.get_field("public_id").get_lookup("in") is ArrayIn
    assert QuizAttempt._meta.get_field("quiz").get_lookup("in") is RelatedArrayIn


def test_integers_beyond_the_parameter_limit_find_exactly_their_rows(db):
    messages = _messages(1_000)
    wanted = {message.pk for message in messages[::3]}
    values = [*wanted, *_missing_ids(BEYOND_THE_LIMIT - len(wanted))]

    found = set(OutboxMessage.objects.filter(pk__in=values).values_list("pk", flat=True))

    assert found == wanted


def test_uuids_beyond_the_parameter_limit_find_exactly_their_rows(db):
    attempts = FinishedAttemptFactory.create_batch(4, quiz=QuizFactory())
    wanted = {attempts[0].public_id, attempts[2].public_id}
    values = [*wanted, *(uuid.uuid4() for _ in range(BEYOND_THE_LIMIT))]

    found = set(QuizAttempt.objects.filter(public_id__in=values).values_list("pk", flat=True))

    assert found == {attempts[0].pk, attempts[2].pk}


def test_a_relation_beyond_the_parameter_limit_takes_instances_and_ids(db):
    quiz = QuizFactory()
    users = UserFactory.create_batch(3)
    attempts = [FinishedAttemptFactory(quiz=quiz, user=user) for user in users]
    values = [users[0], users[1].pk, *_missing_ids(BEYOND_THE_LIMIT)]

    found = set(QuizAttempt.objects.filter(user__in=values).values_list("pk", flat=True))

    assert found == {attempts[0].pk, attempts[1].pk}
    assert QuizAttempt.objects.filter(quiz__in=[quiz]).count() == 3


def test_a_reverse_relation_compares_the_remote_column(db):
    user = UserFactory()
    attempt = FinishedAttemptFactory(quiz=QuizFactory(), user=user)
    FinishedAttemptFactory(quiz=attempt.quiz, user=UserFactory())
    users = type(user).objects

    assert list(users.filter(quiz_attempts__in=[attempt])) == [user]
    assert list(users.filter(quiz_attempts__in=[attempt.pk, *_missing_ids(10)])) == [user]


def test_exclude_with_a_list_beyond_the_parameter_limit_keeps_the_others(db):
    messages = _messages(300)
    dropped = [message.pk for message in messages[:100]]

    kept = OutboxMessage.objects.exclude(pk__in=[*dropped, *_missing_ids(BEYOND_THE_LIMIT)])

    assert set(kept.values_list("pk", flat=True)) == {message.pk for message in messages[100:]}


def test_none_in_the_list_is_ignored_as_django_does(db):
    quiz = QuizFactory()
    signed_in = FinishedAttemptFactory(quiz=quiz, user=UserFactory())
    FinishedAttemptFactory(quiz=quiz, user=None)

    assert list(QuizAttempt.objects.filter(user__in=[None, signed_in.user_id])) == [signed_in]
    assert not QuizAttempt.objects.filter(user__in=[None]).exists()
    # NOT IN a list holding NULL would match nothing in SQL; Django drops the NULL instead.
    assert QuizAttempt.objects.exclude(user__in=[None, signed_in.user_id]).count() == 1


def test_an_empty_list_sends_no_query(db):
    _messages(2)

    with CaptureQueriesContext(connection) as queries:
        assert list(OutboxMessage.objects.filter(pk__in=[])) == []
        assert list(QuizAttempt.objects.filter(user__in=[])) == []

    assert len(queries) == 0
    assert OutboxMessage.objects.exclude(pk__in=[]).count() == 2


def test_a_subquery_in_is_left_to_django(db):
    quiz = QuizFactory()
    user = UserFactory()
    attempt = FinishedAttemptFactory(quiz=quiz, user=user)
    FinishedAttemptFactory(quiz=quiz)

    with _statements() as sent:
        found = list(QuizAttempt.objects.filter(user__in=type(user).objects.filter(pk=user.pk)))

    assert found == [attempt]
    assert " IN (SELECT " in sent[0][0]


def test_a_list_is_one_parameter_and_one_statement_whatever_its_length(db):
    messages = _messages(300)

    with _statements() as sent:
        assert OutboxMessage.objects.filter(pk__in=[m.pk for m in messages[:3]]).count() == 3
        assert OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).count() == 300

    (short_sql, short_params), (long_sql, long_params) = sent
    assert short_sql == long_sql
    assert " = ANY(%s::bigint[])" in short_sql
    assert len(short_params) == len(long_params) == 1
    assert len(long_params[0]) == 300


def test_duplicates_are_sent_once(db):
    message = _messages(1)[0]

    with _statements() as sent:
        assert OutboxMessage.objects.filter(pk__in=[message.pk] * 5).count() == 1

    assert sent[0][1] == ([message.pk],)


def test_the_array_has_the_column_type_so_its_index_is_used(db):
    quiz = QuizFactory()
    attempt = FinishedAttemptFactory(quiz=quiz, user=UserFactory())
    filters = {
        "pk__in": [attempt.pk],  # bigint
        "public_id__in": [attempt.public_id],  # uuid
        "user__in": [attempt.user],  # bigint, through the relation
        "quiz__in": [quiz.pk],  # bigint, the first column of several indexes
    }
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    for lookup, values in filters.items():
        plan = QuizAttempt.objects.filter(**{lookup: values}).explain()
        assert "Index" in plan, (lookup, plan)
        assert QuizAttempt.objects.filter(**{lookup: values}).get() == attempt


def test_dates_and_limited_text_compare_as_their_column_types(db):
    attempt = FinishedAttemptFactory(quiz=QuizFactory())

    with _statements() as sent:
        by_day = QuizAttempt.objects.filter(day__in=[attempt.day, datetime.date(2000, 1, 1)])
        by_key = QuizAttempt.objects.filter(participant_key__in=[attempt.participant_key, "u:0"])
        assert list(by_day) == list(by_key) == [attempt]

    assert "::date[]" in sent[0][0]
    assert "::varchar(64)[]" in sent[1][0]


def test_voiding_more_votes_than_the_parameter_limit_voids_every_one(db):
    # void_votes (competitions/voting/services.py) sends the ids of every vote it voids in
    # one `pk__in`: a ballot-stuffing night can exceed the 65,535 parameters.
    entry = VotingEntryFactory()
    voter = VoterFactory()
    first_day = datetime.date(1900, 1, 1)
    now = timezone.now()
    Vote.objects.bulk_create(
        Vote(
            entry=entry,
            contest=entry.contest,
            voter=voter,
            day=first_day + datetime.timedelta(days=n),
            slot=1,
            created_at=now,
        )
        for n in range(BEYOND_THE_LIMIT)
    )

    record = voting.void_votes(
        Vote.objects.filter(voter=voter), contest=entry.contest, actor=None, reason="刷票"
    )

    assert record.votes_affected == BEYOND_THE_LIMIT
    assert Vote.objects.filter(voided=True).count() == BEYOND_THE_LIMIT
