"""notifications/services.py: told once, after the commit, by text and e-mail, at a pace."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from accounts.exports import collect_sections
from accounts.sms import MemorySMSBackend
from notifications.models import Notification
from notifications.services import DELIVER_TARGET, MAX_ATTEMPTS, Message, deliver_pending, notify
from outbox.models import OutboxMessage
from tests.factories.users import PhoneUserFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

NOW = datetime.datetime(2026, 12, 1, 2, 0, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def sms_outbox():
    MemorySMSBackend.clear()
    yield MemorySMSBackend.outbox
    MemorySMSBackend.clear()


def message(user, key="award:1"):
    return Message(
        user=user,
        kind="award_won",
        key=key,
        subject="您的作品获奖了",
        text="[科普在线] 您的作品获得一等奖。",
        params={"contest": "读后感征集", "award": "一等奖", "number": "C1-0001", "link": "x"},
    )


def both_channels():
    user = PhoneUserFactory(email="reader@example.org")
    return user


def test_a_person_is_told_by_text_and_by_e_mail_after_the_commit(
    sms_outbox, django_capture_on_commit_callbacks
):
    user = both_channels()

    with django_capture_on_commit_callbacks(execute=True):
        assert notify([message(user)]) == 2
        assert sms_outbox == [] and mail.outbox == []  # nothing before the commit

    (text,) = sms_outbox
    assert text.phone == user.phone and text.template == "award_won"
    assert text.params["award"] == "一等奖"
    assert mail.outbox[0].to == ["reader@example.org"]
    assert mail.outbox[0].subject == "您的作品获奖了"
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_only_channels_that_reach_the_person_are_used():
    unverified = PhoneUserFactory(phone_verified=False, email="")
    email_only = UserFactory()

    assert notify([message(unverified), message(email_only, "award:2")]) == 1
    assert Notification.objects.get().channel == Notification.Channel.EMAIL


def test_nobody_is_told_twice_about_one_occasion(sms_outbox, django_capture_on_commit_callbacks):
    user = both_channels()
    with django_capture_on_commit_callbacks(execute=True):
        notify([message(user)])
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([message(user)]) == 0

    assert len(sms_outbox) == 1 and len(mail.outbox) == 1


def test_a_rolled_back_transaction_tells_nobody(sms_outbox):
    user = both_channels()

    with pytest.raises(RuntimeError), transaction.atomic():
        notify([message(user)])
        raise RuntimeError("the publishing failed")

    assert not Notification.objects.exists()
    assert sms_outbox == []


def test_texts_beyond_the_minutes_quota_wait_for_the_next_minute(settings, sms_outbox):
    settings.KEPU_NOTIFY_SMS_PER_MINUTE = 2
    users = [PhoneUserFactory() for _ in range(5)]
    notify([message(user, f"award:{n}") for n, user in enumerate(users)])
    OutboxMessage.objects.update(dispatched_at=NOW, completed_at=NOW)  # this delivery ran

    assert deliver_pending(now=NOW) == 2
    assert deliver_pending(now=NOW) == 0  # same minute: the quota is used up

    assert len(sms_outbox) == 2
    assert Notification.objects.filter(status="pending").count() == 3
    (later,) = OutboxMessage.objects.filter(target=DELIVER_TARGET, dispatched_at__isnull=True)
    assert later.available_at > timezone.now()

    assert deliver_pending(now=NOW + datetime.timedelta(minutes=1)) == 2
    assert len(sms_outbox) == 4


def test_a_refused_text_is_marked_failed_with_the_gateways_reason(settings, gateway_refusing):
    user = PhoneUserFactory()
    notify([message(user)])

    deliver_pending(now=NOW)

    notification = Notification.objects.get()
    assert notification.status == "failed"
    assert "isv.MOBILE_NUMBER_ILLEGAL" in notification.error


def test_an_unreachable_gateway_is_tried_again_later_then_given_up(settings):
    settings.KEPU_SMS_BACKEND = "tests.notifications.test_services.UnreachableGateway"
    notify([message(PhoneUserFactory())])

    for minute in range(MAX_ATTEMPTS):
        deliver_pending(now=NOW + datetime.timedelta(minutes=minute))

    notification = Notification.objects.get()
    assert notification.attempts == MAX_ATTEMPTS
    assert notification.status == "failed"


def test_a_notification_claimed_by_a_worker_that_died_is_sent_later(sms_outbox):
    notify([message(PhoneUserFactory())])
    Notification.objects.update(status="sending", claimed_at=NOW - datetime.timedelta(hours=1))

    assert deliver_pending(now=NOW) == 1
    assert len(sms_outbox) == 1


def test_a_persons_notifications_are_in_their_data_export():
    user = both_channels()
    notify([message(user)])

    sections = {section.name: section.data for section in collect_sections(user)}

    assert {row["channel"] for row in sections["notifications"]} == {"sms", "email"}


class UnreachableGateway:
    def send(self, phone, message, **template):
        from accounts.sms_providers import SMSSendingFailed

        raise SMSSendingFailed("unreachable", "connection refused")


@pytest.fixture
def gateway_refusing(settings):
    settings.KEPU_SMS_BACKEND = "tests.notifications.test_services.RefusingGateway"


class RefusingGateway:
    def send(self, phone, message, **template):
        from accounts.sms_providers import SMSSendingFailed

        raise SMSSendingFailed("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
