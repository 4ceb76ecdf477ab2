"""Normalisation: Simplified characters, width and case; bigrams, characters, prefixes."""

import pytest

from search.text.normalise import bigrams, characters_of_normalised, clean_prefix, is_cjk, normalise

pytestmark = pytest.mark.sqlite


def test_normalise_converts_traditional_first_then_width_and_case():
    assert normalise("電腦與疫苗接種") == "电脑与疫苗接种"
    assert normalise("ＣＯＶＩＤ－１９") == "covid-19"
    assert normalise("Kepu") == "kepu"
    assert normalise("科普\x00日") == "科普 日"
    assert normalise("") == ""


def test_bigrams_cover_each_run_of_chinese_characters():
    assert bigrams("新冠疫苗，电脑 abc 火") == ["新冠", "冠疫", "疫苗", "电脑"]
    assert bigrams("電腦") == ["电脑"]


def test_characters_are_the_distinct_chinese_characters_in_order():
    assert characters_of_normalised("科协和科普 kepu") == ["科", "协", "和", "普"]


def test_only_a_run_of_chinese_characters_is_cjk():
    assert is_cjk("科普") and not is_cjk("科普a") and not is_cjk("")


def test_clean_prefix_keeps_letters_and_digits_normalised():
    assert clean_prefix("Ke Pu") == "kepu"
    assert clean_prefix("科 普！") == "科普"
    assert clean_prefix("科協") == "科协"
