from content.text_layout import ELLIPSIS, wrap


def width(text: str) -> float:
    return float(len(text))


def test_chinese_breaks_between_any_two_characters():
    assert wrap("身边的科学一点就懂", width, 4) == ["身边的科", "学一点就", "懂"]


def test_closing_punctuation_never_starts_a_line():
    lines = wrap("防疫知识网上有奖竞答，欢迎参加！", width, 10)

    assert lines == ["防疫知识网上有奖竞", "答，欢迎参加！"]
    assert all(line[0] not in "，。！？、）》" for line in lines)


def test_opening_punctuation_never_ends_a_line():
    lines = wrap("我爱读《科学》杂志", width, 3)

    assert all(line[-1] not in "《（「" for line in lines)
    assert "".join(lines) == "我爱读《科学》杂志"


def test_latin_words_and_numbers_stay_together():
    assert wrap("检测COVID-19的方法", width, 9) == ["检测", "COVID-19的", "方法"]


def test_a_word_longer_than_the_line_is_broken():
    assert wrap("ABCDEFGHIJ", width, 4) == ["ABCD", "EFGH", "IJ"]


def test_cut_text_ends_with_an_ellipsis_within_the_width():
    lines = wrap("一二三四五六七八九十" * 3, width, 6, max_lines=2)

    assert len(lines) == 2
    assert lines[-1].endswith(ELLIPSIS)
    assert all(len(line) <= 6 for line in lines)
