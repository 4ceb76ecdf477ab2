import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite, pytest.mark.usefixtures("demo_site")]


def test_unknown_page_is_a_chinese_404_in_the_site_look(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html
    assert 'class="site-header"' in html


def test_csrf_failure_is_explained_in_chinese():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})

    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_public_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_public_pages_have_no_inline_script(client):
    import re

    html = client.get("/").content.decode()

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page should load its script file"
    for attrs, body in scripts:
        assert "src=" in attrs and not body.strip()


def test_large_text_preference_works_without_javascript(client):
    response = client.post("/preferences/text-size/", {"large": "1", "next": "/search/"})

    assert response.status_code == 302
    assert response["Location"] == "/search/"
    assert 'class="large-text"' in client.get("/").content.decode()


def test_large_text_preference_refuses_to_redirect_off_site(client):
    response = client.post(
        "/preferences/text-size/", {"large": "1", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_search_tolerates_hostile_queries(client):
    for query in ["", "   ", "科普" * 500, "AND OR NOT (", "💥🧪", "\x00", '"', 'a" OR', "*:*"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200


def test_server_error_page_is_in_chinese_and_needs_no_context():
    from django.test import RequestFactory

    from kepu.views import server_error

    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "出错了" in response.content.decode()


def test_permission_denied_page_is_in_chinese(client):
    from django.test import RequestFactory

    from kepu.views import permission_denied

    response = permission_denied(RequestFactory().get("/"))

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
