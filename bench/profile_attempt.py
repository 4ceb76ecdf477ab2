"""Where the milliseconds of one complete attempt go (bench.run's "profile" step).

Runs complete attempts in-process, the way quiz.js takes them at the benchmark's pace (the
quiz page, the start posted from it answered with the paper, the submit carrying every
answer and answered with the result: the answers never rest long enough for a batch of
their own; the start page only when the quiz page has no start form), and then as many
answer batches on their own (what a phone that pauses sends), against
the benchmark's seeded database and Redis with the server's settings, one after another on
an otherwise idle server, and splits the time by component:

- database: statements sent and their round trips (wall), the driver's CPU, and the CPU of
  this connection's PostgreSQL backend (/proc);
- ORM: building queries and turning rows into objects (CPU, excluding the driver);
- templates: rendering (CPU, excluding the queries and cache calls made while rendering);
- Redis: client calls (wall and CPU) and the Redis server's CPU (/proc);
- sessions: loading and saving them, apart from their Redis and database calls;
- Django request handling, middleware, URL routing and the quiz's own views and services:
  the rest of the request's CPU;
- for comparison, the same for the benchmark's trivial view (the floor every request pays).

Only CPU of this thread is counted for the Python parts (time.thread_time), so a busy
machine slows the figures less than it slows wall times. Gunicorn's own HTTP parsing is not
included (the requests go through Django's test client, not a socket).
"""

import cProfile
import json
import os
import re
import time
import uuid
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from pathlib import Path

PAPER_URL = re.compile(r'data-replace-url="(/quiz/a/[0-9a-f-]+/)"')
PAPER_OPTION = re.compile(r'name="q(\d+)" value="([^"]+)"')
ATTEMPT_TOKEN = re.compile(r'name="attempt_token" value="([^"]+)"')
START_FORM = "data-quiz-start"  # the quiz page's start form (quiz.js shows it with the cookie)


class Meter:
    """Exclusive CPU and wall time per component: time spent in a nested measured component
    counts for that one only."""

    def __init__(self):
        self.cpu = defaultdict(float)
        self.wall = defaultdict(float)
        self.calls = defaultdict(int)
        # Inclusive CPU per kind of request (quiz page, start, batch, submit...).
        self.requests = defaultdict(float)
        self._stack: list[list] = []

    def measure(self, component: str, func):
        meter = self

        def measured(*args, **kwargs):
            cpu, wall = time.thread_time(), time.perf_counter()
            meter._stack.append([0.0, 0.0])
            try:
                return func(*args, **kwargs)
            finally:
                child_cpu, child_wall = meter._stack.pop()
                spent_cpu, spent_wall = time.thread_time() - cpu, time.perf_counter() - wall
                meter.cpu[component] += spent_cpu - child_cpu
                meter.wall[component] += spent_wall - child_wall
                meter.calls[component] += 1
                if meter._stack:
                    meter._stack[-1][0] += spent_cpu
                    meter._stack[-1][1] += spent_wall

        return measured

    def timed(self, label: str, call, *args, **kwargs):
        cpu = time.thread_time()
        try:
            return call(*args, **kwargs)
        finally:
            self.requests[label] += time.thread_time() - cpu

    def reset(self):
        self.requests.clear()
        self.cpu.clear()
        self.wall.clear()
        self.calls.clear()


@contextmanager
def instrumented(meter: Meter):
    """Wraps the functions each component runs through, for the duration."""
    from django import http, urls
    from django.conf import settings
    from django.contrib import auth
    from django.contrib.sessions.backends import cached_db
    from django.core import signing
    from django.core.handlers import base as handler
    from django.db.backends import utils
    from django.db.models import query
    from django.db.models.sql import compiler
    from django.template import base
    from django.utils.module_loading import import_string
    from redis import client as redis_client

    from kepu import json_body

    targets = [
        ("request", None, None),
        # The view with the CSRF check (process_view) and what it calls, unless measured apart.
        ("view", handler.BaseHandler, "_get_response"),
        ("URL routing", urls.URLResolver, "resolve"),
        ("authentication (user)", auth, "get_user"),
        ("JSON", json_body, "parse"),
        ("JSON", http.JsonResponse, "__init__"),
        ("signing", signing, "dumps"),
        ("signing", signing, "loads"),
        ("templates", base.Template, "render"),
        ("ORM", query.QuerySet, "_fetch_all"),
        ("ORM", compiler.SQLCompiler, "execute_sql"),
        ("database", utils.CursorWrapper, "execute"),
        ("database", utils.CursorWrapper, "executemany"),
        ("Redis", redis_client.Redis, "execute_command"),
        ("Redis", redis_client.Pipeline, "execute"),
        ("sessions", cached_db.SessionStore, "load"),
        ("sessions", cached_db.SessionStore, "save"),
    ]
    # Each middleware's own time (its __call__ minus the rest of the chain inside it).
    for path in [*settings.MIDDLEWARE, *getattr(settings, "KEPU_LEAN_MIDDLEWARE", [])]:
        cls = import_string(path)
        targets.append((f"middleware: {cls.__name__}", cls, "__call__"))
    with ExitStack() as stack:
        for component, owner, name in dict.fromkeys(targets):
            if owner is None:
                continue
            own = name in vars(owner)
            original = getattr(owner, name)
            setattr(owner, name, meter.measure(component, original))
            if own:
                stack.callback(setattr, owner, name, original)
            else:  # inherited (a middleware's __call__): drop the override again
                stack.callback(delattr, owner, name)
        yield


