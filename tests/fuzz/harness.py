"""How the generative tests reach an endpoint and what they assert about each answer.

An `Endpoint` declares what a URL pattern takes (methods, query parameters, form fields read
from its Django form, JSON, files) and the state it needs (built with tests/factories). A
`Probe` is one drawn request: method, path, query string, headers and body, each possibly
hostile. `send` runs it inside a savepoint that is rolled back afterwards, so every example
starts from the same state, and checks:

- the answer is not a 5xx (the test client re-raises what would have been a 500);
- no partial write: every table the request wrote to (PostgreSQL's statistics of the
  transaction say which) is compared with the state before (row count and newest row
  version); a refused request (4xx, a form with errors, an error message) changes nothing
  beyond the endpoint's declared security counters, an accepted one only the tables the
  endpoint declares;
- a person is told what went wrong in Chinese: 4xx pages and JSON errors, form errors and
  error messages hold Chinese text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote, quote_from_bytes

from django import forms
from django.contrib import messages
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import strategies as st

from kepu.memo import forget_all

from . import strategies as hs

CHINESE = re.compile(r"[\u3400-\u9fff]")
# Tables that any request may touch without it being a write of anyone's data: the session
# (signing in, messages), the record of devices signed in, and the site's settings row that
# Wagtail creates with its defaults the first time a page reads it.
INCIDENTAL_TABLES = frozenset(
    {"django_session", "accounts_loginsession", "content_organisersettings"}
)


@dataclass
class State:
    """What one endpoint needs: valid path values, who may be signed in, and valid values of
    fields that cannot be guessed (tokens, ids), for the strategies to use."""

    kwargs: dict = field(default_factory=dict)
    user: object | None = None
    values: dict = field(default_factory=dict)
    path: str | None = None  # for patterns that cannot be reversed by name and kwargs
    prepare: Callable[[], None] | None = None  # puts back cache entries each example needs
    session: dict = field(default_factory=dict)  # what the visitor's session holds already


@dataclass(frozen=True)
class Endpoint:
    """The fuzz declaration of one URL pattern (by its resolver name)."""

    name: str
    state: Callable[..., State] | None = None
    methods: tuple[str, ...] = ("GET",)
    query: tuple[str, ...] = ()
    # "page": the form fields are read from the forms in the context of a GET of the page;
    # a callable (state → {field name: strategy}) declares them for views without a page.
    form: str | Callable[[State], dict] | None = None
    json: Callable[[State], st.SearchStrategy] | None = None
    json_baseline: Callable[[State], dict] | None = None  # a valid body, for the corpus
    files: tuple[str, ...] = ()
    headers: Callable[[State], dict] | None = None
    writes: frozenset[str] = frozenset()
    refused_writes: frozenset[str] = frozenset()
    more_fields: Callable[[State], dict] | None = None  # fields a page has outside its forms
    values: dict = field(default_factory=dict)  # {field: [valid values]} mixed into strategies
    kwargs: dict = field(default_factory=dict)  # path values when the state has none
    path: str | None = None  # the path of a pattern without a name
    examples: float = 1.0
    signed_in: str = "maybe"  # "maybe", "always" or "never"
    variant: str = ""  # tells apart two declarations of one URL name

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


@dataclass
class Probe:
    method: str
    url: str
    headers: dict
    body: bytes | None
    content_type: str | None
    signed_in: bool

    def __repr__(self) -> str:
        body = self.body[:300] if self.body else self.body
        return (
            f"Probe({self.method} {self.url[:300]!r} signed_in={self.signed_in} "
            f"content_type={self.content_type!r} headers={self.headers!r} body={body!r})"
        )


# --- the URL resolver -------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    pattern: URLPattern
    sample: str  # a path this pattern answers, with made-up values


def _sample(regex: str) -> str:
    """A short string the regular expression `regex` matches (for URL patterns: digits where
    digits go, the first of alternatives, one character per repeat)."""
    from re import _constants as c
    from re import _parser

    def emit(items) -> str:
        out = []
        for op, arg in items:
            if op is c.LITERAL:
                out.append(chr(arg))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                low, _high, item = arg
                out.append(emit(item) * max(low, 1))
            elif op is c.SUBPATTERN:
                out.append(emit(arg[-1]))
            elif op is c.BRANCH:
                out.append(emit(arg[1][0]))
            elif op is c.IN:
                out.append(_class_member(arg))
            elif op in (c.ANY, c.NOT_LITERAL):
                out.append("a")
            elif op is c.CATEGORY:
                out.append("1" if arg is c.CATEGORY_DIGIT else "a")
        return "".join(out)

    def _class_member(items) -> str:
        pattern = re.compile(_class_source(items))
        return next(ch for ch in "1a-x_0" if pattern.fullmatch(ch))

    def _class_source(items) -> str:
        parts = []
        for op, arg in items:
            if op is c.NEGATE:
                parts.append("^")
            elif op is c.LITERAL:
                parts.append("\\" + chr(arg) if not chr(arg).isalnum() else chr(arg))
            elif op is c.RANGE:
                parts.append(f"{chr(arg[0])}-{chr(arg[1])}")
            elif op is c.CATEGORY:
                parts.append({c.CATEGORY_DIGIT: "\\d", c.CATEGORY_WORD: "\\w"}.get(arg, "\\s"))
        return "[" + "".join(parts) + "]"

    return emit(_parser.parse(regex))


@cache
def routes() -> tuple[Route, ...]:
    """Every URL pattern of the project, with its namespaced name and full route."""
    found = []

    def walk(patterns, prefix: str, sample: str, namespace: str | None):
        for pattern in patterns:
            here = sample + _sample(pattern.pattern.regex.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
                walk(pattern.url_patterns, prefix + str(pattern.pattern), here, inner)
            else:
                name = pattern.name or f"<unnamed {prefix}{pattern.pattern}>"
                if namespace and pattern.name:
                    name = f"{namespace}:{pattern.name}"
                found.append(Route(name, prefix + str(pattern.pattern), pattern, "/" + here))

    walk(get_resolver().url_patterns, "", "", None)
    return tuple(found)


def _route(name: str) -> Route | None:
    return next((route for route in routes() if route.name == name), None)


def converters(name: str) -> dict:
    """{kwarg: converter} of the named pattern (empty for regex patterns)."""
    route = _route(name)
    return dict(getattr(route.pattern.pattern, "converters", {})) if route else {}


def path_kwargs(endpoint: Endpoint, state: State) -> dict:
    """The state's path values this endpoint's pattern takes."""
    route = _route(endpoint.name)
    regex = route.pattern.pattern.regex if route else None
    names = set(regex.groupindex) if regex is not None else set()
    values = {**endpoint.kwargs, **state.kwargs}
    return {name: value for name, value in values.items() if name in names}


# --- database fingerprints --------------------------------------------------------------------


@cache
def _tables() -> tuple[str, ...]:
    return tuple(sorted(connection.introspection.django_table_names(only_existing=True)))


def fingerprint(tables=None) -> dict[str, tuple]:
    """{table: (row count, newest row version)} for `tables` (default: every table of the
    project), in one query.

    A row inserted or updated gets a new version whose xmin is the current (sub)transaction's
    id, newer than every older row's; a deleted row lowers the count. So any change that
    stands shows, without reading the rows' contents.
    """
    tables = sorted(_tables() if tables is None else tables)
    if not tables:
        return {}
    quote_name = connection.ops.quote_name
    # Table names come from the models (Django's introspection), quoted; never from input.
    query = " UNION ALL ".join(
        f"SELECT %s, count(*), max(xmin::text::bigint) FROM {quote_name(table)}"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return {table: (count, newest) for table, count, newest in cursor.fetchall()}


def write_counts() -> dict[str, int]:
    """Rows this transaction inserted, updated or deleted so far, per table (PostgreSQL's
    statistics of the current transaction: cheap, but counting writes undone by a rolled-back
    savepoint too, so only a hint of where to look)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
        )
        return dict(cursor.fetchall())


