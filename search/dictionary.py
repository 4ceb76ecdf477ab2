"""The site's dictionary: the committed word lists plus the words, stop words and synonyms
organisers edit in the admin, as the text core's `Analyser`.

Every search and every indexed document reads `analyser()`. It is kept in the process by a
`kepu.memo.VersionedMemo`: the process rereads the shared version at most every
`DICTIONARY_CHECK_SECONDS`, and an organiser's change moves it, so every process uses the
new words within seconds (the one that made the change at once), without reindexing. When
the words are reread, the segmenter is rebuilt only if they differ: with the shared cache
unreachable the words are reread from the database on each call (a few small queries), never
the segmenter (about a second). Without a database the committed lists still segment well.
"""

from __future__ import annotations

import logging
import threading

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from kepu.memo import VersionedMemo
from search.constants import DICTIONARY_CHECK_SECONDS
from search.models import DictionaryWord, StopWord, SynonymGroup
from search.text.lexicon import build_lexicon
from search.text.normalise import normalise
from search.text.segment import Analyser, committed_analyser

logger = logging.getLogger(__name__)

memo = VersionedMemo("search-dictionary", recheck_seconds=DICTIONARY_CHECK_SECONDS)

_current: Analyser | None = None
_current_lock = threading.Lock()


def _load() -> Analyser:
    """Reads the organisers' lists; the analyser in use if they did not change."""
    global _current
    lexicon = build_lexicon(
        words=DictionaryWord.objects.values_list("word", flat=True),
        stop_words=StopWord.objects.values_list("word", flat=True),
        synonym_groups=[group.term_list() for group in SynonymGroup.objects.all()],
    )
    with _current_lock:
        if _current is None or _current.lexicon != lexicon:
            _current = Analyser(lexicon)
        return _current


def analyser() -> Analyser:
    """The analyser of the committed lists and the organisers' words. Never raises: without
    a database (yet), the committed lists alone."""
    try:
        return memo.get("analyser", _load)
    except Exception as error:
        logger.info("search dictionary not loaded from the database: %s", error)
        return committed_analyser()


def forget() -> None:
    """This process rereads the organisers' lists on the next use (its own edits)."""
    memo.forget()


def changed() -> None:
    """Every process rereads the organisers' lists (this one at once, the others within
    DICTIONARY_CHECK_SECONDS)."""
    memo.invalidate()


def warm_up() -> None:
    """Loads OpenCC, the segmenter, synonyms and stop words now, so that a worker's first
    search pays nothing (called when a gunicorn or Celery worker starts). Never raises."""
    try:
        normalise("預熱")
        analyser().tokens("预热")
    except Exception:
        logger.warning("search warm-up failed", exc_info=True)


def _lists_changed(**kwargs):
    # This process at once (its own reads see the change), the others once it is committed.
    forget()
    transaction.on_commit(changed)


def connect() -> None:
    """Organisers' edits to the word lists reach every process (SearchConfig.ready())."""
    for model in (DictionaryWord, StopWord, SynonymGroup):
        uid = f"search_dictionary_{model.__name__.lower()}"
        post_save.connect(_lists_changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(_lists_changed, sender=model, dispatch_uid=f"{uid}_deleted")
