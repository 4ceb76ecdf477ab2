"""content/sharing/wechat.py and its endpoint: the WeChat JS-SDK signature, asked of a fake
WeChat server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from content.sharing import wechat

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_wechats_documented_example_signature():
    # From the WeChat JS-SDK documentation (附录1-JS-SDK使用权限签名算法).
    ticket = (
        "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
    )
    assert (
        wechat.signature(
            ticket, "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value"
        )
        == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"
    )


class FakeWeChat(BaseHTTPRequestHandler):
    calls: list = []
    fail = False

    def do_GET(self):
        parts = urlsplit(self.path)
        FakeWeChat.calls.append(parts.path)
        query = parse_qs(parts.query)
        if FakeWeChat.fail:
            body = {"errcode": 40013, "errmsg": "invalid appid"}
        elif parts.path == "/cgi-bin/token":
            assert query["appid"] == ["wx-test-app"] and query["secret"] == ["s3cret"]
            body = {"access_token": "TOKEN", "expires_in": 7200}
        else:
            assert query == {"access_token": ["TOKEN"], "type": ["jsapi"]}
            body = {"errcode": 0, "errmsg": "ok", "ticket": "TICKET", "expires_in": 7200}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_wechat(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeWeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeWeChat.calls, FakeWeChat.fail = [], False
    settings.WECHAT_MP_APP_ID, settings.WECHAT_MP_APP_SECRET = "wx-test-app", "s3cret"
    settings.WECHAT_API_BASE = f"http://127.0.0.1:{server.server_port}"
    cache.delete_many([wechat.TICKET_CACHE_KEY, wechat.FAILED_CACHE_KEY])
    yield FakeWeChat
    server.shutdown()


def test_the_page_gets_a_valid_signature_and_wechat_is_asked_once(client, article, fake_wechat):
    url = f"https://kepu.example.org{article.url}?from=poster#top"

    first = client.get("/share/wechat-config", {"url": url}).json()
    second = client.get("/share/wechat-config", {"url": url}).json()

    assert first["appId"] == "wx-test-app"
    signed = f"https://kepu.example.org{article.url}?from=poster"
    assert first["signature"] == wechat.signature(
        "TICKET", first["nonceStr"], first["timestamp"], signed
    )
    assert second["signature"] == wechat.signature(
        "TICKET", second["nonceStr"], second["timestamp"], signed
    )
    assert fake_wechat.calls == ["/cgi-bin/token", "/cgi-bin/ticket/getticket"]
    assert "data-wechat-config" in client.get(article.url).content.decode()


def test_only_the_sites_own_addresses_are_signed(client, fake_wechat):
    for url in ("https://evil.example.com/", "javascript:alert(1)", ""):
        response = client.get("/share/wechat-config", {"url": url})

        assert response.status_code == 400
    assert fake_wechat.calls == []


def test_a_refusing_wechat_answers_503_and_is_not_asked_again_at_once(client, fake_wechat):
    fake_wechat.fail = True
    url = "https://kepu.example.org/"

    assert client.get("/share/wechat-config", {"url": url}).status_code == 503
    assert client.get("/share/wechat-config", {"url": url}).status_code == 503
    assert fake_wechat.calls == ["/cgi-bin/token"]


def test_without_an_official_account_there_is_no_signature(client):
    assert (
        client.get("/share/wechat-config", {"url": "https://kepu.example.org/"}).status_code == 404
    )
