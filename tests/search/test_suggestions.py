"""Suggested terms: dictionary words, synonyms and popular searches by characters, pinyin in
full or initials, and Traditional input."""

import datetime

import pytest
from django.utils import timezone

from search import query_log, suggestions
from search.models import DictionaryWord, SuggestedTerm, SynonymGroup

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def terms():
    SynonymGroup.objects.create(terms="人工智能, AI")
    DictionaryWord.objects.create(word="蛟龙号")
    for _ in range(3):
        query_log.record("科协 工作总结", 4, "embedded")
    suggestions.refresh_terms()


@pytest.mark.parametrize("typed", ["kexie", "kx", "KX", "科協", "科"])
def test_pinyin_initials_and_traditional_input_suggest_the_dictionary_word(terms, typed):
    assert "科协" in suggestions.suggest_terms(typed)


def test_an_exact_pinyin_match_comes_first():
    suggestions.refresh_terms()
    assert suggestions.suggest_terms("kx")[0] == "科协"
    assert suggestions.suggest_terms("kepu")[0] == "科普"


def test_synonyms_organisers_words_and_popular_searches_are_suggested(terms):
    assert "人工智能" in suggestions.suggest_terms("rgzn")
    assert "蛟龙号" in suggestions.suggest_terms("jiaolong")
    assert "科协 工作总结" in suggestions.suggest_terms("kxgz")


def test_the_most_searched_term_comes_first_among_equals(terms):
    for _ in range(5):
        query_log.record("科学实验", 2, "embedded")
    suggestions.refresh_terms()
    found = suggestions.suggest_terms("kexue")
    assert found.index("科学实验") < found.index("科学家")


def test_searches_that_found_nothing_or_are_old_are_not_suggested():
    query_log.record("量子纠缠体验", 0, "embedded")
    old = timezone.localdate() - datetime.timedelta(days=40)
    query_log.record("旧日热门话题", 3, "embedded", day=old)
    suggestions.refresh_terms()
    assert suggestions.suggest_terms("lzjc") == []
    assert suggestions.suggest_terms("旧日") == []


def test_a_refresh_replaces_the_terms(terms):
    DictionaryWord.objects.filter(word="蛟龙号").delete()
    suggestions.refresh_terms()
    assert suggestions.suggest_terms("jiaolong") == []
    assert SuggestedTerm.objects.filter(term="科协").exists()


def test_changing_the_word_lists_asks_a_worker_to_refresh():
    from outbox.models import OutboxMessage

    DictionaryWord.objects.create(word="天问一号")
    assert OutboxMessage.objects.filter(target=suggestions.REFRESH_TARGET).exists()


@pytest.mark.parametrize("typed", ["", "！？", "\x00", "🦠"])
def test_odd_input_suggests_nothing(typed):
    assert suggestions.suggest_terms(typed) == []