# --- drawing a request --------------------------------------------------------------------------


def form_fields_from_page(client: Client, url: str) -> dict[str, forms.Field]:
    """The fields of every Django form in the context of the page at `url`."""
    response = client.get(url)
    fields = {}
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            if not isinstance(value, dict):
                continue
            for item in value.values():
                if isinstance(item, forms.BaseForm):
                    for name, form_field in item.fields.items():
                        fields[item.add_prefix(name)] = form_field
    return fields


def _path_strategy(endpoint: Endpoint, state: State) -> st.SearchStrategy[str]:
    from django.urls import NoReverseMatch, reverse

    if endpoint.path == "state":
        return st.just(state.path)
    if endpoint.path:
        return st.just(endpoint.path)
    kwargs = path_kwargs(endpoint, state)
    valid = st.just(reverse(endpoint.name, kwargs=kwargs))
    hostile_values = {}
    for name, converter in converters(endpoint.name).items():
        kind = type(converter).__name__
        hostile_values[name] = {
            "IntConverter": hs.hostile_ints,
            "UUIDConverter": hs.hostile_uuids,
            "SlugConverter": hs.hostile_slugs,
        }.get(kind, hs.hostile_segments)
    if not hostile_values:
        return valid

    @st.composite
    def hostile(draw):
        changed = dict(kwargs)
        name = draw(st.sampled_from(sorted(hostile_values)))
        changed[name] = draw(hostile_values[name])
        try:
            return reverse(endpoint.name, kwargs=changed)
        except NoReverseMatch:
            return reverse(endpoint.name, kwargs=kwargs)

    return _weighted((4, valid), (1, hostile()))


