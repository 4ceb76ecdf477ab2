"""A rebuild swaps the whole index while searches from other connections keep answering.

Part of the shared backend suite, in its own module because it needs committed data and a
second connection: on PostgreSQL (MVCC) and Elasticsearch (alias swap). SQLite's test
database lives in memory with a shared cache, where a reader waits on the writer's table
lock; a file database in WAL mode behaves like PostgreSQL (docs/search.md).
"""

import threading

import pytest

from search.backends.base import SearchDocument
from tests.search.corpus import DOCUMENTS
from tests.search.test_backend_contract import found

pytestmark = pytest.mark.django_db(transaction=True)


def test_searches_keep_answering_while_a_rebuild_runs(backend_name, settings):
    from tests.search.conftest import drop_backend, make_backend

    backend = make_backend(backend_name, settings)
    backend.index(DOCUMENTS)
    seen_during_rebuild = []

    def documents():
        yield SearchDocument(key="page:10", kind="article", title="月球上有水吗", url="/m/")

        def search_elsewhere():
            from django.db import connection

            try:
                seen_during_rebuild.append(found(backend, "疫苗"))
            finally:
                connection.close()

        thread = threading.Thread(target=search_elsewhere)
        thread.start()
        thread.join()

    try:
        backend.rebuild(documents())
        assert seen_during_rebuild == [{"page:1", "page:4"}]
        assert found(backend, "疫苗") == set()
        assert found(backend, "月球") == {"page:10"}
    finally:
        drop_backend(backend)
