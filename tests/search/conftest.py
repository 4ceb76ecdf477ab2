"""Search test fixtures: the backends under test, and the relevance report in the summary.

The shared behavioural suite runs on the embedded backend always, and on Elasticsearch
only when ELASTICSEARCH_URL points at a cluster: without it the "elastic" parametrisation
is never generated (nothing is skipped).
"""

import os

import pytest

from search.backends import reset_backends

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
BACKENDS = ["embedded", *(["elastic"] if ELASTICSEARCH_URL else [])]

# Filled by test_relevance.py, printed at the end of the run.
RELEVANCE_REPORT: list[str] = []


def pytest_generate_tests(metafunc):
    if "backend_name" in metafunc.fixturenames:
        metafunc.parametrize("backend_name", BACKENDS)


def make_backend(name, settings):
    """A fresh, empty backend of this name (Elasticsearch: its own index prefix, refreshed
    after every write so a test sees what it just wrote)."""
    from search.backends import get_backend

    reset_backends()
    if name == "elastic":
        from search.backends.elastic import ElasticsearchBackend

        backend = ElasticsearchBackend(
            url=ELASTICSEARCH_URL, index_prefix=f"kepu-test-{os.getpid()}", refresh=True
        )
    else:
        backend = get_backend("embedded")
    backend.clear()
    return backend


def drop_backend(backend) -> None:
    """Empties the backend; on Elasticsearch, removes this test run's indices too."""
    if backend.name == "elastic":
        # Named one by one: Elasticsearch 8 refuses wildcard deletions by default.
        names = backend.client.indices.get(index=f"{backend.alias}-*", allow_no_indices=True)
        for name in names:
            backend.client.indices.delete(index=name, ignore_unavailable=True)
    else:
        backend.clear()
    reset_backends()


@pytest.fixture
def backend(backend_name, settings):
    backend = make_backend(backend_name, settings)
    yield backend
    drop_backend(backend)


def pytest_terminal_summary(terminalreporter):
    if RELEVANCE_REPORT:
        terminalreporter.section("search relevance")
        for line in RELEVANCE_REPORT:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def without_starting_synonyms(request):
    """Tests state the synonym groups they need: the starting groups of migrations 0006 and 0009
    (新冠 ↔ 新型冠状病毒 …) are removed first (test_default_synonyms.py checks them)."""
    if request.node.get_closest_marker("django_db") and "keep_starting_synonyms" not in (
        request.keywords
    ):
        from search.models import SynonymGroup

        SynonymGroup.objects.all().delete()
    yield
