"""Every public endpoint under generated hostile requests: never a 5xx, never a partial
write, a Chinese message where a person reads one (tests/fuzz/harness.py)."""

from collections import Counter

import pytest
from hypothesis import given, settings

from .conftest import EXAMPLES
from .endpoints import ENDPOINTS
from .harness import (
    field_strategies,
    fingerprint,
    form_fields_from_page,
    path_kwargs,
    probes,
    send,
)

pytestmark = pytest.mark.django_db


def _fields(endpoint, state, client) -> dict:
    from django.urls import reverse

    fields = {}
    if endpoint.form == "page":
        url = state.path if endpoint.path == "state" else endpoint.path
        url = url or reverse(endpoint.name, kwargs=path_kwargs(endpoint, state))
        if state.session:
            session = client.session
            session.update(state.session)
            session.save()
        found = form_fields_from_page(client, url)  # as a visitor, then signed in
        if not found and state.user is not None and endpoint.signed_in != "never":
            client.force_login(state.user)
            found = form_fields_from_page(client, url)
            client.logout()
        assert found, f"no form found on {url}"
        fields = field_strategies(found, endpoint.values)
    elif callable(endpoint.form):
        fields = endpoint.form(state)
    if endpoint.more_fields:
        fields.update(endpoint.more_fields(state))
    return fields


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.id)
def test_hostile_requests_get_no_server_error_and_change_nothing_they_should_not(endpoint, client):
    state = endpoint.state()
    fields = _fields(endpoint, state, client)
    statuses = EXAMPLES.setdefault(endpoint.id, Counter())
    examples = max(3, round(settings.default.max_examples * endpoint.examples))
    base = fingerprint()

    @settings(max_examples=examples)
    @given(probe=probes(endpoint, state, fields))
    def hostile_request(probe):
        statuses[send(endpoint, state, probe, base)] += 1

    hostile_request()
