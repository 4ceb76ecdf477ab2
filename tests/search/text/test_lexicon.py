"""Lexicons: the committed word lists plus the words, stop words and synonyms given."""

import pytest

from search.text.lexicon import base_stop_words, base_words, build_lexicon

pytestmark = pytest.mark.sqlite


def test_the_committed_lists_are_read_normalised_without_comments():
    assert {"科普", "科协", "全国科普日"} <= set(base_words())
    assert {"的", "如何", "哪些", "什么", "哪一门"} <= set(base_stop_words())
    assert not [w for w in base_words() + base_stop_words() if w.startswith("#")]


def test_stop_words_are_the_committed_list_and_the_given_words():
    lexicon = build_lexicon(stop_words=["請問一下"])
    assert "请问一下" in lexicon.stop_words
    assert "科普" not in lexicon.stop_words


def test_stop_words_and_synonyms_are_kept_whole_by_the_segmenter():
    lexicon = build_lexicon(stop_words=["请问一下"], synonym_groups=[["发烧", "发热"]])
    assert {"请问一下", "发烧", "发热"} <= set(lexicon.whole)


def test_a_term_in_two_groups_gets_the_other_terms_of_both():
    lexicon = build_lexicon(synonym_groups=[["着火", "火灾"], ["着火", "失火"]])
    assert lexicon.synonyms["着火"] == ("火灾", "失火")
    assert lexicon.synonyms["失火"] == ("着火",)


def test_lexicons_with_the_same_lists_are_equal():
    assert build_lexicon(words=["蛟龙号"]) == build_lexicon(words=["蛟龙号"])
    assert build_lexicon(words=["蛟龙号"]) != build_lexicon()
