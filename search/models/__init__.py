"""Search data: organisers' word lists, the embedded index and suggested terms, the query log."""

from search.models.dictionary import DictionaryWord, StopWord, SynonymGroup
from search.models.index import IndexedDocument, SuggestedTerm, SuggestInput
from search.models.query_log import QueryLog

__all__ = [
    "DictionaryWord",
    "IndexedDocument",
    "QueryLog",
    "StopWord",
    "SuggestInput",
    "SuggestedTerm",
    "SynonymGroup",
]
