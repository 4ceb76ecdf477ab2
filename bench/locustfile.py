"""The benchmark's load scenarios (locust, headless; scripts/bench runs them one by one).

User classes, chosen on locust's command line: CeilingUser (the trivial view), ReaderUser
(anonymous: home → section → article → related article), QuizTaker (signed in, as quiz.js
does it: quiz page → start posted from it, answered with the whole paper → the answers,
with a batch whenever the save delay passes → submit, answered with the result), SpikeTaker (a
thousand phones tapping start within ten seconds),
VoterUser (ranking → vote → the entry's count), SearcherUser (suggestions while typing →
search → a result). All of them together, by their weights, are the mixed campaign
(70 % quiz takers, 20 % readers, 5 % voters, 5 % searchers).

Signed-in users use sessions seeded by bench/seed.py (BENCH_MANIFEST names the manifest),
one account per simulated user. Every write the server confirms is counted here and written
to BENCH_COUNTS when the run stops, so the runner can compare it with the database. A run
stops gently: a user finishes the request it is waiting for, then stops, so nothing the
server accepted goes uncounted.
"""

import html
import json
import os
import random
import re
import secrets
import string
import time
import uuid
from collections import Counter

from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser
from locust.user.users import LOCUST_STATE_STOPPING

from bench.bookdrift_users import drift_reader

with open(os.environ["BENCH_MANIFEST"], encoding="utf-8") as _manifest:
    MANIFEST = json.load(_manifest)
THINK = float(os.environ.get("BENCH_THINK_SECONDS", "1.0"))
ACCEPTED: Counter = Counter()
# How long each complete attempt took, from opening the quiz page to the leaderboard, and how
# many were completed, both counted from the moment every simulated user is running (when
# locust resets its statistics, --reset-stats).
FLOW_MS: list[int] = []
MEASURED = {"since": None, "attempts_completed": 0}


class _Accounts:
    """Hands out seeded accounts in order; each run starts after the previous run's last one
    (BENCH_*_OFFSET), so no run resumes another run's attempt or reuses its votes."""

    def __init__(self, variable: str):
        self.next = int(os.environ.get(variable) or 0)

    def take(self) -> int:
        self.next += 1
        return self.next - 1


QUIZ_ACCOUNTS = _Accounts("BENCH_QUIZ_OFFSET")
VOTER_ACCOUNTS = _Accounts("BENCH_VOTER_OFFSET")
DRIFT_ACCOUNTS = _Accounts("BENCH_DRIFT_OFFSET")
PAPER_URL = re.compile(r'data-replace-url="(/quiz/a/[0-9a-f-]+/)"')
PAPER_OPTION = re.compile(r'name="q(\d+)" value="([^"]+)"')
START_FORM = "data-quiz-start"  # the quiz page's start form (shown by quiz.js with the cookie)
STATE = re.compile(r'<script id="quiz-state" type="application/json">(.*?)</script>', re.S)
# The synchronised start: every SpikeTaker taps within SPIKE_SECONDS after SPIKE_AT.
SPIKE_AT = float(os.environ.get("BENCH_SPIKE_AT") or time.time() + 15)
SPIKE_SECONDS = float(os.environ.get("BENCH_SPIKE_SECONDS") or 10)
CONTENT_LINK = re.compile(r'href="(/[a-z]+/(?:article|video)-\d+/)"')
CSRF_CHARS = string.ascii_letters + string.digits


def _json(response) -> dict:
    _in_doubt(response)
    try:
        return response.json() or {}
    except (ValueError, TypeError):
        return {}


def _think():
    # Phones: a person reads and taps between requests (BENCH_THINK_SECONDS on average).
    return between(THINK * 0.5, THINK * 1.5) if THINK > 0 else constant(0)


def _in_doubt(response) -> bool:
    """A write whose answer never arrived (connection error): the server may have done it."""
    if response.status_code == 0:
        ACCEPTED["writes_in_doubt"] += 1
        return True
    return False


