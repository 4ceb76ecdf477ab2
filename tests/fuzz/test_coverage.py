"""Every public URL pattern has a fuzz declaration (tests/fuzz/endpoints.py), read from the URL
resolver, so a new endpoint cannot slip through.

Patterns in the staff areas (/admin/ and /django-admin/) are left out only when a visitor who
is not signed in is sent to sign in: the sign-in and password-reset pages there are public
and are declared like any other."""

import pytest
from django.test import Client
from django.urls import resolve

from .endpoints import ENDPOINTS
from .harness import routes

STAFF_AREAS = ("admin/", "django-admin/")


def sends_visitors_to_sign_in(client, route) -> bool:
    response = client.get(route.sample)
    return response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_every_public_url_pattern_has_a_fuzz_declaration():
    declared = {endpoint.name for endpoint in ENDPOINTS}
    client = Client()
    undeclared = [
        f"{route.name} ({route.route})"
        for route in routes()
        if route.name not in declared
        and not (route.route.startswith(STAFF_AREAS) and sends_visitors_to_sign_in(client, route))
    ]

    assert undeclared == [], "URL patterns without a fuzz declaration in tests/fuzz/endpoints.py"


def test_each_sample_path_reaches_its_own_pattern():
    for route in routes():
        match = resolve(route.sample)
        assert match.route == route.route or match.func == route.pattern.callback, route


def test_every_declaration_names_an_existing_url_pattern():
    names = {route.name for route in routes()}

    assert [e.name for e in ENDPOINTS if e.name not in names] == []
