"""Request helpers shared by the apps."""

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.KEPU_TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The address of the client that sent `request`.

    `X-Forwarded-For` is believed only when the direct peer is a configured trusted proxy
    (`KEPU_TRUSTED_PROXIES`), and then only up to the first address that is not itself a
    trusted proxy, reading from the right: anything further left is client-supplied.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote
        if not _is_trusted(hop):
            return hop
    return hops[0] if hops else remote


def ip_hash(address: str) -> str:
    """A keyed hash of the full address: equal addresses match, the address is not kept.

    The key and its "vote-ip:" prefix are those stored votes, share opens and drift steps were
    hashed with: changing either makes new hashes incomparable with stored ones."""
    if not address:
        return ""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"vote-ip:{address}".encode(), hashlib.sha256
    ).hexdigest()