class _Signed(FastHttpUser):
    """A signed-in phone: the seeded session cookie and its own CSRF cookie on every request."""

    abstract = True
    pool: list[str] = []
    accounts: _Accounts

    def on_start(self):
        self.take_account(self.accounts.take())

    def take_account(self, index: int):
        if index >= len(self.pool):
            raise StopUser  # more simulated users than seeded accounts: do not share one
        self.csrf = "".join(secrets.choice(CSRF_CHARS) for _ in range(32))
        self.cookie = (
            f"{MANIFEST['session_cookie_name']}={self.pool[index]}; "
            f"{MANIFEST['csrf_cookie_name']}={self.csrf}"
        )

    def headers(self, **extra):
        return {"Cookie": self.cookie, **extra}

    def check_stop(self):
        # A gentle stop arrives as a state change; leave between requests, never inside one.
        if self._state == LOCUST_STATE_STOPPING:
            raise StopUser


class CeilingUser(FastHttpUser):
    """The trivial view: the most any view reaches with this server setup."""

    wait_time = constant(0)
    weight = 1  # only run on its own (the mixed campaign names its classes)

    @task
    def ceiling(self):
        self.client.get("/bench/ceiling/", name="ceiling")


class ReaderUser(FastHttpUser):
    """An anonymous reader: home → section → article → related article."""

    weight = 20

    def wait_time(self):
        return _think()(self) if os.environ.get("BENCH_READER_THINK") == "1" else 0

    @task
    def read(self):
        self.client.get("/", name="home")
        self.client.get(random.choice(MANIFEST["section_urls"]), name="section")
        article = random.choice(MANIFEST["article_urls"])
        with self.client.get(article, name="article", catch_response=True) as response:
            links = [link for link in CONTENT_LINK.findall(response.text or "") if link != article]
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not links:
                response.failure("no related article on the page")
        if links:
            self.client.get(links[0], name="related article")


