"""When a voter must answer a captcha (kepu/captcha.py) before their vote counts.

Only when traffic looks automated: a brand-new account, or an IP address or an account voting
faster than the thresholds over the last 10 minutes.
"""

from django.conf import settings
from django.utils import timezone

from kepu import ratelimit

WINDOW_SECONDS = 600


def note_vote(user_id: int, ip: str) -> None:
    """Counts a vote request towards the 10-minute velocity of its IP and account.

    Called after the vote is saved, so it fails open: a vote already counted is not turned
    into an error by a Redis outage."""
    ratelimit.increment("vote-velocity-ip", ip, WINDOW_SECONDS, on_outage=ratelimit.FAIL_OPEN)
    ratelimit.increment(
        "vote-velocity-user", str(user_id), WINDOW_SECONDS, on_outage=ratelimit.FAIL_OPEN
    )


def captcha_required(user, ip: str, now=None) -> bool:
    """Whether this voter must solve a captcha: a brand-new account, or an IP address or an
    account voting faster than the thresholds over the last 10 minutes.

    Raises `ratelimit.RateLimitUnavailable` when the velocity cannot be read (Redis down):
    votes then fail closed."""
    now = now or timezone.now()
    age = now - user.date_joined
    if age.total_seconds() < settings.KEPU_VOTING_NEW_ACCOUNT_HOURS * 3600:
        return True
    if ratelimit.count("vote-velocity-ip", ip) >= settings.KEPU_VOTING_CAPTCHA_IP_VOTES:
        return True
    return ratelimit.count("vote-velocity-user", str(user.pk)) >= (
        settings.KEPU_VOTING_CAPTCHA_USER_VOTES
    )
