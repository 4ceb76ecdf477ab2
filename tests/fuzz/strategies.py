"""Hypothesis strategies for hostile input: text, numbers, JSON, encodings, files, path values.

Every strategy mixes values a person could really send (so requests get past validation
and reach the code that writes) with values meant to break things: NUL bytes, halves of
surrogate pairs sent as raw bytes, bidirectional controls, full-width and superscript digits,
very long strings, numbers beyond any range, deep nesting, wrong types and wrong encodings.
"""

import json
import string

from django import forms
from hypothesis import strategies as st

# Characters that have broken parsers and validators somewhere.
TRICKY_CHARS = [
    "\x00",  # NUL: refused by PostgreSQL text, named by Django's validator
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\u3000",  # ideographic space
    "１",  # full-width digit
    "²",  # superscript two: str.isdigit() but not int()
    "٣",  # Arabic-Indic three: int() accepts it
    "\u0301",  # combining accent
    "😀",  # outside the basic plane
    "\r\n",
    "%",
    "%00",
    "../",
    "<",
    "'",
    '"',
    "\\",
]
TRICKY_STRINGS = [
    "",
    " ",
    "\x00",
    "null",
    "None",
    "undefined",
    "[]",
    "{}",
    "-1",
    "0",
    "1e400",
    "NaN",
    "Infinity",
    "９９",
    "²",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "\u202etxt.exe",
    "科普" * 300,
    "x" * 5000,
]
# A surrogate half encoded as UTF-8 would be: bytes no UTF-8 decoder accepts.
SURROGATE_BYTES = "\ud800".encode("utf-8", "surrogatepass")

ordinary_text = st.text(
    alphabet=st.sampled_from(
        "科普知识竞答防疫健康蚂蚁搬家水的沸点" + string.ascii_letters + "0123456789 "
    ),
    min_size=1,
    max_size=20,
)
any_text = st.text(max_size=40)  # any code point Hypothesis likes, surrogates excluded
tricky_text = st.one_of(
    st.sampled_from(TRICKY_STRINGS),
    st.lists(st.sampled_from(TRICKY_CHARS) | ordinary_text, min_size=1, max_size=6).map("".join),
)


def text(max_length: int | None = None) -> st.SearchStrategy[str]:
    """Text for a text field: often ordinary, sometimes hostile, sometimes just too long."""
    choices = [ordinary_text, ordinary_text, any_text, tricky_text]
    if max_length:
        choices.append(st.just("字" * (max_length + 1)))
        choices.append(st.just("a" * max_length))
    return st.one_of(choices)


numbers = st.one_of(
    st.integers(min_value=-5, max_value=200).map(str),
    st.sampled_from(
        [
            "2147483648",
            "9223372036854775808",
            "-9223372036854775809",
            "9" * 40,
            "1e400",
            "-0",
            "0.5",
            "1,000",
            "１２",
            "²",
            "٣",
            "0x10",
            "NaN",
            "inf",
            " 7 ",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)

dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-02-30", "0000-00-00", "9999-12-31", "2026-13-01", "昨天", "-1"]),
)


def choice_values(field: forms.Field) -> list[str]:
    """The values a choice field accepts, as the browser sends them."""
    values = []
    for value, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # an optgroup
            values += [str(v) for v, _label in label]
        else:
            values.append(str(getattr(value, "value", value)))
    return [v for v in values if v != ""]


def field_values(field: forms.Field) -> st.SearchStrategy[str]:
    """What a browser (or someone pretending to be one) may send for a form field."""
    hostile = st.one_of(tricky_text, numbers)
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.sampled_from(["on", "true", "1", "0", "False"]), hostile)
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        valid = choice_values(field)
        if valid:
            return st.one_of(st.sampled_from(valid), st.sampled_from(valid), hostile)
        return hostile
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        low = field.min_value if field.min_value is not None else 0
        high = field.max_value if field.max_value is not None else low + 100
        return st.one_of(st.integers(int(low), int(high)).map(str), numbers, hostile)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return st.one_of(dates, hostile)
    if isinstance(field, forms.EmailField):
        return st.one_of(st.emails().map(str), hostile)
    return text(getattr(field, "max_length", None))


# --- JSON -----------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    text(),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text(), children, max_size=4),
    max_leaves=12,
)
# Raw JSON texts that json.dumps never writes.
RAW_JSON_NUMBERS = ["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "9" * 5000, "1.5e-400"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# --- bodies and encodings -------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8", "utf-8", "latin-1", "utf-16", "gb18030", "surrogate"]


def encode(value: str, encoding: str) -> bytes:
    """`value` as bytes in `encoding`; "surrogate" inserts bytes no UTF-8 decoder accepts."""
    if encoding == "surrogate":
        return value.encode("utf-8", "replace") + SURROGATE_BYTES
    return value.encode(encoding, "replace")


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/json",
    "text/plain",
    "multipart/form-data",  # without a boundary
    "multipart/form-data; boundary=nothing",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/octet-stream",
]

# --- files ----------------------------------------------------------------------------------

FILENAMES = [
    "作品.png",
    "report.pdf",
    "essay.docx",
    "clip.mp4",
    "",
    ".",
    "..",
    "../../etc/passwd",
    "a" * 300 + ".png",
    "\u202egnp.exe",
    "名字\x00.png",
    "con.png",
    "file name with spaces .jpg",
    "%2e%2e%2fsecret",
    "photo.PNG.exe",
]
PNG_1X1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
file_contents = st.one_of(
    st.just(PNG_1X1),
    st.just(b""),
    st.just(b"%PDF-1.4\n%%EOF"),
    st.just(b"PK\x03\x04" + b"\x00" * 26),
    st.binary(max_size=64),
)

# --- path values ----------------------------------------------------------------------------

hostile_ints = st.one_of(
    st.integers(min_value=0, max_value=50),
    st.sampled_from([0, 2**31, 2**63, 10**30]),
).map(str)
hostile_slugs = st.one_of(
    st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True),
    st.sampled_from(["0000-0000", "ABCDEFGHJKMN", "a" * 300]),
)
hostile_uuids = st.uuids().map(str)
hostile_segments = st.one_of(
    hostile_slugs,
    st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/"),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(["%00", "%ff%fe", "..", "%2e%2e", "科普", "\u202e"]),
)


def json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)