class QuizTaker(_Signed):
    """A signed-in participant taking the whole quiz the way quiz.js does it: the quiz page
    (from the page cache), the start posted from its form with the CSRF cookie's token
    (answered with the whole paper; the start page only if the page has no start form, the
    fallback without the cookie), then one answer per question
    with a phone's pause before each, the unsaved answers sent in a batch once they rested the
    paper's save delay without a change or its longest wait after the oldest of them changed
    (at the benchmark's pace they never rest that long), and the submit (carrying what is
    still unsaved, answered with the result page)."""

    weight = 70
    wait_time = _think()

    def on_start(self):
        self.pool = MANIFEST["quiz_sessions"]
        self.accounts = QUIZ_ACCOUNTS
        super().on_start()

    def pause(self, seconds=None):
        """A phone's pause; quiz.js's save timer fires during it as it would in the page."""
        self.check_stop()
        end = time.monotonic() + (self.wait_time() if seconds is None else seconds)
        while self.unsent and self._save_due() <= end:
            time.sleep(max(0.0, self._save_due() - time.monotonic()))
            self._send_batch()
        time.sleep(max(0.0, end - time.monotonic()))
        self.check_stop()

    def _save_due(self) -> float:
        """When quiz.js's debounced save timer fires for the unsaved answers."""
        return min(self.last_change + self.save_delay, self.first_unsent + self.save_max)

    def before_start(self):
        """What happens between the quiz page and the tap on 开始答题 (a pause)."""
        self.pause()

    @task
    def take_quiz(self):
        started = time.perf_counter()
        quiz = MANIFEST["quiz_id"]
        self.unsent = {}
        with self.client.get(
            MANIFEST["quiz_page_url"], name="quiz page", headers=self.headers(), catch_response=True
        ) as response:
            has_form = START_FORM in (response.text or "")
        self.check_stop()
        if not has_form:  # quiz.js's fallback: the link to the start page
            self.client.get(f"/quiz/{quiz}/start/", name="quiz start page", headers=self.headers())
        self.before_start()
        with self.client.post(
            f"/quiz/{quiz}/start/",
            data={"csrfmiddlewaretoken": self.csrf, "js": "1"},
            name="quiz start",
            headers=self.headers(),
            catch_response=True,
        ) as response:
            paper = response.text or ""
            attempt = PAPER_URL.search(paper)
            _in_doubt(response)
            if response.status_code != 200 or attempt is None:
                response.failure(f"no paper (status {response.status_code})")
                return
            ACCEPTED["attempts_started"] += 1
        self.attempt = attempt[1]
        state = json.loads(html.unescape(STATE.search(paper)[1]))
        self.save_delay = float(state["saveDelaySeconds"])
        self.save_max = float(state["saveMaxSeconds"])
        self.attempt_token = state["token"]
        options: dict[int, list[str]] = {}
        for position, token in PAPER_OPTION.findall(paper):
            options.setdefault(int(position), []).append(token)
        self.seq = max([0, *state["sequences"].values()])
        self.first_unsent = self.last_change = 0.0
        for position in sorted(options):
            self.pause()  # reading the question, tapping an answer
            self.seq += 1
            self.last_change = time.monotonic()
            if not self.unsent:
                self.first_unsent = self.last_change
            self.unsent[position] = (self.seq, [random.choice(options[position])])
        self.pause()  # the submit button and its confirmation
        carried = bool(self.unsent)
        with self.client.post(
            f"{self.attempt}submit/",
            data={
                "csrfmiddlewaretoken": self.csrf,
                "submit_token": str(uuid.uuid4()),
                "batch": self._batch_body(),
                "auto": "",
                "attempt_token": self.attempt_token,
            },
            name="quiz submit",
            headers=self.headers(),
            catch_response=True,
        ) as response:
            _in_doubt(response)
            total = len(options)
            if response.status_code != 200 or f"/ {total}</p>" not in (response.text or ""):
                response.failure(f"no result page (status {response.status_code})")
                return
            ACCEPTED["attempts_submitted"] += 1
            ACCEPTED["answers_submitted"] += total
            if carried:
                ACCEPTED["answer_batches"] += 1
        self.unsent = {}
        ACCEPTED["attempts_completed"] += 1
        if MEASURED["since"] is not None:
            MEASURED["attempts_completed"] += 1
            FLOW_MS.append(round((time.perf_counter() - started) * 1000))
        self.after_attempt()

    def after_attempt(self):
        """Phones of the campaign take the quiz again (a new attempt, the same account)."""

    def _batch_body(self) -> str:
        return json.dumps(
            {
                "token": str(uuid.uuid4()),
                "answers": [
                    {"q": position, "s": seq, "o": chosen}
                    for position, (seq, chosen) in sorted(self.unsent.items())
                ],
            }
        )

    def _send_batch(self):
        """quiz.js's save timer: the unsaved answers in one batch."""
        sent = dict(self.unsent)
        with self.client.post(
            f"{self.attempt}save/",
            data={"csrfmiddlewaretoken": self.csrf, "batch": self._batch_body()},
            name="quiz save batch",
            headers=self.headers(**{"X-CSRFToken": self.csrf, "X-Quiz-Token": self.attempt_token}),
            catch_response=True,
        ) as response:
            body = _json(response)
            if response.status_code != 200 or not body.get("saved"):
                response.failure(f"not saved (status {response.status_code})")
                # quiz.js retries a little later
                self.first_unsent = self.last_change = time.monotonic()
                return
            if not body.get("replayed"):
                ACCEPTED["answer_batches"] += 1
        for position, (seq, _chosen) in sent.items():
            if self.unsent.get(position, (None,))[0] == seq:
                del self.unsent[position]


