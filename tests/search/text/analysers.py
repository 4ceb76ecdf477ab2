"""Queries analysed by the text core alone: the committed word lists, plus the synonym groups
and stop words a test states (no database, no settings)."""

from search.text.lexicon import build_lexicon
from search.text.query import AnalysedQuery, analyse_query
from search.text.segment import Analyser, committed_analyser


def analyser(*, synonyms=(), stop_words=()) -> Analyser:
    if not synonyms and not stop_words:
        return committed_analyser()
    return Analyser(build_lexicon(stop_words=stop_words, synonym_groups=synonyms))


def analyse(text, *, synonyms=(), stop_words=()) -> AnalysedQuery:
    return analyse_query(text, analyser(synonyms=synonyms, stop_words=stop_words))
