"""kepu/middleware.py: the lean path's contract (LeanViewMiddleware), independent of quizzes."""

import pytest
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from kepu.middleware import lean

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

SEEN = []


def _has_pass(request, **kwargs):
    return request.headers.get("X-Pass") is not None


@lean(accepts=_has_pass)
def lean_view(request, word):
    SEEN.append(("lean", word, hasattr(request, "session"), hasattr(request, "user")))
    if request.headers.get("X-Pass") == "decline":
        return None
    return HttpResponse(f"lean {word}")


def full_view(request, word):
    SEEN.append(("full", word, hasattr(request, "session"), hasattr(request, "user")))
    return HttpResponse(f"full {word}")


lean_patterns = [path("lean-probe/<slug:word>/", lean_view)]
urlpatterns = [path("lean-probe/<slug:word>/", full_view)]


class LeanURLconf:  # stands in for a URLconf module: resolve() reads its urlpatterns
    urlpatterns = lean_patterns


@pytest.fixture
def probe():
    SEEN.clear()
    with override_settings(ROOT_URLCONF=__name__, KEPU_LEAN_URLCONF=LeanURLconf):
        yield Client()


def test_an_accepted_post_is_served_before_the_session_and_authentication(probe):
    response = probe.post("/lean-probe/a/", HTTP_X_PASS="yes")

    assert response.content == b"lean a"
    assert SEEN == [("lean", "a", False, False)]
    # The security headers still wrap the lean response.
    assert "Content-Security-Policy" in response and "X-Frame-Options" in response


def test_a_post_its_view_does_not_accept_takes_the_full_path(probe):
    response = probe.post("/lean-probe/b/")

    assert response.content == b"full b"
    assert SEEN == [("full", "b", True, True)]


def test_a_view_that_declines_after_all_hands_the_request_to_the_full_path(probe):
    response = probe.post("/lean-probe/c/", HTTP_X_PASS="decline")

    assert response.content == b"full c"
    assert [entry[0] for entry in SEEN] == ["lean", "full"]


def test_only_posts_are_considered(probe):
    assert probe.get("/lean-probe/d/", HTTP_X_PASS="yes").content == b"full d"
