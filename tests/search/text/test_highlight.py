"""Highlights and snippets: escaped, on the original characters, around the best passage."""

import pytest

from search.text.highlight import highlight, snippet
from tests.search.text.analysers import analyse

pytestmark = pytest.mark.sqlite


def test_highlight_marks_every_match_and_escapes_the_rest():
    assert highlight("<b>疫苗</b> & 疫苗", ("疫苗",)) == (
        "&lt;b&gt;<mark>疫苗</mark>&lt;/b&gt; &amp; <mark>疫苗</mark>"
    )


def test_highlight_maps_simplified_terms_onto_traditional_text():
    assert highlight("新型冠狀病毒疫苗", ("新型冠状病毒",)) == "<mark>新型冠狀病毒</mark>疫苗"


def test_highlight_survives_characters_that_normalise_to_several():
    # "㈱" becomes "(株)" under NFKC: positions still map back to the original text.
    assert (
        highlight("㈱科普Ｋｅｐｕ", ("科普", "kepu")) == "㈱<mark>科普</mark><mark>Ｋｅｐｕ</mark>"
    )


def test_longer_terms_win_over_their_parts():
    assert highlight("新型冠状病毒", ("新型冠状病毒", "病毒")) == "<mark>新型冠状病毒</mark>"


def test_snippet_is_a_window_around_the_only_match_of_the_text_that_has_one():
    body = "甲" * 200 + "疫苗" + "乙" * 200
    text = snippet(["没有匹配的摘要", body], analyse("疫苗"), size=40)
    assert text.startswith("…")
    assert text.endswith("…")
    assert "<mark>疫苗</mark>" in text
    assert len(text.replace("<mark>", "").replace("</mark>", "")) <= 42


def test_snippet_shows_the_passage_where_the_query_words_occur_together():
    body = (
        "来源：市疾控中心。疫苗相关。"
        + "本文介绍季节变化。" * 20
        + "每年秋季接种流感疫苗是预防流感最有效的方法。"
        + "其他内容。" * 20
    )
    text = snippet(["", body], analyse("流感疫苗接种"), size=60)
    assert "来源" not in text
    assert "<mark>接种</mark><mark>流感疫苗</mark>" in text or "接种" in text
    assert "<mark>流感疫苗</mark>" in text


def test_snippet_marks_traditional_text_with_the_simplified_query():
    text = snippet(["接種疫苗前要了解這些。"], analyse("疫苗接种"))
    assert text == "<mark>接種</mark><mark>疫苗</mark>前要了解這些。"


def test_snippet_without_a_match_starts_the_first_non_empty_text():
    assert snippet(["", "<科普>"], analyse("疫苗")) == "&lt;科普&gt;"
    assert snippet(["", ""], analyse("疫苗")) == ""
