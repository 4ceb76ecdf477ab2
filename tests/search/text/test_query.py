"""Query understanding: clauses, question words, one-character words, phrases, synonyms."""

import pytest

from search.constants import MAX_QUERY_CHARS, MAX_QUERY_CLAUSES
from search.text.normalise import is_cjk
from tests.search.text.analysers import analyse

pytestmark = pytest.mark.sqlite


def words(query):
    return [clause.word for clause in query.clauses]


def test_a_question_keeps_its_meaningful_words_and_drops_question_words():
    query = analyse("科协如何开展应急科普")
    assert words(query) == ["科协", "开展", "应急", "科普"]
    assert query.exact == "科协如何开展应急科普"
    assert query.phrases == ("开展应急科普",)


def test_a_question_word_glued_to_a_noun_by_the_dictionary_is_split_off():
    assert words(analyse("泡泡战士是什么游戏")) == ["泡泡", "战士", "游戏"]


def test_the_lexicons_stop_words_need_not_match():
    assert "介绍" in words(analyse("介绍火星探测"))
    assert words(analyse("介绍火星探测", stop_words=["介绍"])) == ["火星", "探测"]


def test_a_query_of_only_stop_words_keeps_them():
    assert words(analyse("什么是")) == ["什么", "是"]


def test_one_character_words_are_backed_by_the_query_bigrams_around_them():
    query = analyse("三舱式结构")
    clauses = {clause.word: clause for clause in query.clauses}
    assert clauses["式"].backing == ("舱式", "式结")
    assert not clauses["式"].anywhere
    assert "结构" in clauses


def test_a_one_character_word_next_to_a_question_word_is_left_to_the_longer_words():
    # 么做 occurs in no answer, and 做 anywhere would match nearly every page.
    query = analyse("心肺复苏怎么做")
    assert words(query) == ["心肺复苏"]
    assert query.exact == "心肺复苏怎么做"
    assert words(analyse("吃了会不会胖")) == ["吃", "胖"]


def test_a_one_character_stop_word_still_backs_a_name_the_segmenter_splits():
    clauses = {clause.word: clause for clause in analyse("广东新会").clauses}
    assert clauses["新"].backing == ("东新", "新会")


def test_spoken_question_forms_need_not_match():
    assert words(analyse("打雷的时候能不能打电话")) == ["打雷", "打电话"]
    assert words(analyse("科普日是哪一天")) == ["科普日"]
    assert words(analyse("台风来了怎么办")) == ["台风"]


def test_a_lone_character_matches_anywhere():
    (clause,) = analyse("协").clauses
    assert clause.anywhere
    assert clause.backing == ()
    assert analyse("协").highlight_terms() == ("协",)


def test_a_single_long_word_is_also_an_exact_phrase():
    assert analyse("七年战争").exact == "七年战争"
    assert analyse("疫苗").exact == ""
    assert analyse("流感 疫苗").exact == "流感疫苗"
    assert analyse("covid 19").exact == "covid 19"


def test_synonyms_are_alternatives_of_one_clause():
    query = analyse("科協 疫苗的作用", synonyms=[["科协", "科学技术协会"]])
    assert [[alt.word for alt in clause] for clause in query.clauses] == [
        ["科协", "科学技术协会"],
        ["疫苗"],
        ["作用"],
    ]
    assert query.clauses[1][0].bigrams == ("疫苗",)
    assert query.clauses[0][1].bigrams == ("科学", "学技", "技术", "术协", "协会")
    terms = query.highlight_terms()
    assert terms.index("科学技术协会") < terms.index("科协")  # the longest marks win


def test_highlights_mark_backing_bigrams_not_every_occurrence_of_a_character():
    terms = analyse("三舱式结构").highlight_terms()
    assert "式" not in terms
    assert {"三舱式结构", "舱式", "式结"} <= set(terms)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "！？。",
        "🎉🚀",
        "\x00\x00",
        "\ud800",
        'title:"x" AND (y OR z) NOT -+~^*?\\/[]{}||&&',
        "疫" * 10_000,
        "一二三四五六七八九十" * 5 + "甲乙丙丁戊己庚辛壬癸" * 5,
        "مرحبا 科普 Привет",
        None,
        12345,
    ],
)
def test_analyse_query_never_raises_and_stays_bounded(text):
    query = analyse(text)
    assert len(query.text) <= MAX_QUERY_CHARS
    assert len(query.clauses) <= MAX_QUERY_CLAUSES
    for clause in query.clauses:
        for alt in clause:
            assert alt.word and all(c.isalnum() for c in alt.word)
        assert all(len(b) == 2 and is_cjk(b) for b in clause.backing)


def test_empty_and_punctuation_queries_are_empty():
    assert analyse("").empty
    assert analyse("！？（）").empty
    assert not analyse("科普").empty
