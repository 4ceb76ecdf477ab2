"""An in-house image captcha (no foreign service; works in China and without JavaScript).

A challenge is a small sum drawn with Pillow in the CJK font ("7 加 5 等于？"). Its answer
lives only in the cache under a random id; the browser gets the id signed and time-stamped.
A challenge is single use (deleted at the first check, right or wrong) and expires after
KEPU_VOTING_CAPTCHA_SECONDS. It is asked only when traffic looks automated
(`captcha_required`). The cache may vanish (DESIGN.md rule 1): the voter then simply gets
a new challenge.
"""

import io
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from PIL import Image, ImageDraw

from content.posters import cjk_font
from kepu import ratelimit

SALT = "voting.captcha"
SIZE = (240, 80)
WINDOW_SECONDS = 600


def _key(challenge_id: str) -> str:
    return f"voting:captcha:{challenge_id}"


def new_challenge() -> str:
    """Creates a challenge and returns its signed token (for a form field and image URL)."""
    rng = secrets.SystemRandom()
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    challenge_id = secrets.token_urlsafe(16)
    cache.set(
        _key(challenge_id),
        {"question": f"{a} 加 {b} 等于？", "answer": str(a + b)},
        settings.KEPU_VOTING_CAPTCHA_SECONDS,
    )
    return signing.dumps(challenge_id, salt=SALT)


def _challenge_id(token: str) -> str | None:
    try:
        return signing.loads(token, salt=SALT, max_age=settings.KEPU_VOTING_CAPTCHA_SECONDS)
    except signing.BadSignature:
        return None


def check(token: str, answer: str) -> bool:
    """Whether `answer` solves the challenge of `token`. Uses the challenge up either way."""
    challenge_id = _challenge_id(token or "")
    if challenge_id is None:
        return False
    stored = cache.get(_key(challenge_id))
    # Deleting decides who used it: of two concurrent checks only one deletes the key.
    if stored is None or not cache.delete(_key(challenge_id)):
        return False
    given = "".join(answer.split()).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return secrets.compare_digest(given.encode(), stored["answer"].encode())


def image_png(token: str) -> bytes | None:
    """The challenge drawn as a PNG, or None when the token is bad, expired or used."""
    challenge_id = _challenge_id(token or "")
    stored = cache.get(_key(challenge_id)) if challenge_id else None
    if stored is None:
        return None
    rng = secrets.SystemRandom()
    image = Image.new("RGB", SIZE, (245, 247, 250))
    draw = ImageDraw.Draw(image)
    for _line in range(6):
        draw.line(
            [(rng.randint(0, SIZE[0]), rng.randint(0, SIZE[1])) for _ in range(2)],
            fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(120, 200)),
            width=2,
        )
    x = 14
    font = cjk_font(30, bold=True)
    for char in stored["question"]:
        draw.text((x, 40 + rng.randint(-6, 6)), char, font=font, fill=(30, 40, 70), anchor="lm")
        x += font.getlength(char) + 2
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def note_vote(user_id: int, ip: str) -> None:
    """Counts a vote request towards the 10-minute velocity of its IP and account."""
    ratelimit.increment("vote-velocity-ip", ip, WINDOW_SECONDS)
    ratelimit.increment("vote-velocity-user", str(user_id), WINDOW_SECONDS)


def captcha_required(user, ip: str, now=None) -> bool:
    """Whether this voter must solve a captcha: a brand-new account, or an IP address or an
    account voting faster than the thresholds over the last 10 minutes."""
    now = now or timezone.now()
    age = now - user.date_joined
    if age.total_seconds() < settings.KEPU_VOTING_NEW_ACCOUNT_HOURS * 3600:
        return True
    if ratelimit.count("vote-velocity-ip", ip) >= settings.KEPU_VOTING_CAPTCHA_IP_VOTES:
        return True
    return ratelimit.count("vote-velocity-user", str(user.pk)) >= (
        settings.KEPU_VOTING_CAPTCHA_USER_VOTES
    )
