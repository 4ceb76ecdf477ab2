"""Answering the captcha (kepu/captcha.py) as a person does: read the question on the page."""

import re

QUESTION = re.compile(r"([零一二三四五六七八九十]+)(加|减)([零一二三四五六七八九十]+)等于几？")
TOKEN = re.compile(r'name="captcha_token" value="([^"]+)"')
DIGITS = "零一二三四五六七八九"


def numeral(text: str) -> int:
    """A Chinese numeral below 100 (七, 十二, 二十) as a number."""
    if "十" not in text:
        return DIGITS.index(text)
    tens, _, units = text.partition("十")
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(units) if units else 0)


def answer_to(question: str) -> int:
    match = QUESTION.search(question)
    assert match, f"no captcha question in {question[:200]!r}"
    a, b = numeral(match.group(1)), numeral(match.group(3))
    return a + b if match.group(2) == "加" else a - b


def solve(html: str, answer: str | None = None) -> dict[str, str]:
    """The captcha fields of the page `html`, filled in with the right answer (or `answer`)."""
    token = TOKEN.search(html)
    assert token, "no captcha on the page"
    given = str(answer_to(html)) if answer is None else answer
    return {"captcha": given, "captcha_token": token.group(1)}


def has_captcha(html: str) -> bool:
    return bool(TOKEN.search(html))
