"""The Elasticsearch index: its `Document` class, analysis, mappings and query DSL.

Mappings need no plugins: the text arrives segmented by the text core (`search.text`), so a
whitespace tokenizer with lowercasing is all the analysis there is. The query is
`search.text.ranking`'s rules as one `bool` query (see `text_query`).
"""

from __future__ import annotations

from elasticsearch.dsl import Completion, Date, Document, Index, Keyword, Q, Text, analyzer

from search import dictionary
from search.backends import common
from search.backends.base import SearchDocument
from search.constants import (
    ALL_TERMS_BOOST,
    EXACT_PHRASE_BOOST,
    MAX_BODY_CHARS,
    MINIMUM_SHOULD_MATCH,
    PHRASE_BOOST,
    PROXIMITY_SHARE,
    PROXIMITY_SLOP,
    TITLE_WEIGHT,
)
from search.text.normalise import bigrams_of_normalised, is_cjk
from search.text.query import AnalysedQuery, Clause

_TITLE = f"^{TITLE_WEIGHT:g}"
TOKEN_FIELDS = [f"title_tokens{_TITLE}", "body_tokens", f"pinyin{_TITLE}"]
BIGRAM_FIELDS = [f"title_bigrams{_TITLE}", "body_bigrams"]
CHAR_FIELDS = [f"title_chars{_TITLE}", "body_chars"]

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
    title_chars = Text(analyzer=segmented)
    body_chars = Text(analyzer=segmented)
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
        "body": document.body[:MAX_BODY_CHARS],
        "section": document.section,
        "image_url": document.image_url,
        "title_tokens": " ".join(analysed.title_tokens),
        "body_tokens": " ".join(analysed.body_tokens),
        "pinyin": " ".join(analysed.pinyin),
        "title_bigrams": " ".join(analysed.title_bigrams),
        "body_bigrams": " ".join(analysed.body_bigrams),
        "title_chars": " ".join(analysed.title_chars),
        "body_chars": " ".join(analysed.body_chars),
        # Shorter titles first, as the embedded backend orders them.
        "suggest": {
            "input": list(analysed.suggest),
            "weight": max(1, 1000 - len(document.title)),
        },
    }


def clause_query(clause: Clause) -> Q:
    """One clause: the best of its alternatives counts (`dis_max`, so a document holding
    both 科协 and 科学技术协会 is not scored twice); a word as a token, or all of its bigrams;
    a one-character word also by the query's bigrams around it, or anywhere if alone."""
    queries = []
    for alt in clause.matching:
        queries.append(Q("multi_match", query=alt.word, fields=TOKEN_FIELDS))
        if alt.bigrams:
            queries.append(
                Q(
                    "multi_match",
                    query=" ".join(alt.bigrams),
                    type="cross_fields",
                    operator="and",
                    fields=BIGRAM_FIELDS,
                )
            )
    queries.extend(Q("multi_match", query=b, fields=BIGRAM_FIELDS) for b in clause.backing)
    if clause.anywhere:
        queries.append(Q("multi_match", query=clause.word, fields=CHAR_FIELDS))
    return Q("dis_max", queries=queries, tie_breaker=0.0)


def phrase_query(text: str) -> Q:
    """`text` as written, in the title or the body: consecutive bigrams for Chinese (an exact
    substring), consecutive tokens otherwise."""
    if is_cjk(text):
        words, fields = bigrams_of_normalised(text), ("title_bigrams", "body_bigrams")
    else:
        words, fields = (
            dictionary.analyser().tokens_of_normalised(text),
            ("title_tokens", "body_tokens"),
        )
    return Q(
        "bool",
        should=[Q("match_phrase", **{field: " ".join(words)}) for field in fields],
        minimum_should_match=1,
    )


def text_query(analysed: AnalysedQuery, *, relaxed: bool = False) -> Q:
    """`search.text.ranking`'s rules as one `bool` query.

    `must`: the clauses, `minimum_should_match` of them (any one when `relaxed`), each
    scoring BM25 with the title weighted. `should`: every clause (a constant
    `ALL_TERMS_BOOST`), the exact phrase (`EXACT_PHRASE_BOOST`), each phrase (its length ×
    `PHRASE_BOOST`) and the words within `PROXIMITY_SLOP` tokens of each other.
    """
    clauses = [clause_query(clause) for clause in analysed.clauses]
    minimum = 1 if relaxed else MINIMUM_SHOULD_MATCH
    boosts = [Q("constant_score", filter=Q("bool", filter=clauses), boost=ALL_TERMS_BOOST)]
    if analysed.exact:
        boosts.append(
            Q(
                "constant_score",
                filter=phrase_query(analysed.exact),
                boost=EXACT_PHRASE_BOOST,
            )
        )
    boosts.extend(
        Q("constant_score", filter=phrase_query(phrase), boost=PHRASE_BOOST * len(phrase))
        for phrase in analysed.phrases
    )
    if len(clauses) > 1:
        boosts.append(
            Q(
                "match_phrase",
                body_tokens={
                    "query": " ".join(clause.word for clause in analysed.clauses),
                    "slop": PROXIMITY_SLOP,
                    "boost": PROXIMITY_SHARE,
                },
            )
        )
    return Q(
        "bool",
        must=[Q("bool", should=clauses, minimum_should_match=minimum)],
        should=boosts,
    )
