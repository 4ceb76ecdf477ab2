"""Relevance on a committed test set: recall and nDCG@10 per backend.

tests/search/relevance/ holds 40 original documents (some in Traditional characters) and 33
queries with graded judgments (2: about it, 1: related), including Traditional-character
queries, pinyin, synonyms and two-character words. The figures are printed in the test
summary ("search relevance") and must stay above the floors below.
"""

import datetime
import json
import math
from pathlib import Path

import pytest

from search.backends.base import SearchDocument, SearchQuery
from search.models import SynonymGroup
from tests.search.conftest import RELEVANCE_REPORT

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

HERE = Path(__file__).resolve().parent / "relevance"
# Floors, a little under what both backends reach today (see docs/search.md): every query in
# the set has an unambiguous answer, so a drop means the pipeline broke something real.
MIN_MEAN_RECALL = 0.95
MIN_MEAN_NDCG = 0.90
# No single query may lose most of its relevant documents.
MIN_QUERY_RECALL = 0.5


def load_documents():
    for row in json.loads((HERE / "documents.json").read_text("utf-8")):
        yield SearchDocument(
            key=row["key"],
            kind=row["kind"],
            title=row["title"],
            url=f"/r/{row['key']}/",
            summary=row["summary"],
            body=row["body"],
            topics=tuple(row["topics"]),
            date=datetime.datetime.fromisoformat(row["date"]).replace(tzinfo=datetime.UTC),
        )


def dcg(gains):
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))


def ndcg_at_10(ranked, judgments):
    ideal = dcg(sorted(judgments.values(), reverse=True)[:10])
    return dcg([judgments.get(key, 0) for key in ranked[:10]]) / ideal


def recall_at_10(ranked, judgments):
    return len(set(ranked[:10]) & set(judgments)) / len(judgments)


def test_relevance_set(backend, backend_name):
    spec = json.loads((HERE / "queries.json").read_text("utf-8"))
    for terms in spec["synonyms"]:
        SynonymGroup.objects.create(terms="\n".join(terms))
    backend.index(load_documents())

    recalls, ndcgs, weak = [], [], []
    for item in spec["queries"]:
        results = backend.search(SearchQuery(text=item["query"], limit=10))
        ranked = [hit.key for hit in results.hits]
        recall = recall_at_10(ranked, item["relevant"])
        recalls.append(recall)
        ndcgs.append(ndcg_at_10(ranked, item["relevant"]))
        if recall < 1:
            weak.append(f"{item['query']} ({item['note']}): recall {recall:.2f}, got {ranked}")

    mean_recall = sum(recalls) / len(recalls)
    mean_ndcg = sum(ndcgs) / len(ndcgs)
    RELEVANCE_REPORT.append(
        f"{backend_name} on {backend.name if backend_name == 'elastic' else _database()}: "
        f"{len(recalls)} queries, mean recall@10 {mean_recall:.3f}, mean nDCG@10 {mean_ndcg:.3f}"
    )
    RELEVANCE_REPORT.extend(f"  missed: {line}" for line in weak)

    assert mean_recall >= MIN_MEAN_RECALL, weak
    assert mean_ndcg >= MIN_MEAN_NDCG
    assert min(recalls) >= MIN_QUERY_RECALL, weak


def _database():
    from django.db import connection

    return connection.vendor
