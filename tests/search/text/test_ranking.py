"""The ranking rules: how many words must match, and how a document's text scores."""

import pytest

from search.constants import EXACT_PHRASE_BOOST, MINIMUM_SHOULD_MATCH
from search.text import ranking
from tests.search.text.analysers import analyse

pytestmark = pytest.mark.sqlite


def text(title, body, pinyin=()):
    return ranking.ranking_text(title, list(pinyin), body)


def score(query, document, mask=None, idfs=None):
    clauses = len(query.clauses)
    idfs = idfs or [1.0] * clauses
    mask = (1 << clauses) - 1 if mask is None else mask
    return ranking.score(query, idfs, mask, document, average_length=40)


@pytest.mark.parametrize(
    ("clauses", "required"),
    [(1, 1), (2, 2), (3, 3), (4, 2), (5, 3), (6, 3), (7, 4), (10, 6), (16, 9)],
)
def test_minimum_should_match_is_all_up_to_three_then_sixty_percent(clauses, required):
    # Elasticsearch's "3<60%": above three optional clauses, 60 % of them, rounded down.
    assert MINIMUM_SHOULD_MATCH == "3<60%"
    assert ranking.minimum_should_match(clauses) == required


def test_rarer_words_weigh_more():
    assert ranking.idf(1, 1000) > ranking.idf(100, 1000) > ranking.idf(1000, 1000) > 0


def test_every_word_ranks_above_most_words_above_one_word():
    idfs = [1.0, 1.0, 1.0]
    assert ranking.coverage(0b111, 0, False, idfs) > ranking.coverage(0b011, 0b011, True, idfs)
    assert ranking.coverage(0b011, 0, False, idfs) > ranking.coverage(0b001, 0, False, idfs)


def test_a_phrase_outranks_its_words_scattered():
    query = analyse("七年战争")
    together = text("欧洲历史", "七年战争于1756年爆发，持续了七年。")
    apart = text("欧洲历史", "七年之后，一场战争于1756年爆发，持续很久。")
    assert score(query, together) > score(query, apart) + EXACT_PHRASE_BOOST / 2


def test_a_synonym_pair_counts_once():
    query = analyse("科协 培训", synonyms=[["科协", "科学技术协会"]])
    both = text("通知", "培训由科协与科学技术协会举办。")
    one = text("通知", "培训由科协与市博物馆一同举办。")
    assert len(both) == len(one)
    assert score(query, both) == pytest.approx(score(query, one))


def test_title_matches_outweigh_body_matches():
    query = analyse("火星")
    assert score(query, text("火星探测", "探测器出发了。")) > score(
        query, text("探测器出发了", "火星探测。")
    )


def test_words_close_together_outrank_words_far_apart():
    query = analyse("火星 着陆")
    close = text("新闻", "探测器在火星成功着陆，" + "然后开始工作。" * 6)
    far = text("新闻", "探测器飞向火星，" + "然后开始工作。" * 6 + "成功着陆")
    assert score(query, close) > score(query, far)


def test_a_title_pinyin_match_scores_as_a_title_match():
    query = analyse("huoxing")
    assert score(query, text("火星探测", "探测器出发了。", ["huoxing"])) > score(
        query, text("探测器", "探测器出发了。")
    )
