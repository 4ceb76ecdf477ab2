"""Several hosts, one site: the claims scripts/multihost proves against two running app hosts.

scripts/multihost starts the site as production runs it on several machines — two gunicorn app
hosts (each in its own network namespace and working directory), nginx in front with the
site from deploy/nginx/, one Celery worker and beat elsewhere, PostgreSQL and Redis shared — and
then runs this module, which checks, each with its figures:

1. a page published through host A is served fresh by host B within a second;
2. sessions and CSRF work whichever host answers;
3. a file uploaded through A is downloadable through B;
4. the outbox hands each job over once although both hosts relay at the same moment;
5. a quiz attempt started on A and continued on B loses nothing;
6. killing host A (SIGKILL, every process) in the middle of a write load through nginx loses
   no write the client saw confirmed.

Requests go to one host directly (as nginx would send them: Host, X-Forwarded-Proto and
X-Forwarded-For set) or through nginx over TLS. Settings come from the environment, like the
hosts', so the database is read from the same place.
"""

import argparse
import html
import json
import os
import re
import secrets
import signal
import string
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

PAPER_URL = re.compile(r'data-replace-url="(/quiz/a/[0-9a-f-]+/)"')
PAPER_OPTION = re.compile(r'name="q(\d+)" value="([^"]+)"')
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
RESULTS: list[dict] = []


@dataclass
class Origin:
    """Where a request goes: an app host directly (plain HTTP on its private address, as from
    nginx) or nginx (HTTPS, the public way in)."""

    name: str
    url: str
    public_host: str
    direct: bool

    def headers(self) -> dict:
        headers = {"Host": self.public_host}
        if self.direct:
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
        return headers


@dataclass
class Browser:
    """One person's cookies, sent to whichever origin answers (the way a phone does not know
    which app host nginx picked)."""

    public_host: str
    cookies: dict = field(default_factory=dict)

    def request(self, method: str, origin: Origin, path: str, **kwargs) -> requests.Response:
        headers = origin.headers() | kwargs.pop("headers", {})
        headers["Referer"] = f"https://{self.public_host}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = requests.request(
            method,
            origin.url + path,
            headers=headers,
            allow_redirects=False,
            verify=False,  # noqa: S501 (the run's own self-signed certificate)
            timeout=20,
            **kwargs,
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, origin, path, **kwargs):
        return self.request("GET", origin, path, **kwargs)

    def post(self, origin, path, data=None, **kwargs):
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(data or {})}
        return self.request("POST", origin, path, data=data, **kwargs)


def claim(number: int, text: str, passed: bool, figures: str) -> bool:
    RESULTS.append({"claim": number, "text": text, "pass": passed, "figures": figures})
    print(f"{'PASS' if passed else 'FAIL'} {number}. {text}: {figures}", flush=True)
    return passed


def _user(email: str, *, staff: bool = False):
    from accounts.models import User

    password = secrets.token_urlsafe(12)
    user = User(
        username=email,
        email=email,
        is_staff=staff,
        is_superuser=staff,
        birth_year=1980,
        birth_month=5,
        consent_status=User.ConsentStatus.NOT_REQUIRED,
    )
    user.set_password(password)
    user.save()
    return user, password


def _sign_in(browser: Browser, form_origin: Origin, post_origin: Origin, email, password):
    page = browser.get(form_origin, "/accounts/login/")
    token = CSRF_INPUT.search(page.text)
    return browser.post(
        post_origin,
        "/accounts/login/",
        {"login": email, "password": password, "csrfmiddlewaretoken": token[1] if token else ""},
    )


# --- 1. publishing ----------------------------------------------------------------------------


