"""Reading answer batches: what is accepted, and that everything else is refused cleanly."""

import json
import uuid

import pytest

from competitions.quizzes.answer_batches import (
    MAX_BYTES,
    AnswerIn,
    BadBatch,
    loads_bounded,
    parse_batch,
)

pytestmark = pytest.mark.sqlite


def test_a_batch_as_quiz_js_sends_it():
    token = uuid.uuid4()
    raw = json.dumps(
        {"token": str(token), "leaves": 2, "answers": [{"q": 3, "s": 17, "o": ["abc", "def"]}]}
    )

    batch = parse_batch(raw.encode(), positions=10)

    assert batch.token == token and batch.leaves == 2
    assert batch.answers == (AnswerIn(position=3, sequence=17, tokens=("abc", "def")),)


def test_an_empty_choice_clears_a_multiple_choice_answer():
    raw = json.dumps({"token": str(uuid.uuid4()), "answers": [{"q": 1, "s": 1, "o": []}]})

    assert parse_batch(raw, positions=5).answers[0].tokens == ()


@pytest.mark.parametrize(
    "answers",
    [
        [{"q": 6, "s": 1, "o": []}],  # beyond the attempt's questions
        [{"q": 0, "s": 1, "o": []}],
        [{"q": 1, "s": 0, "o": []}],
        [{"q": 1, "s": 1, "o": []}, {"q": 1, "s": 2, "o": []}],  # one question twice
        [{"q": 1, "s": 1, "o": ["x"] * 9}],
        [{"q": 1, "s": 1, "o": [1]}],
        [{"q": 1, "s": 1}],
        [{"q": 1.0, "s": 1, "o": []}],
    ],
)
def test_answers_outside_the_format_are_refused(answers):
    raw = json.dumps({"token": str(uuid.uuid4()), "answers": answers})

    with pytest.raises(BadBatch) as refused:
        parse_batch(raw, positions=5)
    assert "请刷新页面" in str(refused.value.message)


def test_size_depth_and_encoding_are_bounded():
    with pytest.raises(BadBatch):
        loads_bounded("[" * 10 + "]" * 10, max_bytes=100, max_depth=4)
    with pytest.raises(BadBatch):
        loads_bounded(b"\xff\xfe{}", max_bytes=100, max_depth=4)
    with pytest.raises(BadBatch) as too_big:
        loads_bounded(b" " * (MAX_BYTES + 1), max_bytes=MAX_BYTES, max_depth=4)
    assert "太多" in str(too_big.value.message)
    # Brackets inside strings do not count as nesting.
    assert loads_bounded('{"a": "[[[[[[["}', max_bytes=100, max_depth=1) == {"a": "[[[[[[["}