class SpikeTaker(QuizTaker):
    """One of a thousand phones that opened the quiz page before the quiz began and tap
    开始答题 within the same ten seconds (BENCH_SPIKE_SECONDS from BENCH_SPIKE_AT), then take
    the quiz once like everyone else."""

    weight = 1  # only run on its own (the mixed campaign names its classes)

    def before_start(self):
        tap = SPIKE_AT + random.uniform(0, SPIKE_SECONDS)
        self.pause(max(0.0, tap - time.time()))

    def after_attempt(self):
        # Done: stay on the result page until the run ends.
        while True:
            self.pause(1.0)


class VoterUser(_Signed):
    """A verified voter: the popularity ranking → a vote → the entry page with its count."""

    weight = 5
    wait_time = _think()

    def on_start(self):
        self.pool = MANIFEST["voter_sessions"]
        self.accounts = VOTER_ACCOUNTS
        super().on_start()
        self.votes_left = MANIFEST["votes_per_day"]

    @task
    def vote(self):
        if self.votes_left == 0:
            # This account used today's votes: the next phone in the queue takes over.
            self.take_account(self.accounts.take())
            self.votes_left = MANIFEST["votes_per_day"]
        contest = MANIFEST["contest_id"]
        number = random.choice(MANIFEST["entry_numbers"])
        self.client.get(f"/vote/{contest}/", name="vote ranking", headers=self.headers())
        self.check_stop()
        with self.client.post(
            f"/vote/{contest}/{number}/vote/",
            data={"csrfmiddlewaretoken": self.csrf},
            name="vote",
            headers=self.headers(Accept="application/json"),
            catch_response=True,
        ) as response:
            body = _json(response)
            if response.status_code != 200 or not body.get("ok"):
                response.failure(f"refused (status {response.status_code}): {body.get('message')}")
                return
            self.votes_left -= 1
            ACCEPTED["votes_created" if body.get("created") else "votes_repeated"] += 1
        self.check_stop()
        self.client.get(
            f"/vote/{contest}/{number}/", name="vote entry count", headers=self.headers()
        )


class SearcherUser(FastHttpUser):
    """Someone searching: suggestions as each character is typed, the search, a result."""

    weight = 5
    wait_time = _think()

    @task
    def search(self):
        term = random.choice(MANIFEST["search_terms"])
        for length in range(1, len(term) + 1):
            self.client.get("/search/suggest/", params={"q": term[:length]}, name="search suggest")
            time.sleep(0.2 * THINK)
        response = self.client.get("/search/", params={"q": term}, name="search")
        links = CONTENT_LINK.findall(response.text or "")
        if response.status_code == 200 and not links:
            # Not a load error, but every seeded term is in some article: reported.
            ACCEPTED["searches_without_content_result"] += 1
        if links:
            self.client.get(links[0], name="search result")


# The book drift: scan → copy page → catch (its own file, bench/bookdrift_users.py).
DriftReader = drift_reader(_Signed, DRIFT_ACCOUNTS, ACCEPTED, _think, _in_doubt, MANIFEST)


@events.spawning_complete.add_listener
def _start_measuring(**kwargs):
    MEASURED["since"] = time.monotonic()


@events.test_stop.add_listener
def _write_counts(**kwargs):
    path = os.environ.get("BENCH_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "accepted": dict(ACCEPTED),
                    "flow_ms": FLOW_MS,
                    "measured": {
                        "seconds": time.monotonic() - MEASURED["since"]
                        if MEASURED["since"] is not None
                        else None,
                        "attempts_completed": MEASURED["attempts_completed"],
                    },
                    "offsets": {
                        "BENCH_QUIZ_OFFSET": QUIZ_ACCOUNTS.next,
                        "BENCH_VOTER_OFFSET": VOTER_ACCOUNTS.next,
                        "BENCH_DRIFT_OFFSET": DRIFT_ACCOUNTS.next,
                    },
                },
                handle,
            )
