"""The demo contests: loaded through load_demo, in their phases, idempotent."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from competitions.core.models import Unit
from competitions.submissions.models import (
    AwardCertificate,
    ContestPage,
    Entry,
    EntryAward,
    Phase,
)

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (ContestPage, Entry, EntryAward, AwardCertificate, User, Unit)
    )


def test_the_demo_has_a_contest_with_results_and_one_in_its_public_vote(demo_site):
    reading = ContestPage.objects.get(slug="kexuejia-huiben-duhougan").contest
    video = ContestPage.objects.get(slug="zhijing-kexuejia-jingshen-duanshipin").contest

    assert reading.phase() == Phase.EXHIBITION
    assert video.phase() == Phase.VOTING
    assert reading.entries.filter(status=Entry.Status.SUBMITTED).count() == 8
    assert video.entries.filter(status=Entry.Status.SUBMITTED).count() == 6
    assert EntryAward.objects.filter(contest=reading, published=True).exists()
    for entry in reading.entries.all():
        assert 150 <= len(entry.text) <= 300
    assert not any(
        user.has_usable_password() for user in User.objects.filter(contest_entries__isnull=False)
    )


def test_loading_the_demo_twice_changes_nothing(demo_site):
    before = counts()

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert counts() == before


def test_the_demo_results_exhibition_and_pages_render(client, demo_site):
    reading = ContestPage.objects.get(slug="kexuejia-huiben-duhougan")
    urls = [
        reading.url,
        ContestPage.objects.get(slug="zhijing-kexuejia-jingshen-duanshipin").url,
        reverse("contests:results", args=[reading.contest_id]),
        reverse("contests:exhibition", args=[reading.contest_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("contests:exhibition", args=[reading.contest_id])).content.decode()
    assert "数星星的小女孩" in html