def _weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """One of the strategies, chosen with the given weights."""
    return st.sampled_from([s for weight, s in choices for _ in range(weight)]).flatmap(
        lambda strategy: strategy
    )


def _encoded_pairs(pairs: list[tuple[str, str]], encoding: str) -> str:
    return "&".join(
        f"{quote(key)}={quote_from_bytes(hs.encode(value, encoding))}" for key, value in pairs
    )


@st.composite
def _pairs(draw, fields: dict[str, st.SearchStrategy]) -> list[tuple[str, str]]:
    """Field values with some missing, some repeated, and sometimes an unknown field."""
    pairs = []
    for name, strategy in fields.items():
        copies = draw(st.sampled_from([1] * 8 + [0, 2]))
        pairs += [(name, draw(strategy)) for _ in range(copies)]
    if draw(st.booleans()) and draw(st.booleans()):
        pairs.append((draw(hs.text(20)), draw(hs.text())))
    return pairs


def field_strategies(fields: dict[str, forms.Field], valid: dict) -> dict[str, st.SearchStrategy]:
    """A strategy per form field, mixing in the known valid values of `valid`."""
    strategies = {}
    for name, form_field in fields.items():
        if isinstance(form_field, forms.FileField):
            continue
        strategy = hs.field_values(form_field)
        if valid.get(name):
            strategy = st.one_of(st.sampled_from(valid[name]), strategy)
        strategies[name] = strategy
    return strategies


