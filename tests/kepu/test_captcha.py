import pytest
from django.core.cache import cache

from kepu import captcha
from tests.captcha import QUESTION, answer_to, solve

pytestmark = pytest.mark.sqlite

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_a_question_is_a_small_sum_in_chinese_words():
    for _ in range(50):
        challenge = captcha.new_challenge()

        assert QUESTION.fullmatch(challenge.question), challenge.question
        assert 0 < answer_to(challenge.question) <= 18
        assert challenge.prompt == f"请回答：{challenge.question}"


def test_the_right_answer_passes_once():
    challenge = captcha.new_challenge()
    answer = str(answer_to(challenge.question))

    assert captcha.check(challenge.token, answer)
    assert not captcha.check(challenge.token, answer)


def test_a_wrong_answer_uses_the_challenge_up():
    challenge = captcha.new_challenge()
    answer = answer_to(challenge.question)

    assert not captcha.check(challenge.token, str(answer + 1))
    assert not captcha.check(challenge.token, str(answer))


@pytest.mark.parametrize(
    "spell",
    [
        str,
        lambda n: str(n).translate(FULL_WIDTH),
        lambda n: f"  {n}\n",
        lambda n: f"{n}。",
        lambda n: f"＝{n}！",
        captcha.chinese_numeral,
        lambda n: f"{captcha.chinese_numeral(n)}。",
    ],
    ids=["digits", "full-width", "spaces", "full stop", "symbols", "numeral", "numeral+stop"],
)
def test_answers_are_read_the_way_people_type_them(spell):
    challenge = captcha.new_challenge()

    assert captcha.check(challenge.token, spell(answer_to(challenge.question)))


@pytest.mark.parametrize(
    "answer",
    ["", "   ", "abc", "十五五", "一百", "五十十", "🙂", "\x00", "1" * 10_000, "١٥", None],
)
def test_malformed_answers_are_simply_wrong(answer):
    challenge = captcha.new_challenge()

    assert captcha.check(challenge.token, answer) is False
    # Used up all the same: the next try needs the next question.
    assert not captcha.check(challenge.token, str(answer_to(challenge.question)))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7", 7),
        ("０", 0),
        ("１５", 15),
        ("²", 2),
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("二十三", 23),
        ("两", 2),
        ("〇", 0),
        (" 1 2 ", 12),
        ("十五五", None),
        ("五五", None),
        ("1234", None),
        ("twelve", None),
    ],
)
def test_parse_answer(text, value):
    assert captcha.parse_answer(text) == value


@pytest.mark.parametrize("n", range(100))
def test_every_number_below_100_reads_back_from_its_numeral(n):
    assert captcha.parse_answer(captcha.chinese_numeral(n)) == n


def test_forged_expired_and_missing_tokens_fail():
    challenge = captcha.new_challenge()
    answer = str(answer_to(challenge.question))

    assert not captcha.check("forged:token", answer)
    assert not captcha.check("", answer)
    assert not captcha.check(None, answer)
    # The answer is kept only on the server: without it, the token alone proves nothing.
    cache.clear()  # expired, or the cache vanished
    assert not captcha.check(challenge.token, answer)


def test_a_token_older_than_its_lifetime_fails(settings):
    challenge = captcha.new_challenge()
    settings.KEPU_CAPTCHA_SECONDS = -1

    assert not captcha.check(challenge.token, str(answer_to(challenge.question)))


def test_the_form_shows_a_fresh_question_as_the_label_and_never_a_previous_answer():
    old = captcha.new_challenge()
    answer = str(answer_to(old.question))
    form = captcha.CaptchaForm(data={"captcha": answer, "captcha_token": old.token})

    html = str(form)
    field = form.fields["captcha"]

    assert field.challenge.prompt in html and 'for="id_captcha"' in html
    assert 'inputmode="numeric"' in html and f'value="{answer}"' not in html
    assert solve(html)["captcha_token"] == field.challenge.token != old.token
    assert field.solved(field.widget.value_from_datadict(form.data, {}, "captcha"))
