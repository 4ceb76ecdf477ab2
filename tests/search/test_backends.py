"""get_backend(): the configured backend, cached per process; the embedded one on request."""

import pytest

from search.backends import get_backend, reset_backends
from search.backends.elastic import ElasticsearchBackend
from search.backends.embedded import EmbeddedBackend

pytestmark = pytest.mark.sqlite


@pytest.fixture(autouse=True)
def _fresh():
    reset_backends()
    yield
    reset_backends()


def test_without_elasticsearch_url_the_embedded_backend_is_used(settings):
    settings.ELASTICSEARCH_URL = ""
    backend = get_backend()
    assert isinstance(backend, EmbeddedBackend)
    assert get_backend() is backend  # cached per process


def test_with_elasticsearch_url_elasticsearch_is_used_and_embedded_stays_available(settings):
    settings.ELASTICSEARCH_URL = "http://es.example.org:9200"
    settings.KEPU_SEARCH_INDEX_PREFIX = "site"
    backend = get_backend()
    assert isinstance(backend, ElasticsearchBackend)
    assert backend.alias == "site-search"
    assert isinstance(get_backend("embedded"), EmbeddedBackend)


def test_an_unknown_backend_name_is_refused():
    with pytest.raises(ValueError):
        get_backend("solr")
