"""Every public endpoint under generated hostile requests: never a 5xx, never a partial
write, a Chinese message where a person reads one (tests/fuzz/harness.py)."""

from collections import Counter

import pytest
from hypothesis import given, settings

from .conftest import EXAMPLES
from .endpoints import ENDPOINTS
from .harness import (
    baseline_value,
    corpus_probes,
    field_strategies,
    fingerprint,
    form_fields_from_page,
    path_kwargs,
    probes,
    send,
)

pytestmark = pytest.mark.django_db


def _known(endpoint, state, name):
    """A valid value of field `name` the declaration or the state knows, or None."""
    for values in (endpoint.values, state.values):
        value = values.get(name)
        if value is not None:
            return str(value[0] if isinstance(value, list | tuple) else value)
    return None


def _fields(endpoint, state, client) -> tuple[dict, dict]:
    """The endpoint's body fields: {name: strategy} and {name: a valid value}."""
    from django.urls import reverse

    fields, form_fields = {}, {}
    if endpoint.form == "page":
        url = state.path if endpoint.path == "state" else endpoint.path
        url = url or reverse(endpoint.name, kwargs=path_kwargs(endpoint, state))
        if state.session:
            session = client.session
            session.update(state.session)
            session.save()
        form_fields = form_fields_from_page(client, url)  # as a visitor, then signed in
        if not form_fields and state.user is not None and endpoint.signed_in != "never":
            client.force_login(state.user)
            form_fields = form_fields_from_page(client, url)
            client.logout()
        assert form_fields, f"no form found on {url}"
        fields = field_strategies(form_fields, endpoint.values)
    elif callable(endpoint.form):
        fields = endpoint.form(state)
    if endpoint.more_fields:
        fields.update(endpoint.more_fields(state))
    baseline = {
        name: _known(endpoint, state, name) or baseline_value(form_fields.get(name))
        for name in fields
    }
    return fields, baseline


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.id)
def test_hostile_requests_get_no_server_error_and_change_nothing_they_should_not(endpoint, client):
    state = endpoint.state()
    fields, baseline = _fields(endpoint, state, client)
    statuses = EXAMPLES.setdefault(endpoint.id, Counter())
    examples = max(3, round(settings.default.max_examples * endpoint.examples))
    base = fingerprint()
    for probe in corpus_probes(endpoint, state, baseline):
        statuses[send(endpoint, state, probe, base)] += 1

    @settings(max_examples=examples)
    @given(probe=probes(endpoint, state, fields))
    def hostile_request(probe):
        statuses[send(endpoint, state, probe, base)] += 1

    hostile_request()
