import datetime

import pytest
from django.utils import timezone

from accounts.sms import MemorySMSBackend
from competitions.bookdrift import reminders
from competitions.bookdrift.models import DriftReminder, ReaderNotice
from tests.bookdrift.helpers import anonymous, catch, release
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.users import PhoneUserFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _sms():
    MemorySMSBackend.clear()
    yield
    MemorySMSBackend.clear()


def held_since(days: int, user=None, **campaign):
    copy = CopyFactory(campaign=CampaignFactory(**campaign))
    catch(copy, user or UserFactory(), now=timezone.now() - days * DAY)
    return copy


def remind(campaign, now=None, by=None):
    return reminders.remind_overdue(campaign, by=by, now=now or timezone.now())


def test_a_reader_within_the_reading_period_is_not_reminded():
    copy = held_since(10)

    outcome = remind(copy.campaign)

    assert outcome.reminded == [] and not DriftReminder.objects.exists()


def test_an_overdue_reader_with_a_verified_phone_gets_one_text_message(
    django_capture_on_commit_callbacks,
):
    reader = PhoneUserFactory()
    copy = held_since(22, reader)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = remind(copy.campaign)

    assert outcome.reminded == [copy.pk]
    texts = MemorySMSBackend.messages_to(reader.phone)
    (sent,) = [m for m in MemorySMSBackend.outbox if m.phone == reader.phone]
    assert sent.template == "drift_reminder" and set(sent.params) == {"title", "days", "link"}
    assert len(texts) == 1 and copy.book.title in texts[0] and f"/d/{copy.code}" in texts[0]
    reminder = DriftReminder.objects.get()
    assert reminder.status == "sent" and reminder.channel == "sms"


def test_a_reader_without_a_phone_gets_a_message_on_their_drift_page(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory()
    copy = held_since(22, reader)

    with django_capture_on_commit_callbacks(execute=True):
        remind(copy.campaign)

    notice = ReaderNotice.objects.get(reader=reader)
    assert notice.kind == "reminder" and copy.book.title in notice.text


def test_a_reader_is_reminded_at_most_once_per_interval(django_capture_on_commit_callbacks):
    reader = PhoneUserFactory()
    copy = held_since(22, reader, reminder_interval_days=7)
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        first = remind(copy.campaign, now)
        same_day = remind(copy.campaign, now + datetime.timedelta(hours=3))
        six_days = remind(copy.campaign, now + 6 * DAY)
        a_week = remind(copy.campaign, now + 7 * DAY)

    assert first.reminded == [copy.pk]
    assert same_day.reminded == [] and copy.pk in same_day.too_soon
    assert six_days.reminded == []
    assert a_week.reminded == [copy.pk]
    assert len(MemorySMSBackend.messages_to(reader.phone)) == 2


def test_the_database_keeps_one_reminder_per_holding_and_period():
    from django.db import IntegrityError

    copy = held_since(22)
    step = copy.steps.get()
    values = {"copy": copy, "catch": step, "reader": step.reader, "period": 0, "channel": "site"}
    DriftReminder.objects.create(created_at=timezone.now(), **values)

    with pytest.raises(IntegrityError):
        DriftReminder.objects.create(created_at=timezone.now(), **values)


def test_anonymous_holders_are_listed_not_reminded():
    copy = CopyFactory(campaign=CampaignFactory(allow_anonymous=True))
    catch(copy, anonymous(), now=timezone.now() - 25 * DAY)

    outcome = remind(copy.campaign)

    assert outcome.anonymous == [copy.pk] and not DriftReminder.objects.exists()


def test_a_reminder_is_skipped_when_the_book_moved_on_before_it_was_sent():
    reader = PhoneUserFactory()
    copy = held_since(22, reader)
    remind(copy.campaign)  # recorded, not yet sent (the commit has not happened)
    release(copy, reader)

    sent = reminders.send_reminder(DriftReminder.objects.get().pk)

    assert not sent and DriftReminder.objects.get().status == "skipped"
    assert MemorySMSBackend.messages_to(reader.phone) == []


def test_organisers_reminders_are_recorded_with_who_asked():
    copy = held_since(22)
    organiser = UserFactory(is_staff=True)

    remind(copy.campaign, by=organiser)

    assert DriftReminder.objects.get().requested_by == organiser


def test_the_daily_task_reminds_every_running_campaign():
    held_since(30)
    held_since(30)
    held_since(3)

    assert reminders.remind_all_campaigns() == 2