def check_publish(a: Origin, b: Origin, manifest: dict) -> bool:
    from wagtail.models import Page

    editor, password = _user("editor@multihost.test", staff=True)
    browser = Browser(a.public_host)
    _sign_in(browser, a, a, editor.email, password)
    path = manifest["article_urls"][0]
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    page = Page.objects.filter(slug=slug, url_path__endswith=f"/{slug}/").first().specific
    reader = Browser(b.public_host)
    before = reader.get(b, path)  # B fills the shared page cache with the old version
    marker = f"多主机发布检查 {secrets.token_hex(3)}"
    page.title = marker
    page.save_revision(user=editor)  # the editor's draft; published below through host A
    publish_path = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}"
    form = browser.get(a, publish_path)
    token = CSRF_INPUT.search(form.text)
    published = browser.post(a, publish_path, {"csrfmiddlewaretoken": token[1] if token else ""})
    done = time.monotonic()
    fresh_after, polls = None, 0
    while time.monotonic() - done < 5:
        polls += 1
        response = reader.get(b, path)
        if marker in response.text:
            fresh_after = time.monotonic() - done
            break
        time.sleep(0.05)
    ok = (
        before.status_code == 200
        and published.status_code in (200, 302)
        and fresh_after is not None
        and fresh_after <= 1.0
    )
    seen = f"{fresh_after * 1000:.0f} ms" if fresh_after is not None else "not within 5 s"
    return claim(
        1,
        "a page published through host A is served fresh by host B within a second",
        ok,
        f"B served the old page ({before.status_code}), publish through A answered "
        f"{published.status_code}, B served the new title after {seen} ({polls} polls)",
    )


# --- 2. sessions and CSRF ----------------------------------------------------------------------


def check_sessions(a: Origin, b: Origin, nginx: Origin) -> bool:
    person, password = _user("reader@multihost.test")
    browser = Browser(a.public_host)
    signed_in = _sign_in(browser, a, b, person.email, password)  # form from A, POST to B
    profiles = {o.name: browser.get(o, "/me/").status_code for o in (a, b, nginx)}
    forged = Browser(a.public_host, cookies=dict(browser.cookies))
    forged_status = {
        o.name: forged.post(o, "/accounts/logout/", {"csrfmiddlewaretoken": "x" * 32}).status_code
        for o in (a, b)
    }
    still_in = browser.get(a, "/me/").status_code
    logout = browser.get(b, "/accounts/logout/")
    token = CSRF_INPUT.search(logout.text)
    signed_out = browser.post(a, "/accounts/logout/", {"csrfmiddlewaretoken": token[1]})
    after = {o.name: browser.get(o, "/me/").status_code for o in (a, b)}
    ok = (
        signed_in.status_code == 302
        and set(profiles.values()) == {200}
        and set(forged_status.values()) == {403}
        and still_in == 200
        and signed_out.status_code == 302
        and set(after.values()) == {302}
    )
    return claim(
        2,
        "sessions and CSRF work whichever host answers",
        ok,
        f"sign-in form from A posted to B: {signed_in.status_code}; profile {profiles}; "
        f"a forged CSRF token refused {forged_status}; sign-out form from B posted to A: "
        f"{signed_out.status_code}, then profile {after} (302 = to the sign-in page)",
    )


# --- 3. files ------------------------------------------------------------------------------------


