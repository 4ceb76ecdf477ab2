"""Index-time pinyin: a title's suggestion inputs."""

import pytest

from search.text.pinyin import char_pinyin, suggest_inputs

pytestmark = pytest.mark.sqlite


def test_suggest_inputs_are_the_title_its_pinyin_and_initials():
    assert suggest_inputs("科普") == ("科普", "kepu", "kp")
    assert suggest_inputs("電腦 Ａ1") == ("电脑a1", "diannaoa1", "dna1")
    assert suggest_inputs("！") == ()


def test_one_syllable_or_the_character_itself_per_character():
    assert char_pinyin("科普a1") == ["ke", "pu", "a", "1"]
