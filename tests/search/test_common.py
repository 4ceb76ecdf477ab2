"""Highlights and snippets: escaped, on the original characters, around the first match."""

import pytest

from search.backends.common import highlight, snippet

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


def test_snippet_is_a_window_around_the_first_match_of_the_first_text_that_has_one():
    body = "甲" * 200 + "疫苗" + "乙" * 200
    text = snippet(["没有匹配的摘要", body], ("疫苗",), size=40)
    assert text.startswith("…")
    assert text.endswith("…")
    assert "<mark>疫苗</mark>" in text
    assert len(text.replace("<mark>", "").replace("</mark>", "")) <= 42


def test_snippet_without_a_match_starts_the_first_non_empty_text():
    assert snippet(["", "<科普>"], ("疫苗",)) == "&lt;科普&gt;"
    assert snippet(["", ""], ("疫苗",)) == ""
