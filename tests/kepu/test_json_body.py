"""The strict JSON body reader: what it lets through, and the Chinese 4xx for everything else."""

import json
import re

import pytest
from django.test import RequestFactory

from kepu.json_body import MAX_BYTES, BadJSON, read_json

pytestmark = pytest.mark.sqlite

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def request_with(body: bytes, content_type="application/json"):
    return RequestFactory().post("/api/", body, content_type=content_type)


def refusal(body: bytes, content_type="application/json") -> BadJSON:
    with pytest.raises(BadJSON) as caught:
        read_json(request_with(body, content_type))
    assert CHINESE.search(caught.value.message)
    return caught.value


def test_an_ordinary_object_is_read():
    body = {"position": 3, "options": ["a", "b"], "token": "x", "ratio": 0.5, "note": "答案"}

    assert read_json(request_with(json.dumps(body, ensure_ascii=False).encode())) == body


@pytest.mark.parametrize(
    "body",
    [
        b'{"position": 1e400}',  # infinity as a float
        b'{"position": -1e400}',
        b'{"position": NaN}',
        b'{"position": Infinity}',
        b'{"position": 9007199254740993}',  # beyond 2**53
        b'{"position": ' + b"9" * 400 + b"}",  # too large for a float
        b'{"position": ' + b"9" * 5000 + b"}",  # beyond Python's int digit limit
    ],
)
def test_numbers_out_of_range_are_refused(body):
    assert refusal(body).status == 400


def test_deep_nesting_is_refused_before_parsing():
    deep = b'{"options": ' + b"[" * 100_00 + b"]" * 100_00 + b"}"

    assert refusal(deep[:MAX_BYTES]).status == 400
    assert refusal(b'{"a": ' + b"[" * 8 + b"]" * 8 + b"}").status == 400


def test_brackets_inside_strings_do_not_count_as_nesting():
    body = {"text": '[[[[[[[[[[{{{{{{{{ \\" ]]'}

    assert read_json(request_with(json.dumps(body).encode())) == body


@pytest.mark.parametrize(
    "body",
    [
        '{"note": "caf\u00e9"}'.encode("latin-1"),  # not UTF-8
        b'{"note": "\xff\xfe"}',
        json.dumps({"a": 1}).encode("utf-16"),
        b'{"note": "\\ud800"}',  # half of a surrogate pair
        b"[1, 2]",
        b'"text"',
        b" ",
        b"{",
        b'{"a": 1} trailing',
    ],
)
def test_bodies_that_are_not_a_clean_utf8_object_are_refused(body):
    assert refusal(body).status == 400


def test_a_body_over_the_size_limit_is_refused_with_413():
    body = json.dumps({"text": "x" * MAX_BYTES}).encode()

    assert refusal(body).status == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_other_content_types_are_refused_with_415(content_type):
    assert refusal(b'{"a": 1}', content_type).status == 415
