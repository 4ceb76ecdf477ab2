"""competitions/submissions/results/notifications.py: authors of awards are told, once."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.sms import MemorySMSBackend
from competitions.submissions.models import AwardCertificate
from competitions.submissions.results.notifications import notify_award_winners
from notifications.models import Notification
from tests.factories.organisers import OrganiserFactory
from tests.submissions.results.helpers import published_contest

pytestmark = pytest.mark.django_db


def test_the_desk_tells_each_awarded_author_once_with_their_certificate(
    client, django_capture_on_commit_callbacks
):
    MemorySMSBackend.clear()
    contest, entries, *_ = published_contest()
    author = entries[0].author
    author.phone, author.phone_verified = "+8613812345678", True
    author.save()
    client.force_login(OrganiserFactory())
    url = reverse("contest_results_admin:notify", args=[contest.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    assert "条通知正在发送" in response.text
    (text,) = MemorySMSBackend.outbox
    certificate = AwardCertificate.objects.get(award__entry=entries[0], holder="student")
    assert text.template == "award_won" and text.params["award"] == "一等奖"
    assert text.params["link"].endswith(f"/contest/award-certificate/{certificate.code}/")
    # Four published awards, each author told once by e-mail (one also by text).
    assert len(mail.outbox) == 4
    assert Notification.objects.count() == 5
    desk = client.get(reverse("contest_results_admin:contest", args=[contest.pk])).text
    assert "已发送：5" in desk


def test_winners_are_not_told_before_the_results_are_public(client):
    contest, *_ = published_contest(phase="review")
    client.force_login(OrganiserFactory())

    response = client.post(reverse("contest_results_admin:notify", args=[contest.pk]), follow=True)

    assert notify_award_winners(contest) == 0
    assert "结果公布后" in response.text
    assert not Notification.objects.exists()
