"""Segmentation with a lexicon: tokens for documents, words for queries, synonyms, stop words."""

import threading

import pytest

from search.text.lexicon import build_lexicon
from search.text.segment import Analyser, committed_analyser

pytestmark = pytest.mark.sqlite


@pytest.fixture
def analyser():
    return committed_analyser()


def test_traditional_text_segments_like_simplified_text(analyser):
    assert analyser.tokens("新型冠狀病毒疫苗") == analyser.tokens("新型冠状病毒疫苗")


def test_the_base_dictionary_keeps_field_words_whole(analyser):
    tokens = analyser.tokens("全国科普日新冠防疫知识有奖竞答")
    for word in ["全国科普日", "新冠", "防疫", "竞答", "有奖竞答"]:
        assert word in tokens


def test_search_mode_also_yields_the_parts_of_long_words(analyser):
    assert {"科学技术协会", "科学", "技术", "协会"} <= set(analyser.tokens("科学技术协会"))


def test_punctuation_symbols_and_emoji_are_dropped(analyser):
    assert analyser.tokens("疫苗！？🎉（科普）…") == ["疫苗", "科普"]
    assert set(analyser.tokens("COVID-19")) == {"covid", "19"}
    assert analyser.tokens("！？。") == []


def test_question_words_segment_whole(analyser):
    assert "哪一门" in analyser.words("他擅长哪一门学科")


def test_query_words_do_not_glue_an_unknown_name_to_the_next_character(analyser):
    # jieba's guessing (HMM) reads 刘七是, a word no document holds.
    assert "刘七是" not in analyser.words("刘七是怎么死的")
    assert "刘七是" in "".join(analyser.words("刘七是怎么死的"))


def test_a_lexicons_words_segment_whole():
    assert "蛟龙号" not in committed_analyser().tokens("蛟龙号下潜")
    assert "蛟龙号" in Analyser(build_lexicon(words=["蛟龙号"])).tokens("蛟龙号下潜")


def test_synonyms_apply_both_ways_and_only_to_queries():
    analyser = Analyser(build_lexicon(synonym_groups=[["新冠", "新型冠状病毒"]]))
    assert analyser.synonyms("新冠") == ("新型冠状病毒",)
    assert analyser.synonyms("新型冠狀病毒") == ("新冠",)  # Traditional input too
    assert analyser.synonyms("疫苗") == ()
    assert "新型冠状病毒" not in analyser.tokens("新冠疫苗")


def test_the_segmenter_is_built_once_under_concurrent_first_use():
    analyser = Analyser(build_lexicon(words=["并发测试词"]))
    tokenizers = []

    def segment():
        analyser.tokens("科普")
        tokenizers.append(id(analyser.tokenizer))

    threads = [threading.Thread(target=segment) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokenizers) == 8 and len(set(tokenizers)) == 1
