"""Suggested terms: words the search box offers as searches, typed in characters (Simplified
or Traditional), full pinyin or initials (`kexie`, `kx`, `科協` → 科协).

The terms are the dictionary's words (the committed list and organisers' words), every
synonym, and the popular searches of the last 30 days that found something; topics and page
titles come from the index's own suggestions (`SearchBackend.suggest`). Their completion
inputs need pypinyin, so `refresh_terms` runs in a Celery worker (after the word lists
change, and on a schedule for the popular searches); the web process only reads the table.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save

from kepu.days import local_day
from outbox import services as outbox
from search.constants import MAX_TERM_CHARS, POPULAR_DAYS, POPULAR_TERMS
from search.models import DictionaryWord, QueryLog, StopWord, SuggestedTerm, SynonymGroup
from search.text.lexicon import base_words
from search.text.normalise import clean_prefix, normalise
from search.text.pinyin import suggest_inputs

logger = logging.getLogger(__name__)

REFRESH_TARGET = "search.refresh_suggestions"


@dataclass(frozen=True)
class Term:
    term: str
    source: str
    weight: int = 0


def request_refresh() -> None:
    """Ask for the terms to be rebuilt after the current transaction commits (outbox)."""
    outbox.enqueue(REFRESH_TARGET)


def _lists_changed(**kwargs):
    # The suggested terms follow the word lists (pinyin is computed by a worker).
    request_refresh()


def connect() -> None:
    """Organisers' edits to the word lists refresh the suggested terms (SearchConfig.ready())."""
    for model in (DictionaryWord, StopWord, SynonymGroup):
        uid = f"search_suggestions_{model.__name__.lower()}"
        post_save.connect(_lists_changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_lists_changed, sender=model, dispatch_uid=f"{uid}_deleted")


def collect_terms() -> list[Term]:
    """Every term to suggest, once each (a popular search keeps its weight)."""
    terms: dict[str, Term] = {}

    def add(text: str, source: str, weight: int = 0) -> None:
        text = " ".join(normalise(text).split())[:MAX_TERM_CHARS]
        if clean_prefix(text) and text not in terms:
            terms[text] = Term(text, source, weight)

    since = local_day() - datetime.timedelta(days=POPULAR_DAYS - 1)
    popular = (
        QueryLog.objects.filter(day__gte=since, results__gt=0)
        .values("query")
        .annotate(total=Sum("searches"))
        .order_by("-total", "query")[:POPULAR_TERMS]
    )
    for row in popular:
        add(row["query"], SuggestedTerm.Source.POPULAR, row["total"])
    for word in [*base_words(), *DictionaryWord.objects.values_list("word", flat=True)]:
        add(word, SuggestedTerm.Source.DICTIONARY)
    for group in SynonymGroup.objects.all():
        for term in group.term_list():
            add(term, SuggestedTerm.Source.SYNONYM)
    return list(terms.values())


def refresh_terms() -> int:
    """Rebuild the suggested terms with their inputs (the term, full pinyin, initials).

    Imports pypinyin: call from a worker, never in a request. Replaces the table in one
    transaction, so suggestions never see it half-built. Returns how many terms it holds.
    """
    terms = collect_terms()
    rows = [
        SuggestedTerm(term=term.term, input=text[:200], source=term.source, weight=term.weight)
        for term in terms
        for text in suggest_inputs(term.term)
    ]
    with transaction.atomic():
        SuggestedTerm.objects.all().delete()
        SuggestedTerm.objects.bulk_create(rows, batch_size=500)
    return len(terms)


def suggest_terms(prefix: str, limit: int = 4) -> list[str]:
    """Terms completing `prefix` (characters, pinyin in full or initials): a term whose
    input is exactly the prefix first, then the most searched, then the shortest.
    Never raises: an empty list when the table cannot be read."""
    cleaned = clean_prefix(prefix)
    if not cleaned:
        return []
    try:
        rows = list(
            SuggestedTerm.objects.filter(
                input__gte=cleaned, input__lt=cleaned + "\U0010ffff", input__startswith=cleaned
            )
            .order_by("input")
            .values_list("term", "input", "weight")[:200]
        )
    except Exception:
        logger.warning("suggested terms unavailable", exc_info=True)
        return []
    best: dict[str, tuple] = {}
    for term, text, weight in rows:
        key = (text != cleaned, -weight, len(term), term)
        if term not in best or key < best[term]:
            best[term] = key
    return [term for term, _key in sorted(best.items(), key=lambda item: item[1])][:limit]
