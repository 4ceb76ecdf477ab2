"""Load for the fault run (`scripts/bench --faults`, bench/faults.py): quiz takers and voters
that retry exactly as their browsers would, and a record of every request and every write.

- `FaultQuizTaker` takes the quiz as static/js/quiz.js does: an autosave whose answer never
  arrives (a dropped connection, or a page that is not JSON: a proxy's or a killed worker's
  error) is sent again with the same token, up to 20 times with a growing pause; an autosave
  the server refused in JSON (a 503 "try again") is given up and the choice goes with the
  form, as quiz.js does. A form post (start, "next" with the choice, submit) that fails is
  sent again as a person would after the 503 page: the same form, so the same tokens.
- `FaultVoter` votes as a person with static/js/vote.js: a refusal shows its message and the
  person taps again a little later; the vote is one per entry and day, so a repeat is safe.

A write is *confirmed* when the server said it succeeded (attempt started: a redirect to the
attempt; answer: `saved` or the form's redirect; submit: the redirect to the result; vote:
`ok`). Writes sent but never confirmed are *in doubt*. bench/faults.py compares both with the
database: every confirmed write exactly once, nothing the clients did not send.
"""

import json
import os
import random
import time
import uuid

from locust import events, task
from locust.exception import StopUser

from bench.locustfile import MANIFEST, OPTION, _Accounts, _Signed, _think

WRITES: list[dict] = []
REQUESTS: list[tuple] = []
QUIZ_ACCOUNTS = _Accounts("BENCH_QUIZ_OFFSET")
VOTER_ACCOUNTS = _Accounts("BENCH_VOTER_OFFSET")
# How long a simulated person keeps retrying one step before giving up on it.
GIVE_UP_SECONDS = float(os.environ.get("BENCH_FAULT_GIVE_UP_SECONDS") or 120)
RETRY_PAGE = "请稍后再试"


def _kind(response) -> str:
    """What the client saw: ok, a clean 503 (a Chinese message: the retry page, or JSON for
    scripts), another error status, or no answer at all."""
    status = response.status_code
    if status == 0:
        return "connection error"
    if status < 400:
        return "ok"
    if status == 503:
        text = response.text or ""
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and (data.get("message") or data.get("error")):
            return "503 with a message (JSON)"
        if RETRY_PAGE in text:
            return "503 retry page"
        return "503 other"
    return str(status)


@events.request.add_listener
def _record(request_type, name, response_time, response_length, response=None, **kwargs):
    if response is not None:
        REQUESTS.append((round(time.time(), 3), name, response.status_code, _kind(response)))


