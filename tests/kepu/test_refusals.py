import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kepu.refusals import Refusal

pytestmark = pytest.mark.sqlite


class Closed(Refusal):
    message = _("Voting is not open for this contest now.")


def test_a_refusal_without_a_message_says_its_class_sentence_in_chinese():
    with translation.override("zh-hans"):
        error = Closed()

        assert str(error) == str(error.message) == "本次征集目前未开放投票。"
        assert error.code == "refused"


def test_a_message_and_a_code_given_when_raising_replace_the_defaults():
    error = Closed("请先登录。", code="sign_in")

    assert (error.message, error.code, str(error)) == ("请先登录。", "sign_in", "请先登录。")


def test_the_apps_refusals_share_the_one_base_class():
    from accounts.consent import ConsentError
    from competitions.bookdrift.journeys import JourneyError
    from competitions.quizzes.attempts import QuizError
    from competitions.voting.services import VoteError

    assert all(
        issubclass(cls, Refusal) for cls in (ConsentError, JourneyError, QuizError, VoteError)
    )
