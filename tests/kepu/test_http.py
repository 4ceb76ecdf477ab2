import pytest
from django.test import RequestFactory

from kepu.http import client_ip

pytestmark = pytest.mark.sqlite


def request_from(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_header_is_ignored_without_trusted_proxies(settings):
    settings.KEPU_TRUSTED_PROXIES = []

    assert client_ip(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_forwarded_header_is_ignored_from_an_untrusted_peer(settings):
    settings.KEPU_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(request_from("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_rightmost_untrusted_hop_is_the_client(settings):
    settings.KEPU_TRUSTED_PROXIES = ["10.0.0.0/8"]

    # The leftmost entry is whatever the client claimed; 198.51.100.7 is who reached our proxy.
    request = request_from("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.3")

    assert client_ip(request) == "198.51.100.7"


def test_garbage_in_forwarded_header_falls_back_to_the_peer(settings):
    settings.KEPU_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_ip(request_from("10.0.0.2", "not-an-ip")) == "10.0.0.2"
