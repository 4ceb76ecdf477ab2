"""The demo votes: exact counts per entry, within the limits, with bursts to look into."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Max
from django.urls import reverse

from competitions.submissions.models import ContestPage
from competitions.submissions.results.sources import collect_votes
from competitions.voting.models import Vote, VoteAuditLog
from competitions.voting.publishing import valid_votes
from demo.datafiles import toml
from kepu.days import local_day
from tests.factories.users import StaffFactory

pytestmark = pytest.mark.django_db


def contest(slug):
    return ContestPage.objects.get(slug=slug).contest


def test_each_demo_entry_has_its_votes_within_the_rules(demo_site):
    reading = contest("kexuejia-huiben-duhougan")
    video = contest("zhijing-kexuejia-jingshen-duanshipin")
    titles = {entry.pk: entry.title for entry in video.entries.all()}

    reading_votes = {
        entry.pk: item["votes"]
        for entry, item in zip(
            reading.entries.order_by("number"), toml("contests")["reading_reviews"], strict=True
        )
    }
    assert collect_votes(reading) == reading_votes
    # (collect_votes gives the video contest's popularity score: it has a popularity rule.)
    video_votes = {titles[pk]: votes for pk, votes in valid_votes(video).items()}
    expected = {item["title"]: item["votes"] for item in toml("contests")["short_videos"]}
    expected["一根吸管的实验日记"] += 12  # a burst nobody has looked at yet
    assert video_votes == expected

    for contest_ in (reading, video):
        votes = Vote.objects.filter(contest=contest_)
        assert votes.aggregate(Max("slot"))["slot__max"] <= contest_.votes_per_day
        for vote in votes:
            assert contest_.voting_opens_at <= vote.created_at <= contest_.voting_closes_at
            assert local_day(vote.created_at) == vote.day
    per_voter_day = Vote.objects.values("voter", "contest", "day").annotate(n=Count("pk"))
    assert max(row["n"] for row in per_voter_day) <= 5

    [log] = VoteAuditLog.objects.filter(contest=video)
    assert log.votes_affected == 6 and "刷票" in log.reason
    assert Vote.objects.filter(contest=video, voided=True).count() == 6


def test_loading_again_casts_no_vote(demo_site):
    before = (Vote.objects.count(), VoteAuditLog.objects.count())

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (Vote.objects.count(), VoteAuditLog.objects.count()) == before


def test_the_ranking_and_monitoring_screens_show_the_demo_votes(client, demo_site):
    video = contest("zhijing-kexuejia-jingshen-duanshipin")

    ranking = client.get(reverse("voting:ranking", args=[video.pk]))
    assert ranking.status_code == 200
    assert "如果我是一颗卫星" in ranking.content.decode()

    client.force_login(StaffFactory())
    monitoring = client.get(reverse("vote_monitoring:contest", args=[video.pk]))
    assert monitoring.status_code == 200
    html = monitoring.content.decode()
    assert "10.71.3.0/24" in html