def _proc_seconds(pid: int | None) -> float:
    if not pid:
        return 0.0
    from .cpu import TICKS

    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = text[text.rindex(")") + 2 :].split()
    return sum(int(value) for value in fields[11:13]) / TICKS


_CLIENT = None


def _client(session_key: str):
    """One test client for every attempt (a new one would load the middleware again, and
    WhiteNoise would scan the static files again), signed in with `session_key`."""
    global _CLIENT
    from django.conf import settings
    from django.test import Client

    if _CLIENT is None:
        host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0]
        _CLIENT = Client(enforce_csrf_checks=True, HTTP_HOST=host)
    client = _CLIENT
    client.cookies.clear()
    csrf = uuid.uuid4().hex + uuid.uuid4().hex
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    return client, csrf


def one_attempt(client, csrf: str, manifest: dict, meter: Meter, *, pause: bool = False) -> int:
    """A complete attempt as quiz.js takes it; returns the number of requests. `pause`: the
    phone rests long enough before the submit for its answers to go in a batch first."""
    quiz = manifest["quiz_id"]
    request = meter.measure("request", client.request)
    client.request = request
    try:
        timed = meter.timed
        requests = 3
        landing = timed("quiz page", client.get, manifest["quiz_page_url"])
        if START_FORM not in landing.content.decode():  # quiz.js's fallback: the start page
            timed("start page", client.get, f"/quiz/{quiz}/start/")
            requests += 1
        paper = timed(
            "start (the paper)",
            client.post,
            f"/quiz/{quiz}/start/",
            {"csrfmiddlewaretoken": csrf, "js": "1"},
        )
        text = paper.content.decode()
        attempt = PAPER_URL.search(text)[1]
        answers = {}
        for position, token in PAPER_OPTION.findall(text):
            answers.setdefault(int(position), token)
        batch = {
            "token": str(uuid.uuid4()),
            "answers": [{"q": q, "s": q, "o": [token]} for q, token in sorted(answers.items())],
        }
        # The attempt token (the lean path); a page without one takes the full path.
        token = found[1] if (found := ATTEMPT_TOKEN.search(text)) else ""
        saved_status = 200
        if pause:
            saved_status = timed(
                "answer batch",
                client.post,
                f"{attempt}save/",
                {"csrfmiddlewaretoken": csrf, "batch": json.dumps(batch)},
                HTTP_X_QUIZ_TOKEN=token,
            ).status_code
            requests += 1
            batch = {"token": str(uuid.uuid4()), "answers": []}
        result = timed(
            "submit (the result)",
            client.post,
            f"{attempt}submit/",
            {
                "csrfmiddlewaretoken": csrf,
                "submit_token": str(uuid.uuid4()),
                "batch": json.dumps(batch),
                "attempt_token": token,
            },
        )
    finally:
        del client.request
    statuses = (paper.status_code, saved_status, result.status_code)
    if statuses != (200, 200, 200) or "/ " not in result.content.decode():
        raise RuntimeError(f"the attempt did not complete: {statuses}")
    return requests


def _render_every_question(quiz_id: int) -> None:
    """Shows every question of the quiz's bank once, on its paper and in its review: a worker
    that has served a campaign for a while holds their rendered fragments (papers.py), and
    without this the profile would count their first rendering in each measured attempt."""
    from competitions.quizzes import papers
    from competitions.quizzes.models import Quiz, QuizAttempt

    material = papers.material_for(Quiz.objects.get(pk=quiz_id))
    everything = QuizAttempt(
        paper=[
            [pk, [choice for choice, _text in q.choices]] for pk, q in material.questions.items()
        ]
    )
    papers.paper_html(everything, material)
    papers.review_html(everything, material)


