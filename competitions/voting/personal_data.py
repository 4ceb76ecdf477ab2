"""A voter's votes in their account export and deletion (accounts.exports, accounts.deletion).

The export lists the person's own votes: which entry (by its public number only: the work,
its title and its author are someone else's data), when, and the minimal data kept for fraud
monitoring (network and browser family). It never names other voters, and of a voided vote it
says only that and when it was voided, not by whom or why.

Deleting an account deletes the person's votes (the foreign key cascades) and also the votes
other people gave to the person's own entries, which go with those entries: `Vote.entry`
protects entries from being deleted while votes point at them, so without this deleter an
author whose work received votes could not delete their account. Cached rankings and share
cards of those entries are dropped after the commit.
"""

from django.core.cache import cache
from django.db import transaction

from accounts.deletion import register_deleter
from accounts.exports import ExportSection, register_exporter
from competitions.submissions.models import ContestGroup, Entry

from .models import Vote
from .share_card import cache_key as share_card_cache_key
from .views import ranking_cache_key


@register_exporter
def export_votes(user) -> ExportSection | None:
    """The user's own votes, oldest first; None when they never voted."""
    votes = (
        Vote.objects.filter(voter=user)
        .select_related("contest", "entry")
        .order_by("created_at", "pk")
    )
    rows = [
        {
            "contest": vote.contest.title,
            "entry_number": vote.entry.display_number,
            "day": vote.day,
            "voted_at": vote.created_at,
            "network": vote.ip_network,
            "browser": vote.user_agent_family,
            "voided": vote.voided,
            "voided_at": vote.voided_at,
        }
        for vote in votes
    ]
    return ExportSection("contest_votes", rows) if rows else None


@register_deleter
def delete_votes_for_own_entries(user) -> None:
    """Deletes the votes the user's entries received (so the entries can go with the
    account) and, after the commit, the cached rankings and share cards showing them."""
    entries = list(Entry.objects.filter(author=user).values_list("pk", "contest_id"))
    if not entries:
        return
    Vote.objects.filter(entry_id__in=[pk for pk, _contest in entries]).delete()
    contest_ids = {contest_id for _pk, contest_id in entries}
    group_ids = ContestGroup.objects.filter(contest_id__in=contest_ids).values_list(
        "contest_id", "pk"
    )
    keys = [share_card_cache_key(pk) for pk, _contest in entries]
    keys += [ranking_cache_key(contest_id, 0) for contest_id in contest_ids]
    keys += [ranking_cache_key(contest_id, group_id) for contest_id, group_id in group_ids]
    transaction.on_commit(lambda: cache.delete_many(keys))
