"""What every backend shares: the text core (`search.text`) with the site's dictionary for
documents and queries, the indexed body, date bounds and paging bounds.

Highlights and snippets come from `search.text.highlight`, on the original text, rather than
from a backend's own highlighter.
"""

from __future__ import annotations

import datetime

from kepu.days import day_start
from search import dictionary
from search.backends.base import SearchDocument, SearchQuery
from search.constants import MAX_BODY_CHARS
from search.text.document import AnalysedDocument, analyse_text
from search.text.query import AnalysedQuery, analyse_query


def document_body(document: SearchDocument) -> str:
    """The indexed body: summary, body, topics and section, cut at MAX_BODY_CHARS."""
    parts = [document.summary, document.body, " ".join(document.topics), document.section]
    return "\n".join(p for p in parts if p)[:MAX_BODY_CHARS]


def analyse_document(document: SearchDocument) -> AnalysedDocument:
    """Runs the pipeline, with the site's dictionary, over a document (index time: may
    import pypinyin)."""
    return analyse_text(
        document.title, document_body(document), document.suggest, dictionary.analyser()
    )


def analyse(text: str) -> AnalysedQuery:
    """A typed query analysed with the site's dictionary (words, synonyms, stop words)."""
    return analyse_query(text, dictionary.analyser())


def date_bounds(query: SearchQuery) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """[start, end) as aware datetimes: whole days in the site's time zone (Asia/Shanghai)."""
    start = end = None
    if query.date_from:
        start = day_start(query.date_from)
    if query.date_to:
        end = day_start(query.date_to + datetime.timedelta(days=1))
    return start, end


def bounded(query: SearchQuery) -> tuple[int, int]:
    """offset and limit kept in a sane range whatever the caller passed."""
    offset = max(0, min(int(query.offset or 0), 10_000))
    limit = max(1, min(int(query.limit or 10), 100))
    return offset, limit