@st.composite
def probes(draw, endpoint: Endpoint, state: State, fields: dict[str, st.SearchStrategy]):
    """One request to `endpoint`, drawn from what it declares."""
    methods = list(endpoint.methods)
    others = ["GET", "HEAD", "POST", "PUT", "OPTIONS"]
    method = draw(_weighted((6, st.sampled_from(methods)), (1, st.sampled_from(others))))
    path = draw(_path_strategy(endpoint, state))
    query_names = list(endpoint.query) or ["q"]
    query = draw(_pairs({name: hs.text() | hs.numbers for name in query_names}))
    encoding = draw(st.sampled_from(hs.ENCODINGS))
    url = path + ("?" + _encoded_pairs(query, encoding) if query else "")
    headers = {}
    if draw(st.booleans()):
        headers["HTTP_ACCEPT"] = draw(st.sampled_from(["application/json", "text/html", "*/*"]))
    if draw(st.integers(0, 5)) == 0:
        headers["HTTP_USER_AGENT"] = draw(hs.text())
    if endpoint.headers:
        headers.update({k: draw(v) for k, v in endpoint.headers(state).items()})
    body = content_type = None
    if method in ("POST", "PUT"):
        kind = draw(st.sampled_from(["form"] * 7 + ["multipart", "json", "raw"]))
        if endpoint.json is not None:
            kind = draw(st.sampled_from(["json"] * 6 + ["raw-json"] * 2 + ["form", "raw"]))
        if endpoint.files:
            kind = draw(st.sampled_from(["multipart"] * 8 + ["form", "raw"]))
        if kind == "form":
            pairs = draw(_pairs(fields))
            body = _encoded_pairs(pairs, encoding).encode("ascii")
            content_type = "application/x-www-form-urlencoded"
        elif kind == "multipart":
            data = dict(draw(_pairs(fields)))
            for name in endpoint.files:
                if draw(st.integers(0, 4)):
                    filename = draw(st.sampled_from(hs.FILENAMES))
                    data[name] = _Upload(filename, draw(hs.file_contents))
            body = encode_multipart(BOUNDARY, data)
            content_type = MULTIPART_CONTENT
        elif kind == "json":
            value = draw(endpoint.json(state)) if endpoint.json else draw(hs.json_values)
            body = hs.encode(hs.json_text(value), encoding)
            content_type = "application/json"
        elif kind == "raw-json":
            number = draw(st.sampled_from(hs.RAW_JSON_NUMBERS))
            depth = draw(st.sampled_from([1, 10, 2000]))
            template = draw(st.sampled_from(['{"position": %s}', '{"options": %s}', "%s"]))
            body = (template % (hs.nested(depth) if depth > 1 else number)).encode()
            content_type = "application/json"
        else:
            body = draw(st.binary(max_size=200)) + draw(st.sampled_from([b"", hs.SURROGATE_BYTES]))
            content_type = draw(st.sampled_from(hs.CONTENT_TYPES))
    signed_in = {
        "always": True,
        "never": False,
        "maybe": draw(st.integers(0, 3)) > 0,
    }[endpoint.signed_in] and state.user is not None
    return Probe(method, url, headers, body, content_type, signed_in)


class _Upload:
    """A file for encode_multipart with any name, even one a file system would refuse."""

    def __init__(self, name: str, content: bytes):
        self.name = name
        self._content = content

    def read(self):
        return self._content


# --- the corpus: known-dangerous values, one field at a time ----------------------------------

# Random examples find the unexpected; these are the values that have broken Django views
# before, each tried in every field of every endpoint while the other fields stay valid (a
# wrong captcha token would hide what the answer does).
CORPUS = ["\x00", "十五", "²", "1e400", "9" * 40, "x" * 3000, "", "surrogate"]
SUFFIXES = ["²", "\x00"]
RAW_JSON = ["1e400", "-1e400", "NaN", "Infinity", "9" * 400, hs.nested(5000), '"十五"', "null"]
MAX_CORPUS_PROBES = 40


def baseline_value(form_field: forms.Field | None) -> str:
    """A value the field accepts, or at least one a person would type."""
    if isinstance(form_field, forms.ChoiceField | forms.ModelChoiceField):
        return next(iter(hs.choice_values(form_field)), "1")
    if isinstance(form_field, forms.BooleanField):
        return "on"
    if isinstance(form_field, forms.IntegerField | forms.DecimalField):
        return str(form_field.min_value if form_field.min_value is not None else 1)
    if isinstance(form_field, forms.DateField):
        return "2010-06-01"
    if isinstance(form_field, forms.EmailField):
        return "reader@example.org"
    return "科普知识" if form_field is not None else "1"


