"""Demo votes (after the demo contests exist).

- The reading-review contest (vote closed): exactly each review's demo vote count, so
  `publish_contest_results` gives the same popularity award the demo shows.
- The short-video contest (vote open): each video's demo votes over the days so far, plus
  two bursts from brand-new accounts in one network for fraud monitoring — one already
  voided by an organiser (with its audit record), one still waiting to be looked at.

Votes are written as `cast_vote` would leave them (numbered daily slots within
`votes_per_day`, one per voter, entry and day, the /24 network and a keyed hash of the
address) but with past timestamps. Idempotent: a contest that has votes is left as it is.
Demo voters get unusable passwords and no phone number.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from competitions.submissions.models import Contest, ContestPage, Entry
from competitions.voting import services
from competitions.voting.models import Vote
from kepu.days import day_start, local_day
from kepu.http import ip_hash

from . import contests as contest_demo
from .datafiles import toml

DAY = datetime.timedelta(days=1)
VOTERS = 40
BROWSERS = ["WeChat", "WeChat", "WeChat", "Safari", "Chrome"]
# (video title, votes, network, reason it was voided or "" while nobody has looked yet)
BURSTS = [
    ("如果我是一颗卫星", 6, "10.66.8", "同一网段的新注册账号在十分钟内集中投票，判定为刷票"),
    ("一根吸管的实验日记", 12, "10.71.3", ""),
]


def voters(count: int, prefix: str, joined: datetime.datetime) -> list[User]:
    users = []
    for number in range(1, count + 1):
        user, created = User.objects.get_or_create(
            username=f"{prefix}-{number}", defaults={"date_joined": joined}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def day_windows(opens, closes) -> list[tuple[datetime.date, datetime.datetime, datetime.datetime]]:
    """(voting day, first moment, end) of every voting day between `opens` and `closes`."""
    windows = []
    day = local_day(opens)
    while True:
        start = max(opens, day_start(day))
        end = min(closes, day_start(day + DAY))
        if start >= closes:
            return windows
        if end > start:
            windows.append((day, start, end))
        day += DAY


def _address(voter_index: int) -> str:
    return f"10.{20 + voter_index}.{(voter_index * 7) % 200}.{voter_index % 250 + 1}"


def spread_votes(
    contest: Contest, counts: dict[Entry, int], users: list[User], opens, closes
) -> list[Vote]:
    """Unsaved votes giving each entry its count: every (voter, day) holds at most
    `votes_per_day` votes, each for a different entry, the least used first."""
    windows = day_windows(opens, closes)
    used = {(v, w): 0 for v in range(len(users)) for w in range(len(windows))}
    votes = []
    for entry_index, (entry, count) in enumerate(
        sorted(counts.items(), key=lambda item: (-item[1], item[0].number))
    ):
        free = sorted(
            (key for key, n in used.items() if n < contest.votes_per_day),
            key=lambda key: (used[key], (key[0] * 7 + key[1] * 3 + entry_index) % 11, key),
        )
        if len(free) < count:
            raise ValueError(f"not enough demo voters for {count} votes")
        for voter_index, window_index in free[:count]:
            used[(voter_index, window_index)] += 1
            day, start, end = windows[window_index]
            fraction = ((voter_index * 37 + entry_index * 11 + window_index) % 97 + 1) / 99
            address = _address(voter_index)
            votes.append(
                Vote(
                    entry=entry,
                    contest=contest,
                    voter=users[voter_index],
                    day=day,
                    slot=used[(voter_index, window_index)],
                    created_at=start + (end - start) * fraction,
                    ip_network=services.ip_network(address),
                    ip_hash=ip_hash(address),
                    user_agent_family=BROWSERS[voter_index % len(BROWSERS)],
                )
            )
    return votes


def vote_reading_contest(contest: Contest, users: list[User]) -> int:
    entries = {entry.number: entry for entry in Entry.objects.filter(contest=contest)}
    counts = {
        entries[number + 1]: item["votes"]
        for number, item in enumerate(toml("contests")["reading_reviews"])
    }
    votes = spread_votes(contest, counts, users, contest.voting_opens_at, contest.voting_closes_at)
    Vote.objects.bulk_create(votes)
    return len(votes)


def vote_video_contest(contest: Contest, users: list[User]) -> int:
    now = timezone.now()
    entries = {entry.title: entry for entry in Entry.objects.filter(contest=contest)}
    counts = {entries[item["title"]]: item["votes"] for item in toml("contests")["short_videos"]}
    closes = min(contest.voting_closes_at, now - datetime.timedelta(minutes=30))
    votes = spread_votes(contest, counts, users, contest.voting_opens_at, closes)
    Vote.objects.bulk_create(votes)
    for burst_index, (title, count, network, reason) in enumerate(BURSTS):
        moment = now - datetime.timedelta(hours=20 - 6 * burst_index)
        joined = moment - datetime.timedelta(minutes=30)
        newcomers = voters(count, f"demo-new-voter-{burst_index + 1}", joined)
        burst = [
            Vote(
                entry=entries[title],
                contest=contest,
                voter=voter,
                day=local_day(moment),
                slot=1,
                created_at=moment + datetime.timedelta(seconds=70 * index),
                ip_network=services.ip_network(f"{network}.{index + 10}"),
                ip_hash=ip_hash(f"{network}.{index + 10}"),
                user_agent_family="script",
            )
            for index, voter in enumerate(newcomers)
        ]
        Vote.objects.bulk_create(burst)
        votes += burst
        if reason:
            services.void_votes(
                Vote.objects.filter(pk__in=[vote.pk for vote in burst]),
                contest=contest,
                actor=None,
                reason=reason,
                criteria={"network": services.ip_network(f"{network}.1")},
            )
    return len(votes)


def _contest(slug: str) -> Contest | None:
    page = ContestPage.objects.filter(slug=slug).select_related("contest").first()
    return page.contest if page else None


@transaction.atomic
def load(home, report: list[str]) -> None:
    reading = _contest(contest_demo.READING_SLUG)
    video = _contest(contest_demo.VIDEO_SLUG)
    cast = 0
    for contest, vote in ((reading, vote_reading_contest), (video, vote_video_contest)):
        if contest is None or Vote.objects.filter(contest=contest).exists():
            continue
        joined = contest.voting_opens_at - 90 * DAY
        cast += vote(contest, voters(VOTERS, "demo-voter", joined))
    report.append(f"votes: {cast} demo votes cast")
