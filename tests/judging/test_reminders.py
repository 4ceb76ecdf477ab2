"""Reminding judges: at most once per judge, round and interval (default 24 hours)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.sms import MemorySMSBackend
from competitions.judging import reminders
from competitions.judging.models import Assignment, JudgeReminder
from outbox.models import OutboxMessage
from tests.factories.contests import EntryFactory
from tests.factories.judging import JudgingPanelFactory, JudgingRoundFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def sent_to() -> list[int]:
    return [
        message.args[1]
        for message in OutboxMessage.objects.filter(target=reminders.SEND_TARGET).order_by("pk")
    ]


@pytest.fixture
def round():
    """Two judges, each with one unscored entry."""
    round = JudgingRoundFactory()
    ann, bob = UserFactory(username="judge_ann"), UserFactory(username="judge_bob")
    JudgingPanelFactory(round=round, judges=[ann, bob])
    entry = EntryFactory(contest=round.contest)
    for judge in (ann, bob):
        Assignment.objects.create(round=round, entry=entry, judge=judge)
    return round


def judge(name):
    return Assignment.objects.get(judge__username=name).judge


def test_a_second_reminder_within_the_interval_sends_nothing(round):
    now = timezone.now()
    first = reminders.remind_judges(round, now=now)
    second = reminders.remind_judges(round, now=now + 23 * HOUR)

    assert sorted(first.reminded) == sorted([judge("judge_ann").pk, judge("judge_bob").pk])
    assert second.reminded == []
    assert set(second.too_soon) == set(first.reminded)
    assert second.too_soon[judge("judge_ann").pk] == now + 24 * HOUR
    assert len(sent_to()) == 2
    assert JudgeReminder.objects.count() == 2


def test_after_the_interval_a_judge_can_be_reminded_again(round):
    now = timezone.now()
    reminders.remind_judges(round, now=now)

    again = reminders.remind_judges(round, now=now + 24 * HOUR)

    assert len(again.reminded) == 2
    assert len(sent_to()) == 4


def test_the_interval_is_configurable(round, settings):
    settings.KEPU_JUDGE_REMINDER_INTERVAL_HOURS = 2
    now = timezone.now()
    reminders.remind_judges(round, now=now)

    assert reminders.remind_judges(round, now=now + HOUR).reminded == []
    assert len(reminders.remind_judges(round, now=now + 2 * HOUR).reminded) == 2


def test_one_judge_can_be_reminded_alone_and_the_others_later(round):
    now = timezone.now()
    ann, bob = judge("judge_ann"), judge("judge_bob")

    alone = reminders.remind_judges(round, judge_ids=[ann.pk], now=now)
    everyone = reminders.remind_judges(round, now=now + HOUR)

    assert alone.reminded == [ann.pk]
    assert everyone.reminded == [bob.pk] and list(everyone.too_soon) == [ann.pk]
    assert sent_to() == [ann.pk, bob.pk]


def test_the_interval_counts_per_round(round):
    now = timezone.now()
    ann = judge("judge_ann")
    other = JudgingRoundFactory(number=2, name="终评", rubric=round.rubric, contest=round.contest)
    Assignment.objects.create(round=other, entry=EntryFactory(contest=round.contest), judge=ann)
    reminders.remind_judges(round, judge_ids=[ann.pk], now=now)

    assert reminders.remind_judges(other, now=now + HOUR).reminded == [ann.pk]


def test_a_second_click_says_so_in_chinese_and_sends_nothing(client, organiser, round):
    client.force_login(organiser)
    url = reverse("judging_admin:remind", args=[round.pk])
    client.post(url)
    before = sent_to()

    response = client.post(url, follow=True)

    assert response.status_code == 200
    assert sent_to() == before
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("24 小时" in text and "judge_ann" in text for text in warnings)
    html = response.content.decode()
    assert "judge_ann" in html and "24 小时" in html


def test_the_progress_page_shows_when_each_judge_was_last_reminded(client, organiser, round):
    client.force_login(organiser)
    ann = judge("judge_ann")
    client.post(reverse("judging_admin:remind", args=[round.pk]), {"judge": ann.pk})

    response = client.get(reverse("judging_admin:round", args=[round.pk]))

    rows = {row["judge__username"]: row for row in response.context["judges"]}
    assert rows["judge_ann"]["last_reminded"] is not None
    assert rows["judge_bob"]["last_reminded"] is None
    assert sent_to() == [ann.pk]


def test_people_who_may_not_edit_rounds_cannot_remind(client, round):
    client.force_login(UserFactory(is_staff=True))

    response = client.post(reverse("judging_admin:remind", args=[round.pk]))

    assert response.status_code in (302, 403)
    assert sent_to() == []
    assert not JudgeReminder.objects.exists()


def test_a_judge_with_a_verified_mobile_number_also_gets_a_text(
    round, django_capture_on_commit_callbacks
):
    MemorySMSBackend.clear()
    ann = judge("judge_ann")
    ann.phone, ann.phone_verified = "+8613900000001", True
    ann.save()

    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_judges(round, judge_ids=[ann.pk])

    (text,) = MemorySMSBackend.outbox
    assert text.phone == "+8613900000001" and text.template == "judge_reminder"
    assert text.params["count"] == 1 and text.params["link"].endswith("/judge/")
    assert [message.to for message in mail.outbox] == [[ann.email]]