def corpus_probes(endpoint: Endpoint, state: State, baseline: dict[str, str]) -> list[Probe]:
    """Probes that put each corpus value into each field (query, form or JSON) in turn."""
    kwargs = path_kwargs(endpoint, state)
    if endpoint.path == "state":
        path = state.path
    else:
        from django.urls import reverse

        path = endpoint.path or reverse(endpoint.name, kwargs=kwargs)
    signed_in = endpoint.signed_in != "never" and state.user is not None
    posting = next((m for m in endpoint.methods if m in ("POST", "PUT")), None)
    probes_ = []
    for name in endpoint.query:
        for value in CORPUS:
            encoding = "surrogate" if value == "surrogate" else "utf-8"
            query = _encoded_pairs([(name, "" if value == "surrogate" else value)], encoding)
            probes_.append(Probe("GET", f"{path}?{query}", {}, None, None, signed_in))
    if posting and endpoint.json_baseline is not None:
        valid = endpoint.json_baseline(state)
        for name in valid:
            for raw in RAW_JSON:
                body = hs.json_text({**valid, name: "\x00RAW\x00"}).replace(
                    '"\\u0000RAW\\u0000"', raw
                )
                probes_.append(
                    Probe(posting, path, {}, body.encode(), "application/json", signed_in)
                )
        for body in (hs.json_text(valid).encode("utf-16"), b"[]", b"", b"\xff{}"):
            probes_.append(Probe(posting, path, {}, body, "application/json", signed_in))
    elif posting and baseline:
        # Value by value across the fields, so that a cap cuts every field alike; each value
        # alone, and after a valid one ("goto-2²"): a check may read only a prefix.
        suffixed = [lambda name, s=suffix: baseline[name] + s for suffix in SUFFIXES]
        plain = [lambda name, v=value: v for value in CORPUS]
        for make in suffixed + plain:
            for name in baseline:
                value = make(name)
                encoding = "surrogate" if value == "surrogate" else "utf-8"
                pairs = [(k, v) for k, v in baseline.items() if k != name]
                pairs.append((name, "" if value == "surrogate" else value))
                body = _encoded_pairs(pairs, encoding).encode("ascii")
                form = "application/x-www-form-urlencoded"
                probes_.append(Probe(posting, path, {}, body, form, signed_in))
    return probes_[:MAX_CORPUS_PROBES]


# --- sending and checking -----------------------------------------------------------------------


def _forms_in(response) -> list[forms.BaseForm]:
    found = []
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            if isinstance(value, dict):
                found += [v for v in value.values() if isinstance(v, forms.BaseForm)]
    return found


def _error_messages(response) -> list[str]:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(m) for m in queued if m.level >= messages.ERROR]


def _body_text(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode(response.charset or "utf-8", "replace")


def _refusal_is_chinese(response, text: str) -> bool:
    content_type = response.get("Content-Type", "")
    if not text.strip():
        return True  # nothing shown (405, 204, HEAD): nothing to read
    if "json" in content_type:
        return bool(CHINESE.search(json.dumps(json.loads(text), ensure_ascii=False)))
    if "html" in content_type or "text/plain" in content_type:
        return bool(CHINESE.search(text))
    return True


def send(endpoint: Endpoint, state: State, probe: Probe, base: dict) -> int:
    """Sends `probe` in a savepoint that is rolled back, and checks the answer (see module
    docstring). `base` is the fingerprint of the state every example starts from. Returns the
    status code."""
    django_cache.clear()
    forget_all()
    if state.prepare:
        state.prepare()
    with transaction.atomic():
        client = Client()
        if probe.signed_in:
            client.force_login(state.user)
        if state.session:
            session = client.session
            session.update(state.session)
            session.save()
        counts = write_counts()
        kwargs = dict(probe.headers)
        if probe.body is not None:
            kwargs.update(data=probe.body, content_type=probe.content_type)
        response = client.generic(probe.method, probe.url, **kwargs)
        text = _body_text(response)
        written = {t for t, n in write_counts().items() if n != counts.get(t, 0)}
        after = fingerprint(written & set(base))
        transaction.set_rollback(True)
    status = response.status_code
    assert status < 500, f"{status} for {probe!r}"
    form_errors = [str(e) for form in _forms_in(response) for e in _all_errors(form)]
    errors = _error_messages(response)
    refused = status >= 400 or bool(form_errors) or bool(errors)
    changed = {t for t in after if after[t] != base[t]} - INCIDENTAL_TABLES
    allowed = endpoint.refused_writes if refused else endpoint.writes | endpoint.refused_writes
    assert changed <= allowed, f"{status} wrote {sorted(changed - allowed)} for {probe!r}"
    for message in form_errors + errors:
        assert CHINESE.search(message), f"not Chinese: {message!r} for {probe!r}"
    if 400 <= status < 500:
        assert _refusal_is_chinese(response, text), f"{status} not in Chinese for {probe!r}"
    return status


def _all_errors(form: forms.BaseForm) -> list[str]:
    return [message for messages_ in form.errors.values() for message in messages_]
