"""Where a query's clauses occur: occurrences, the shortest span, the best window."""

import pytest

from search.text.passages import best_window, minimal_span, occurrences

pytestmark = pytest.mark.sqlite


def test_occurrences_are_in_order_and_a_longer_string_hides_its_parts():
    text = "科学技术协会和科协"
    found = occurrences(text, [("科学技术协会", "协会"), ("科协",)])
    assert found == [(0, 6, 0), (7, 9, 1)]


def test_the_minimal_span_holds_one_occurrence_of_each_clause():
    text = "七年" + "的" * 30 + "战争" + "爆发的七年战争"
    found = occurrences(text, [("七年",), ("战争",)])
    assert minimal_span(found) == (2, 4)
    assert minimal_span([]) == (0, 0)


def test_the_best_window_holds_the_most_clauses_not_the_first_match():
    text = "来源：疫苗。" + "无关的句子。" * 30 + "接种疫苗可以预防流感。"
    found = occurrences(text, [("疫苗",), ("流感",), ("接种",)])
    weight, start, end = best_window(found, [1.0, 1.0, 1.0], 40)
    assert weight == 3.0
    assert text[start:end] == "接种疫苗可以预防流感"
    assert best_window([], [1.0], 40) is None