class _Retrying(_Signed):
    abstract = True

    def retry(self, send, *, confirmed, pause=1.5, limit=None):
        """Sends until `confirmed(response)`; True if it was, False after GIVE_UP_SECONDS or
        a refusal that asks for no retry (a 4xx other than 429)."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        tries = 0
        while True:
            response = send()
            if confirmed(response):
                return True
            tries += 1
            final = 400 <= response.status_code < 500 and response.status_code != 429
            if final or (limit and tries >= limit) or time.monotonic() > deadline:
                return False
            time.sleep(pause * min(tries, 4))

    def write(self, kind: str, **fields):
        WRITES.append({"kind": kind, "session": self.session_key, **fields})

    def take_account(self, index: int):
        super().take_account(index)
        self.session_key = self.pool[index]


class FaultQuizTaker(_Retrying):
    """A signed-in participant taking the whole quiz through the faults."""

    weight = 3
    wait_time = _think()

    def on_start(self):
        self.pool = MANIFEST["quiz_sessions"]
        self.accounts = QUIZ_ACCOUNTS
        super().on_start()

    def post_form(self, url, data, name, expect):
        """A form post, sent again (same fields, same tokens) until it redirects to `expect`."""

        def send():
            with self.client.post(
                url,
                data=data,
                name=name,
                headers=self.headers(),
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"status {response.status_code}")
                self.location = response.headers.get("Location", "")
                return response

        return self.retry(send, confirmed=lambda r: r.status_code == 302 and expect(self.location))

    def get_page(self, url, name):
        """A page, reloaded until it arrives; its text."""
        page = {}

        def send():
            with self.client.get(
                url, name=name, headers=self.headers(), catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                page["text"] = response.text or ""
                return response

        ok = self.retry(send, confirmed=lambda r: r.status_code == 200)
        return page["text"] if ok else None

    @task
    def take_quiz(self):
        self.check_stop()
        quiz = MANIFEST["quiz_id"]
        self.get_page(f"/quiz/{quiz}/start/", "quiz start page")
        started = self.post_form(
            f"/quiz/{quiz}/start/",
            {"csrfmiddlewaretoken": self.csrf},
            "quiz start",
            lambda location: "/quiz/a/" in location,
        )
        if not started:
            self.write("attempt_in_doubt")
            raise StopUser
        attempt = self.location.split("?")[0]
        public_id = attempt.rstrip("/").rsplit("/", 1)[-1]
        self.write("attempt", attempt=public_id)
        total = MANIFEST["questions_per_attempt"]
        for position in range(1, total + 1):
            self.check_stop()
            text = self.get_page(f"{attempt}?q={position}", "quiz question")
            if text is None:
                raise StopUser
            options = OPTION.findall(text)
            if not options:
                # Already finished (the deadline passed while the faults went on).
                self.write("attempt_ended_early", attempt=public_id, position=position)
                return
            time.sleep(self.wait_time())
            choice = random.choice(options)
            saved = self.autosave(attempt, public_id, position, choice)
            time.sleep(self.wait_time())
            if position < total and saved:
                continue
            last = position == total
            self.check_stop()
            token = str(uuid.uuid4())
            data = {
                "csrfmiddlewaretoken": self.csrf,
                "position": position,
                "save_token": token,
                "submit_token": str(uuid.uuid4()),
                "action": "submit" if last else "next",
            }
            if not saved:
                data["option"] = choice
            expected = "/result/" if last else f"?q={position + 1}"
            ok = self.post_form(
                attempt,
                data,
                "quiz submit" if last else "quiz next",
                lambda location, expected=expected: location.endswith(expected),
            )
            if not saved:
                kind = "save" if ok else "save_in_doubt"
                self.write(kind, attempt=public_id, position=position, token=token, option=choice)
            if last:
                self.write(
                    "submit" if ok else "submit_in_doubt",
                    attempt=public_id,
                    token=data["submit_token"],
                )
            if not ok:
                raise StopUser
        self.get_page(f"{attempt}result/", "quiz result")

    def autosave(self, attempt, public_id, position, choice) -> bool:
        """quiz.js's autosave: True when the server confirmed it."""
        token = str(uuid.uuid4())
        body = {"position": position, "options": [choice], "token": token}
        outcome = {}

        def send():
            with self.client.post(
                f"{attempt}save/",
                json=body,
                name="quiz autosave",
                headers=self.headers(**{"X-CSRFToken": self.csrf}),
                catch_response=True,
            ) as response:
                try:
                    data = json.loads(response.text or "")
                except ValueError:
                    data = None
                outcome["data"] = data
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                return response

        def settled(response):
            # quiz.js stops on any JSON answer (saved or refused) and retries otherwise.
            return response.status_code != 0 and outcome.get("data") is not None

        self.retry(send, confirmed=settled, limit=20)
        data = outcome.get("data") or {}
        if data.get("saved"):
            self.write("save", attempt=public_id, position=position, token=token, option=choice)
            return True
        self.write("save_in_doubt", attempt=public_id, position=position, token=token)
        return False


class FaultVoter(_Retrying):
    """A verified voter: the ranking, then a vote, tapped again after a refusal."""

    weight = 1
    wait_time = _think()

    def on_start(self):
        self.pool = MANIFEST["voter_sessions"]
        self.accounts = VOTER_ACCOUNTS
        super().on_start()
        self.votes_left = MANIFEST["votes_per_day"]

    @task
    def vote(self):
        if self.votes_left == 0:
            self.take_account(self.accounts.take())
            self.votes_left = MANIFEST["votes_per_day"]
        self.check_stop()
        contest = MANIFEST["contest_id"]
        number = random.choice(MANIFEST["entry_numbers"])
        self.client.get(f"/vote/{contest}/", name="vote ranking", headers=self.headers())
        outcome = {}

        def send():
            with self.client.post(
                f"/vote/{contest}/{number}/vote/",
                data={"csrfmiddlewaretoken": self.csrf},
                name="vote",
                headers=self.headers(Accept="application/json"),
                catch_response=True,
            ) as response:
                try:
                    outcome["data"] = json.loads(response.text or "")
                except ValueError:
                    outcome["data"] = {}
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                return response

        ok = self.retry(
            send, confirmed=lambda r: r.status_code == 200 and outcome["data"].get("ok"), pause=2
        )
        if ok:
            self.votes_left -= 1
            self.write("vote", entry=number, created=bool(outcome["data"].get("created")))
        else:
            self.write("vote_in_doubt", entry=number)


@events.test_stop.add_listener
def _write_record(**kwargs):
    path = os.environ.get("BENCH_FAULT_RECORD")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"writes": WRITES, "requests": REQUESTS}, handle)
