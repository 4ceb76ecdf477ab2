"""WeChat JS-SDK share settings (title, description, picture) for pages opened in WeChat.

Needs an official account's (公众号) credentials, `WECHAT_MP_APP_ID` and
`WECHAT_MP_APP_SECRET`, and the site's domain registered as its JS interface domain
(JS接口安全域名). Without them pages still offer the share card and the "右上角分享" hint.

The browser asks `/share/wechat-config?url=…` for the signature of its own address; the
server keeps the access token and the jsapi ticket in the cache for their lifetime (7200 s,
renewed a little early), so WeChat's API is called about once every two hours, never on a
page view. The signature is WeChat's documented one: SHA-1 of
`jsapi_ticket=…&noncestr=…&timestamp=…&url=…` (the URL without its fragment).
"""

import hashlib
import json
import logging
import secrets
import time
from urllib.error import URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

TICKET_CACHE_KEY = "wechat:jsapi-ticket"
# After a failure, WeChat is not asked again for this long (no request waits on it meanwhile).
FAILED_CACHE_KEY = "wechat:jsapi-ticket-failed"
RETRY_AFTER_SECONDS = 60
# WeChat's tokens and tickets live 7200 s; renew a little before they expire.
RENEW_MARGIN_SECONDS = 300
API_TIMEOUT_SECONDS = 3


class WeChatUnavailable(Exception):
    """WeChat's API could not give a ticket (not configured, unreachable, refused)."""


def configured() -> bool:
    return bool(settings.WECHAT_MP_APP_ID and settings.WECHAT_MP_APP_SECRET)


def signature(ticket: str, nonce: str, timestamp: int, url: str) -> str:
    """WeChat's JS-SDK signature of `url` (anything after '#' is dropped)."""
    url = url.split("#", 1)[0]
    plain = f"jsapi_ticket={ticket}&noncestr={nonce}&timestamp={timestamp}&url={url}"
    return hashlib.sha1(plain.encode()).hexdigest()  # noqa: S324 (WeChat's algorithm)


def _call(path: str, params: dict) -> dict:
    address = f"{settings.WECHAT_API_BASE.rstrip('/')}{path}?{urlencode(params)}"
    try:
        with urlopen(address, timeout=API_TIMEOUT_SECONDS) as response:  # noqa: S310 (https base)
            data = json.loads(response.read().decode())
    except (URLError, OSError, ValueError) as exc:
        raise WeChatUnavailable(str(exc)) from exc
    if data.get("errcode"):
        raise WeChatUnavailable(f"{data.get('errcode')}: {data.get('errmsg', '')}")
    return data


def jsapi_ticket() -> str:
    """The current jsapi ticket, from the cache or fetched (token, then ticket)."""
    ticket = cache.get(TICKET_CACHE_KEY)
    if ticket:
        return ticket
    if not configured():
        raise WeChatUnavailable("WECHAT_MP_APP_ID / WECHAT_MP_APP_SECRET not set")
    if cache.get(FAILED_CACHE_KEY):
        raise WeChatUnavailable("WeChat failed recently")
    try:
        token = _call(
            "/cgi-bin/token",
            {
                "grant_type": "client_credential",
                "appid": settings.WECHAT_MP_APP_ID,
                "secret": settings.WECHAT_MP_APP_SECRET,
            },
        )
        answer = _call(
            "/cgi-bin/ticket/getticket", {"access_token": token["access_token"], "type": "jsapi"}
        )
    except WeChatUnavailable:
        cache.set(FAILED_CACHE_KEY, 1, RETRY_AFTER_SECONDS)
        raise
    lifetime = int(answer.get("expires_in", 7200)) - RENEW_MARGIN_SECONDS
    cache.set(TICKET_CACHE_KEY, answer["ticket"], max(lifetime, 60))
    return answer["ticket"]


def is_own_url(url: str) -> bool:
    """Only addresses on the site's public host are signed."""
    parts, public = urlsplit(url), urlsplit(settings.KEPU_BASE_URL)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == public.netloc.lower()


def js_config(url: str) -> dict:
    """What `wx.config` needs for `url`. Raises WeChatUnavailable."""
    parts = urlsplit(url)
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    ticket = jsapi_ticket()
    nonce = secrets.token_urlsafe(12)
    timestamp = int(time.time())
    return {
        "appId": settings.WECHAT_MP_APP_ID,
        "timestamp": timestamp,
        "nonceStr": nonce,
        "signature": signature(ticket, nonce, timestamp, url),
    }
