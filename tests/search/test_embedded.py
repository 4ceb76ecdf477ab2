"""The embedded backend's own guarantees, beyond the shared suite."""

import pytest
from django.db import connection, transaction

from search import constants
from search.backends.base import SearchBackendError, SearchDocument, SearchQuery
from search.backends.common import analyse
from search.backends.embedded import EmbeddedBackend
from search.backends.embedded_sql import fts5_clause, pg_clause
from search.models import IndexedDocument, SuggestInput
from tests.search.corpus import DOCUMENTS

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def backend():
    backend = EmbeddedBackend()
    backend.index(DOCUMENTS)
    return backend


def test_query_syntax_quotes_every_token():
    vaccine, quote = analyse('疫苗 "x" OR').clauses  # "or" is a stop word
    assert fts5_clause(vaccine) == (
        '({title body pinyin} : "疫苗" OR {title_bigrams body_bigrams} : ("疫苗"))'
    )
    assert fts5_clause(vaccine, title_only=True) == (
        '({title pinyin} : "疫苗" OR {title_bigrams} : ("疫苗"))'
    )
    assert fts5_clause(quote) == '({title body pinyin} : "x")'
    assert pg_clause(vaccine) == "('疫苗' | ('疫苗'))"
    (lone,) = analyse("协").clauses
    assert fts5_clause(lone).endswith('{title_chars body_chars} : "协")')
    assert pg_clause(lone) == "('协' | '_协')"


def test_documents_and_suggestions_are_stored_once_per_key(backend):
    backend.index(DOCUMENTS[:2])
    assert IndexedDocument.objects.count() == len(DOCUMENTS)
    first = IndexedDocument.objects.get(key="page:1")
    assert set(SuggestInput.objects.filter(document=first).values_list("text", flat=True)) == {
        "新冠疫苗接种须知",
        "xinguanyimiaojiezhongxuzhi",
        "xgymjzxz",
    }


def test_a_failing_database_raises_search_backend_error(backend):
    table = "search_fts" if connection.vendor == "sqlite" else "search_pg_vector"
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")
        with pytest.raises(SearchBackendError):
            backend.search(SearchQuery(text="疫苗"))
        assert backend.ping() is False
        transaction.set_rollback(True)
    assert backend.ping() is True


def test_matches_beyond_the_rerank_window_are_still_ranked_title_first(backend, monkeypatch):
    monkeypatch.setattr(constants, "RERANK_WINDOW", 1)
    backend.index(
        [
            SearchDocument(key=f"page:{n}", kind="article", title="其他", url="/", body="疫苗")
            for n in range(20, 25)
        ]
    )
    results = backend.search(SearchQuery(text="疫苗", limit=3))
    assert results.total == 7
    assert {hit.key for hit in results.hits[:2]} == {"page:1", "page:4"}


def test_search_runs_in_a_callers_transaction_without_changing_its_settings(backend):
    with transaction.atomic():
        assert backend.search(SearchQuery(text="疫苗")).total == 2
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW enable_seqscan")
                assert cursor.fetchone()[0] == "on"