def run(manifest: dict, *, attempts: int = 30, warmup: int = 5) -> dict:
    """Profiles `attempts` complete attempts (after `warmup` ones); milliseconds per attempt."""
    from django.db import connection

    from .cpu import service_pids

    meter = Meter()
    sessions = manifest["quiz_sessions"]
    redis_pid = service_pids().get("redis")
    with instrumented(meter):
        _render_every_question(manifest["quiz_id"])
        for index in range(warmup):
            client, csrf = _client(sessions[-1 - index])
            one_attempt(client, csrf, manifest, meter)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        meter.reset()
        statements = []
        connection.execute_wrapper(
            lambda execute, sql, *args: statements.append(sql) or execute(sql, *args)
        )
        pg_before, redis_before = _proc_seconds(backend), _proc_seconds(redis_pid)
        requests = 0
        # BENCH_CPROFILE=<file>: also write Python's profile of the measured attempts there.
        profiler = cProfile.Profile() if os.environ.get("BENCH_CPROFILE") else None
        for index in range(attempts):
            client, csrf = _client(sessions[-1 - warmup - index])
            if profiler:
                profiler.enable()
            requests += one_attempt(client, csrf, manifest, meter)
            if profiler:
                profiler.disable()
        if profiler:
            profiler.dump_stats(os.environ["BENCH_CPROFILE"])
        pg_cpu = _proc_seconds(backend) - pg_before
        redis_cpu = _proc_seconds(redis_pid) - redis_before
        attempt_meter = {k: (meter.cpu[k], meter.wall[k]) for k in meter.cpu}
        per_request = dict(meter.requests)
        statements = meter.calls["database"]
        # The batch a phone sends when it rests between answers, on its own.
        meter.reset()
        for index in range(attempts):
            client, csrf = _client(sessions[-1 - warmup - attempts - index])
            one_attempt(client, csrf, manifest, meter, pause=True)
        batch_cpu = meter.requests["answer batch"] / attempts
        meter.reset()
        floor = _floor(meter)
    per = 1000 / attempts
    components = {
        name: {"cpu_ms": round(cpu * per, 2), "wall_ms": round(wall * per, 2)}
        for name, (cpu, wall) in attempt_meter.items()
    }
    components["PostgreSQL server"] = {"cpu_ms": round(pg_cpu * per, 2)}
    components["Redis server"] = {"cpu_ms": round(redis_cpu * per, 2)}
    return {
        "attempts": attempts,
        "requests_per_attempt": requests / attempts,
        "statements_per_attempt": round(statements / attempts, 1),
        "components": components,
        "requests_cpu_ms": {name: round(cpu * per, 2) for name, cpu in per_request.items()},
        "batch_cpu_ms": round(batch_cpu * 1000, 2),
        "floor_per_request": floor,
        "note": "in-process, sequential, after warm-up; ms per complete attempt",
    }


def statistics_timing(manifest: dict) -> dict:
    """How long the quiz's statistics page takes to compute from cold (seconds), at the
    seeded number of attempts: everything it shows, the item analysis alone, its .xlsx."""
    from django.core.cache import cache

    from competitions.quizzes import papers
    from competitions.quizzes.item_analysis import figures, spreadsheet
    from competitions.quizzes.models import Quiz
    from competitions.quizzes.statistics import services as statistics
    from competitions.quizzes.statistics import viewsets as statistics_viewsets

    quiz = Quiz.objects.get(pk=manifest["quiz_id"])
    papers.material_for(quiz)  # built once per process anyway
    cache.delete(f"quizzes:stats:{quiz.pk}")
    started = time.perf_counter()
    stats = statistics_viewsets.cached_statistics(quiz)
    page = time.perf_counter() - started
    started = time.perf_counter()
    analysis = figures.analyse(quiz, statistics.score_histogram(quiz), papers.material_for(quiz))
    items = time.perf_counter() - started
    started = time.perf_counter()
    workbook = spreadsheet.workbook_bytes(analysis, quiz.title)
    xlsx = time.perf_counter() - started
    return {
        "finished_attempts": stats["summary"].finished,
        "questions": len(analysis.items),
        "page_seconds": round(page, 3),
        "item_analysis_seconds": round(items, 3),
        "xlsx_seconds": round(xlsx, 3),
        "xlsx_bytes": len(workbook),
    }


def _floor(meter: Meter) -> dict:
    """The trivial view's cost per request through the same middleware (30 requests)."""
    from django.conf import settings

    if not getattr(settings, "KEPU_BENCH_CEILING", False):
        return {}
    client, _csrf = _client("")
    request = meter.measure("request", client.request)
    client.request = request
    for _ in range(30):
        client.get("/bench/ceiling/")
    del client.request
    return {name: round(meter.cpu[name] * 1000 / 30, 3) for name in meter.cpu}
