"""A voter's votes in their account export, and an author's account deletion taking the votes
their entries received (which would otherwise keep the entries, and the account, alive)."""

import json
import zipfile
from io import BytesIO

import pytest
from django.core.cache import cache

from accounts.deletion import delete_account
from accounts.exports import write_export
from competitions.submissions.models import Entry
from competitions.voting import services
from competitions.voting.models import Vote
from competitions.voting.share_card import cache_key as share_card_key
from competitions.voting.views import ranking_cache_key
from tests.factories.users import StaffFactory
from tests.factories.voting import VoterFactory, VotingEntryFactory

pytestmark = pytest.mark.django_db


def export_of(user) -> dict:
    buffer = BytesIO()
    write_export(user, buffer)
    return json.loads(zipfile.ZipFile(buffer).read("data.json"))


def test_the_export_lists_the_voters_own_votes_and_not_who_voided_one_or_why():
    voter, other = VoterFactory(), VoterFactory()
    first, second = VotingEntryFactory(title="星空"), VotingEntryFactory(title="雨后彩虹")
    services.cast_vote(first, voter, ip="203.0.113.5", user_agent="MicroMessenger/8.0")
    services.cast_vote(second, voter, ip="203.0.113.5", user_agent="MicroMessenger/8.0")
    services.cast_vote(first, other, ip="198.51.100.1", user_agent="Firefox/126")
    services.void_votes(
        Vote.objects.filter(voter=voter, entry=second),
        contest=second.contest,
        actor=StaffFactory(username="organiser"),
        reason="同一网络短时间大量投票",
    )

    votes = export_of(voter)["contest_votes"]

    assert [v["entry_number"] for v in votes] == [first.display_number, second.display_number]
    assert [v["voided"] for v in votes] == [False, True]
    assert votes[0]["network"] == "203.0.113.0/24" and votes[0]["browser"] == "WeChat"
    text = json.dumps(votes, ensure_ascii=False)
    for foreign in ("星空", "雨后彩虹", "organiser", "同一网络", "198.51.100", "Firefox"):
        assert foreign not in text


def test_someone_who_never_voted_has_no_votes_section():
    assert "contest_votes" not in export_of(VoterFactory())


def test_an_author_whose_entry_received_votes_can_delete_their_account(
    django_capture_on_commit_callbacks,
):
    entry = VotingEntryFactory()
    author, voter = entry.author, VoterFactory()
    services.cast_vote(entry, voter)
    kept = VotingEntryFactory(contest=entry.contest)
    services.cast_vote(kept, voter)
    keys = [share_card_key(entry.pk), ranking_cache_key(entry.contest_id, 0)]
    keys.append(ranking_cache_key(entry.contest_id, entry.group_id))
    for key in keys:
        cache.set(key, "cached")

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(author)

    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not Vote.objects.filter(entry_id=entry.pk).exists()
    assert Vote.objects.filter(entry=kept, voter=voter).exists()
    assert cache.get_many(keys) == {}
