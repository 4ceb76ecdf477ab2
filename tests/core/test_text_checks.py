import pytest
from django.core.exceptions import ValidationError

from competitions.core import text_checks
from competitions.core.models import ModerationWord
from tests.factories.users import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def words():
    ModerationWord.objects.get_or_create(word="笨蛋")


def test_texts_are_normalised_and_stripped_of_control_characters():
    assert text_checks.clean_text(" 好\x00书\u200b  真 \n\n\n\n看，", 20) == "好书 真\n\n看，"


def test_a_text_too_long_is_refused_saying_how_long_it_may_be():
    with pytest.raises(ValidationError) as refused:
        text_checks.clean_text("字" * 21, 20)

    assert "20" in refused.value.messages[0] and "21" in refused.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "你是笨蛋",
        "打我电话13812345678",
        "qq 1234 5678 9",
        "微信：zhang_san88",
        "去 https://example.com 看",
        "www.example.cn",
    ],
)
def test_filtered_words_and_contact_details_are_refused(text):
    with pytest.raises(ValidationError) as refused:
        text_checks.clean_public_text(text, 200)

    assert any("\u4e00" <= c <= "\u9fff" for c in refused.value.messages[0])


@pytest.mark.parametrize(
    "text", ["我读了 3 遍，第 12 页最好看", "2024年的电话发明史", "推荐给大家"]
)
def test_ordinary_notes_pass(text):
    assert text_checks.clean_public_text(text, 200) == text


def test_a_word_added_by_organisers_counts_at_once():
    ModerationWord.objects.create(word="怪兽")

    with pytest.raises(ValidationError):
        text_checks.check_public_text("小怪兽")


def test_minors_anonymous_writers_and_unknown_ages_are_premoderated():
    assert text_checks.needs_premoderation(None)
    assert text_checks.needs_premoderation(PupilFactory())
    assert not text_checks.needs_premoderation(UserFactory())


def test_full_width_digits_cannot_hide_a_phone_number():
    with pytest.raises(ValidationError):
        text_checks.clean_public_text("电话１３８１２３４５６７８", 200)