def check_files(a: Origin, b: Origin, nginx: Origin) -> bool:
    from wagtail.documents.models import Document

    editor, password = _user("files@multihost.test", staff=True)
    browser = Browser(a.public_host)
    _sign_in(browser, a, a, editor.email, password)
    content = ("多主机文件检查\n" + secrets.token_hex(2000)).encode()
    form = browser.get(a, "/admin/documents/multiple/add/")
    token = CSRF_INPUT.search(form.text)
    uploaded = browser.post(
        a,
        "/admin/documents/multiple/add/",
        {"csrfmiddlewaretoken": token[1] if token else "", "title": "multihost"},
        files={"files[]": ("multihost-check.txt", content, "text/plain")},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    document = Document.objects.filter(title__startswith="multihost").order_by("-pk").first()
    if document is None:
        return claim(
            3,
            "a file uploaded through A is downloadable through B",
            False,
            f"upload through A answered {uploaded.status_code}, no document recorded",
        )
    url = f"/documents/{document.pk}/{Path(document.file.name).name}"
    downloads = {o.name: browser.get(o, url) for o in (b, nginx)}
    same = {name: r.status_code == 200 and r.content == content for name, r in downloads.items()}
    storage = document.file.storage
    bucket = getattr(storage, "bucket_name", None)
    stored = storage.exists(document.file.name)
    where = f"bucket {bucket}" if bucket else "the shared directory"
    return claim(
        3,
        "a file uploaded through A is downloadable through B",
        stored and all(same.values()),
        f"{len(content)} bytes uploaded through A ({uploaded.status_code}) into {where} "
        f"(stored: {stored}); "
        + ", ".join(
            f"through {name}: {r.status_code}, {len(r.content)} bytes, identical: {same[name]}"
            for name, r in downloads.items()
        ),
    )


# --- 4. the outbox -------------------------------------------------------------------------------


def relay_when_told() -> None:
    """One host's relay (what `manage.py relay_outbox` and beat run): says "ready" once Django
    is set up, reads the moment to start (epoch seconds) from stdin, so the hosts' relays run
    at the same time, and prints how many messages it handed over and when."""
    from outbox import services

    print("ready", flush=True)
    moment = float(sys.stdin.readline())
    time.sleep(max(0.0, moment - time.time()))
    started = time.time()
    count = services.relay(limit=100_000)
    print(f"{count} {started:.3f} {time.time():.3f}", flush=True)


def check_outbox(relay_commands: list[list[str]], jobs: int = 400) -> bool:
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from outbox.models import OutboxMessage

    relays = [
        subprocess.Popen(  # noqa: S603 (our own command lines, from scripts/multihost)
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for command in relay_commands
    ]
    for relay in relays:
        relay.stdout.readline()  # "ready": Django is set up on that host
    due = timezone.now() - timedelta(seconds=1)
    batch = OutboxMessage.objects.bulk_create(
        OutboxMessage(target="bench.sleep", args=[0.05], available_at=due) for _ in range(jobs)
    )
    ids = [message.pk for message in batch]
    moment = time.time() + 0.5
    for relay in relays:
        relay.stdin.write(f"{moment}\n")
        relay.stdin.flush()
    reports = [relay.communicate(timeout=180)[0].split() for relay in relays]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if not OutboxMessage.objects.filter(pk__in=ids, completed_at__isnull=True).exists():
            break
        time.sleep(0.5)
    runs = OutboxMessage.objects.filter(pk__in=ids).aggregate(
        done=Count("pk", filter=Q(completed_at__isnull=False))
    )
    twice = OutboxMessage.objects.filter(pk__in=ids, attempts__gt=1).count()
    counts = [int(report[0]) if report else -1 for report in reports]
    spans = [(float(r[1]) - moment, float(r[2]) - moment) for r in reports if len(r) == 3]
    overlap = (
        max(0.0, min(end for _s, end in spans) - max(start for start, _e in spans))
        if len(spans) == 2
        else 0.0
    )
    # Celery beat's relay (every 30 s, on the worker's side) may take a share as well; the
    # hosts' relays must have run at the same time for the claim to mean anything.
    ok = overlap > 0 and sum(counts) <= jobs and runs["done"] == jobs and twice == 0
    return claim(
        4,
        "the outbox delivers each job once although both hosts relay",
        ok,
        f"{jobs} due jobs of 50 ms; the relays on host A and B ran at once ("
        + ", ".join(f"{start * 1000:.0f}–{end * 1000:.0f} ms" for start, end in spans)
        + f", overlapping {overlap * 1000:.0f} ms) and handed over {counts}, beat's relay "
        f"the other {jobs - sum(counts)}; completed {runs['done']} by 2 worker processes, "
        f"run more than once {twice}",
    )


# --- 5 and 6. quizzes --------------------------------------------------------------------------


def _start_attempt(browser: Browser, origin: Origin, quiz_id: int):
    page = browser.get(origin, f"/quiz/{quiz_id}/start/")
    token = CSRF_INPUT.search(page.text)
    response = browser.post(
        origin, f"/quiz/{quiz_id}/start/", {"js": "1", "csrfmiddlewaretoken": token[1]}
    )
    attempt = PAPER_URL.search(response.text or "")
    options: dict[int, list[str]] = {}
    for position, choice in PAPER_OPTION.findall(response.text or ""):
        options.setdefault(int(position), []).append(html.unescape(choice))
    return (attempt[1] if attempt else None), options, response.status_code


def _batch(answers: dict[int, tuple[int, str]], token: str | None = None) -> str:
    return json.dumps(
        {
            "token": token or str(uuid.uuid4()),
            "answers": [{"q": q, "s": s, "o": [o]} for q, (s, o) in sorted(answers.items())],
        }
    )


def _csrf_token() -> str:
    """A CSRF cookie as a browser gets it: 32 letters and digits (Django refuses others)."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def _signed_browser(public_host: str, manifest: dict, index: int) -> Browser:
    browser = Browser(public_host)
    browser.cookies[manifest["session_cookie_name"]] = manifest["quiz_sessions"][index]
    browser.cookies[manifest["csrf_cookie_name"]] = _csrf_token()
    return browser


def check_quiz_across_hosts(a: Origin, b: Origin, manifest: dict) -> bool:
    from competitions.quizzes.models import QuizAttempt

    browser = _signed_browser(a.public_host, manifest, 0)
    attempt_path, options, status = _start_attempt(browser, a, manifest["quiz_id"])
    if not attempt_path:
        return claim(
            5,
            "a quiz attempt started on A and continued on B loses nothing",
            False,
            f"no paper from host A (status {status})",
        )
    positions = sorted(options)
    chosen = {q: (1, options[q][0]) for q in positions}
    half = len(positions) // 2
    csrf = {"X-CSRFToken": browser.cookies["csrftoken"]}
    first = browser.post(
        a,
        f"{attempt_path}save/",
        {"batch": _batch({q: chosen[q] for q in positions[:half]})},
        headers=csrf,
    )
    second = browser.post(
        b,
        f"{attempt_path}save/",
        {"batch": _batch({q: chosen[q] for q in positions[half:-1]})},
        headers=csrf,
    )
    submitted = browser.post(
        b,
        f"{attempt_path}submit/",
        {
            "submit_token": str(uuid.uuid4()),
            "batch": _batch({positions[-1]: chosen[positions[-1]]}),
            "auto": "",
        },
    )
    public_id = attempt_path.rstrip("/").rsplit("/", 1)[-1]
    attempt = QuizAttempt.objects.get(public_id=public_id)
    kept = attempt.answered_count()
    ok = (
        first.status_code == 200
        and second.status_code == 200
        and submitted.status_code == 200
        and attempt.submitted_at is not None
        and kept == len(positions)
        and f"/ {len(positions)}</p>" in submitted.text
    )
    return claim(
        5,
        "a quiz attempt started on A and continued on B loses nothing",
        ok,
        f"started on A, {half} answers saved through A ({first.status_code}), "
        f"{len(positions) - half - 1} through B ({second.status_code}), the last with the "
        f"submit through B ({submitted.status_code}); the database holds {kept} of "
        f"{len(positions)} answers, submitted: {attempt.submitted_at is not None}",
    )


def check_kill(nginx: Origin, manifest: dict, host_a_pgid: int, *, takers=8, seconds=8.0) -> bool:
    from competitions.quizzes.models import AnswerBatch

    confirmed: list[str] = []
    retried = {"count": 0, "statuses": {}}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    kill_at = time.monotonic() + seconds / 3

    def taker(index: int):
        browser = _signed_browser(nginx.public_host, manifest, index)
        attempt_path, options, _status = None, {}, 0
        while attempt_path is None and time.monotonic() < stop_at:
            attempt_path, options, _status = _start_attempt(browser, nginx, manifest["quiz_id"])
        if attempt_path is None:
            return
        positions, seq = sorted(options), 0
        csrf = {"X-CSRFToken": browser.cookies["csrftoken"]}
        while time.monotonic() < stop_at:
            seq += 1
            q = positions[seq % len(positions)]
            token = str(uuid.uuid4())
            body = _batch({q: (seq, options[q][seq % len(options[q])])}, token)
            while True:  # as quiz.js: the same batch, the same token, until it is confirmed
                try:
                    response = browser.post(
                        nginx, f"{attempt_path}save/", {"batch": body}, headers=csrf
                    )
                    status = response.status_code
                    saved = status == 200 and response.json().get("saved")
                except (requests.RequestException, ValueError):
                    status, saved = 0, False
                if saved:
                    with lock:
                        confirmed.append(token)
                    break
                with lock:
                    retried["count"] += 1
                    retried["statuses"][status] = retried["statuses"].get(status, 0) + 1
                time.sleep(0.2)

    threads = [threading.Thread(target=taker, args=(i,)) for i in range(1, takers + 1)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, kill_at - time.monotonic()))
    os.killpg(host_a_pgid, signal.SIGKILL)
    killed = time.monotonic()
    for thread in threads:
        thread.join()
    stored = {
        str(token)
        for token in AnswerBatch.objects.filter(token__in=confirmed).values_list("token", flat=True)
    }
    lost = [token for token in confirmed if token not in stored]
    ok = bool(confirmed) and not lost
    return claim(
        6,
        "killing host A mid-run loses no confirmed write",
        ok,
        f"{takers} quiz takers saving answer batches through nginx for {seconds:.0f} s, host A "
        f"killed (SIGKILL, every process) after {killed - (stop_at - seconds):.1f} s; "
        f"{len(confirmed)} batches confirmed, {len(confirmed) - len(lost)} in the database, "
        f"{len(lost)} lost; {retried['count']} sends retried with the same token "
        f"(statuses {retried['statuses']})",
    )


# --- what one operation costs the servers ----------------------------------------------------


def _server_counters(redis_client) -> dict[str, float]:
    """PostgreSQL's committed transactions and changed rows (pg_stat_database; backends report
    them within a second of a transaction, an idle one within ten), Redis's commands (INFO), and
    the CPU seconds of the app hosts, PostgreSQL and Redis (bench/cpu.py)."""
    from django.db import connection

    from . import cpu

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted"
            " FROM pg_stat_database WHERE datname = current_database()"
        )
        commits, inserted, updated, deleted = cursor.fetchone()
        # Write transactions are those given a transaction id (this one takes one too); WAL is
        # what a write costs the disk and the replicas.
        cursor.execute("SELECT txid_current(), pg_current_wal_lsn()::text")
        xid, lsn = cursor.fetchone()
    high, low = lsn.split("/")
    stats = redis_client.info("stats")
    spent = cpu.sample()
    return {
        "commits": commits,
        "rows written": inserted + updated + deleted,
        "write transactions": xid,
        "WAL bytes": (int(high, 16) << 32) + int(low, 16),
        "redis commands": stats["total_commands_processed"],
        "cpu": sum(spent.get(name, 0.0) for name in ("host_a", "host_b", "postgresql", "redis")),
        "app cpu": spent.get("host_a", 0.0) + spent.get("host_b", 0.0),
        "postgresql cpu": spent.get("postgresql", 0.0),
        "redis cpu": spent.get("redis", 0.0),
    }


def _measure(label: str, count: int, operation, redis_client, requests_per: int) -> dict:
    time.sleep(11)  # idle backends have reported what came before
    before = _server_counters(redis_client)
    accepted = sum(bool(operation(index)) for index in range(count))
    time.sleep(11)
    after = _server_counters(redis_client)
    # The measuring itself: one INFO command and two transactions of this process count.
    delta = {name: after[name] - before[name] for name in after}
    delta["redis commands"] -= 1
    delta["commits"] -= 2
    delta["write transactions"] -= 1
    figures = {
        "operation": label,
        "count": count,
        "accepted": accepted,
        "requests": requests_per,
        "server CPU ms": round(1000 * delta["cpu"] / count, 1),
        "app CPU ms": round(1000 * delta["app cpu"] / count, 1),
        "PostgreSQL CPU ms": round(1000 * delta["postgresql cpu"] / count, 1),
        "Redis CPU ms": round(1000 * delta["redis cpu"] / count, 1),
        "PostgreSQL commits": round(delta["commits"] / count, 1),
        "rows written": round(delta["rows written"] / count, 1),
        "write transactions": round(delta["write transactions"] / count, 1),
        "WAL kB": round(delta["WAL bytes"] / count / 1024, 1),
        "Redis commands": round(delta["redis commands"] / count, 1),
        "Redis commands per request": round(delta["redis commands"] / count / requests_per, 1),
    }
    print(
        f"    {label} ×{count} ({accepted} accepted): server CPU {figures['server CPU ms']} ms "
        f"(app {figures['app CPU ms']}, PostgreSQL {figures['PostgreSQL CPU ms']}, "
        f"Redis {figures['Redis CPU ms']}), "
        f"{figures['PostgreSQL commits']} commits ({figures['write transactions']} writing), "
        f"{figures['rows written']} rows written, {figures['WAL kB']} kB WAL, "
        f"{figures['Redis commands']} Redis commands ({requests_per} requests)",
        flush=True,
    )
    return figures


def measure_costs(nginx: Origin, manifest: dict, *, attempts=10, views=50, votes=10) -> list:
    """Sequential operations through nginx with the servers' counters read around each kind:
    what one complete attempt, one page view and one vote cost (docs/performance.md uses
    these figures for the capacity arithmetic)."""
    import redis
    from django.conf import settings

    redis_client = redis.Redis.from_url(settings.REDIS_URL)
    first = len(manifest["quiz_sessions"]) // 2  # accounts no claim below uses
    print("==> what an operation costs the servers (sequential, through nginx)", flush=True)

    def attempt(index):
        browser = _signed_browser(nginx.public_host, manifest, first + index)
        browser.get(nginx, manifest["quiz_page_url"])
        path, options, _status = _start_attempt(browser, nginx, manifest["quiz_id"])
        positions = sorted(options)
        answers = {q: (1, options[q][0]) for q in positions}
        half = len(positions) // 2
        csrf = {"X-CSRFToken": browser.cookies["csrftoken"]}
        for part in (positions[:half], positions[half:-1]):
            body = _batch({q: answers[q] for q in part})
            browser.post(nginx, f"{path}save/", {"batch": body}, headers=csrf)
        result = browser.post(
            nginx,
            f"{path}submit/",
            {
                "submit_token": str(uuid.uuid4()),
                "batch": _batch({positions[-1]: answers[positions[-1]]}),
                "auto": "",
            },
        )
        return result.status_code == 200 and f"/ {len(positions)}</p>" in result.text

    reader = Browser(nginx.public_host)

    def view(index):
        urls = manifest["article_urls"]
        return reader.get(nginx, urls[index % len(urls)]).status_code == 200

    refused: list[str] = []

    def vote(index):
        browser = Browser(nginx.public_host)
        browser.cookies[manifest["session_cookie_name"]] = manifest["voter_sessions"][index]
        browser.cookies[manifest["csrf_cookie_name"]] = _csrf_token()
        number = manifest["entry_numbers"][index % len(manifest["entry_numbers"])]
        response = browser.post(
            nginx,
            f"/vote/{manifest['contest_id']}/{number}/vote/",
            headers={"Accept": "application/json"},
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not body.get("ok") and not refused:
            refused.append(f"{response.status_code} {body.get('message', '')}")
            print(f"    a vote was refused: {refused[0]}", flush=True)
        return body.get("ok")

    for url in manifest["article_urls"][:views]:
        reader.get(nginx, url)  # fill the page cache: readers mostly get cached pages
    return [
        _measure("complete attempt", attempts, attempt, redis_client, 6),
        _measure("page view (cached)", views, view, redis_client, 1),
        _measure("vote", votes, vote, redis_client, 1),
    ]


def main(argv=None) -> int:
    import django

    parser = argparse.ArgumentParser(description="Prove several app hosts work as one site.")
    parser.add_argument("--host-a", required=True)
    parser.add_argument("--host-b", required=True)
    parser.add_argument("--nginx", required=True)
    parser.add_argument("--public-host", required=True)
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--host-a-pgid", required=True, type=int)
    parser.add_argument(
        "--relay", action="append", default=[], help="a command relaying the outbox (one per host)"
    )
    parser.add_argument("--results", type=Path, help="write the claims as JSON here")
    if argv is None and sys.argv[1:] == ["--host-relay"]:
        django.setup()  # one host's relay, run by check_outbox
        relay_when_told()
        return 0
    args = parser.parse_args(argv)
    django.setup()
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    a = Origin("A", args.host_a, args.public_host, True)
    b = Origin("B", args.host_b, args.public_host, True)
    nginx = Origin("nginx", args.nginx, args.public_host, False)
    costs = measure_costs(nginx, manifest)
    checks = [
        lambda: check_publish(a, b, manifest),
        lambda: check_sessions(a, b, nginx),
        lambda: check_files(a, b, nginx),
        lambda: check_outbox([command.split() for command in args.relay]),
        lambda: check_quiz_across_hosts(a, b, manifest),
        lambda: check_kill(nginx, manifest, args.host_a_pgid),
    ]
    for number, check in enumerate(checks, 1):
        try:
            check()
        except Exception as error:  # one broken claim must not hide the others' figures
            claim(number, "(see the error)", False, f"{type(error).__name__}: {error}")
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text(
            json.dumps({"claims": RESULTS, "costs": costs}, ensure_ascii=False, indent=2)
        )
    failed = [r for r in RESULTS if not r["pass"]]
    print(f"==> {len(RESULTS) - len(failed)} of {len(RESULTS)} claims hold")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
