"""The Elasticsearch index: its `Document` class, analysis, mappings and query DSL.

Mappings need no plugins: the text arrives segmented by `search.pipeline`, so a whitespace
tokenizer with lowercasing is all the analysis there is.
"""

from __future__ import annotations

from elasticsearch.dsl import Completion, Date, Document, Index, Keyword, Q, Text, analyzer

from search import pipeline
from search.backends import common
from search.backends.base import SearchDocument

segmented = analyzer("kepu_segmented", tokenizer="whitespace", filter=["lowercase"])
whole = analyzer("kepu_whole", tokenizer="keyword", filter=["lowercase"])


class SearchEntry(Document):
    """One public object in the index (its `_id` is the document key)."""

    key = Keyword()
    kind = Keyword()
    topics = Keyword()
    date = Date()
    title = Text(index=False)
    url = Keyword(index=False)
    summary = Text(index=False)
    body = Text(index=False)
    section = Keyword(index=False)
    image_url = Keyword(index=False)
    title_tokens = Text(analyzer=segmented)
    body_tokens = Text(analyzer=segmented)
    pinyin = Text(analyzer=segmented)
    title_bigrams = Text(analyzer=segmented)
    body_bigrams = Text(analyzer=segmented)
    suggest = Completion(analyzer=whole, max_input_length=200)


def index_definition(name: str) -> Index:
    """The settings and mappings of a new index version."""
    index = Index(name)
    index.settings(number_of_shards=1)
    index.document(SearchEntry)
    return index


def source(document: SearchDocument) -> dict:
    analysed = common.analyse_document(document)
    return {
        "key": document.key,
        "kind": document.kind,
        "topics": list(document.topics),
        "date": document.date.isoformat() if document.date else None,
        "title": document.title,
        "url": document.url,
        "summary": document.summary,
        "body": document.body[: pipeline.MAX_BODY_CHARS],
        "section": document.section,
        "image_url": document.image_url,
        "title_tokens": " ".join(analysed.title_tokens),
        "body_tokens": " ".join(analysed.body_tokens),
        "pinyin": " ".join(analysed.pinyin),
        "title_bigrams": " ".join(analysed.title_bigrams),
        "body_bigrams": " ".join(analysed.body_bigrams),
        # Shorter titles first, as the embedded backend orders them.
        "suggest": {
            "input": list(analysed.suggest),
            "weight": max(1, 1000 - len(document.title)),
        },
    }


def text_query(analysed: pipeline.AnalysedQuery):
    """Every clause must match: by a word as a token, or by all of its bigrams."""
    clauses = []
    for clause in analysed.clauses:
        should = []
        for alt in clause:
            should.append(
                Q(
                    "multi_match",
                    query=alt.word,
                    fields=["title_tokens^10", "body_tokens^2", "pinyin^6"],
                )
            )
            if alt.bigrams:
                should.append(
                    Q(
                        "multi_match",
                        query=" ".join(alt.bigrams),
                        type="cross_fields",
                        operator="and",
                        fields=["title_bigrams^4", "body_bigrams"],
                    )
                )
        clauses.append(Q("bool", should=should, minimum_should_match=1))
    return Q("bool", must=clauses)
