import json
import logging

import pytest

from kepu.logging import JSONFormatter, KeyValueFormatter

pytestmark = pytest.mark.sqlite


def make_record(msg="quiz submitted", **extra):
    record = logging.LogRecord("kepu.test", logging.INFO, __file__, 1, msg, None, None)
    record.__dict__.update(extra)
    return record


def test_key_value_lines_quote_values_with_spaces_and_keep_extras():
    line = KeyValueFormatter().format(make_record(attempt=42, unit="人民路 小学"))

    assert " level=INFO logger=kepu.test " in line
    assert 'msg="quiz submitted"' in line
    assert "attempt=42" in line
    assert 'unit="人民路 小学"' in line
    assert "\n" not in line


def test_json_lines_parse_and_carry_extras():
    data = json.loads(JSONFormatter().format(make_record(attempt=42)))

    assert data["msg"] == "quiz submitted"
    assert data["attempt"] == 42
    assert data["level"] == "INFO"


def test_exceptions_stay_on_one_key_value_line():
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record = make_record()
        record.exc_info = sys.exc_info()

    line = KeyValueFormatter().format(record)

    assert "\n" not in line
    assert "ValueError: bad" in line
