"""Answering readers: the configured backend, the embedded one when it fails, never an error."""

import socket

import pytest

from search import service
from search.backends.base import SearchQuery
from tests.search.site_helpers import doc, embedded_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def library(embedded):
    embedded.index([doc("page:1", "流感疫苗接种指南", body="每年秋季接种流感疫苗。")])
    return embedded


def test_the_embedded_backend_answers_when_elasticsearch_is_unreachable(library, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{unused_port()}"

    results, answered_by = service.search(SearchQuery(text="流感疫苗"))

    assert answered_by == "embedded"
    assert [hit.key for hit in results.hits] == ["page:1"]


def test_suggestions_fall_back_the_same_way(library, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{unused_port()}"

    suggestions = service.suggest("lg")

    assert {"title": "流感疫苗接种指南", "url": "/page-1/", "kind": "article"} in suggestions


def test_nothing_answers_when_every_backend_fails(library, monkeypatch):
    def broken(name=None):
        raise RuntimeError("backend down")

    monkeypatch.setattr(service, "get_backend", broken)

    assert service.search(SearchQuery(text="流感")) == (None, "")
    assert service.suggest("lg") is None


def test_did_you_mean_prefers_a_close_logged_query_then_a_suggested_title():
    from search import query_log

    query_log.record("航天员", 4, "embedded")

    assert service.did_you_mean("航天园", []) == "航天员"
    assert service.did_you_mean("kprh", [{"title": "科普日活动安排"}]) == "科普日活动安排"
    assert service.did_you_mean("科普", [{"title": "科普"}]) == ""
