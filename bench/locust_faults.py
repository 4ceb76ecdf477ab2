"""Load for the fault run (`scripts/bench --faults`, bench/faults.py): quiz takers and voters
that retry exactly as their browsers would, and a record of every request and every write.

- `FaultQuizTaker` takes the quiz as static/js/quiz.js does: the quiz page, the start posted
  from its form (quiz-start.js) and answered with the whole paper, answers in batches, the
  submit carrying the rest. A batch whose answer never arrives (a dropped connection, or a
  page that is not JSON: a proxy's or a killed worker's error, a 503 in JSON) is sent again
  with the same token, up to 20 times with a growing pause; a batch refused for good (400,
  404, 409) or still unanswered is given up and its answers go with the next batch or the
  submit (a new token, the same sequence numbers). A start or submit that fails is sent
  again as a person would after the 503 page: the same form, so the same tokens.
- `FaultVoter` votes as a person with static/js/vote.js: a refusal shows its message and the
  person taps again a little later; the vote is one per entry and day, so a repeat is safe.

A write is *confirmed* when the server said it succeeded (attempt started: the paper; batch
of answers: `saved`; submit: the result page, with the answers it carried; vote: `ok`).
Writes sent but never confirmed are *in doubt*. bench/faults.py compares both with the
database: every confirmed write exactly once, nothing the clients did not send.
"""

import html
import json
import os
import random
import time
import uuid

from locust import events, task
from locust.exception import StopUser

from bench.locustfile import MANIFEST, PAPER_OPTION, PAPER_URL, STATE, _Accounts, _Signed, _think

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
    """A signed-in participant taking the whole quiz through the faults, as quiz.js does:
    the start answered with the whole paper, answers sent in batches, the submit carrying
    what is still unsaved and answered with the result."""

    weight = 3
    wait_time = _think()

    def on_start(self):
        self.pool = MANIFEST["quiz_sessions"]
        self.accounts = QUIZ_ACCOUNTS
        super().on_start()

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

    def post_page(self, url, data, name, arrived):
        """A form post answered with a page (the paper, the result), sent again with the same
        fields — the same tokens — until `arrived(text)`; the text, or None."""
        page = {}

        def send():
            with self.client.post(
                url, data=data, name=name, headers=self.headers(), catch_response=True
            ) as response:
                page["text"] = response.text or ""
                if response.status_code != 200 or not arrived(page["text"]):
                    response.failure(f"status {response.status_code}")
                return response

        ok = self.retry(send, confirmed=lambda r: r.status_code == 200 and arrived(page["text"]))
        return page["text"] if ok else None

    @task
    def take_quiz(self):
        self.check_stop()
        quiz = MANIFEST["quiz_id"]
        # As quiz-start.js: the (cached) quiz page, its start form posted with the CSRF
        # cookie's token. A start sent again resumes the attempt the first one opened.
        self.get_page(MANIFEST["quiz_page_url"], "quiz page")
        paper = self.post_page(
            f"/quiz/{quiz}/start/",
            {"csrfmiddlewaretoken": self.csrf, "js": "1"},
            "quiz start",
            lambda text: PAPER_URL.search(text) is not None,
        )
        if paper is None:
            self.write("attempt_in_doubt")
            raise StopUser
        attempt = PAPER_URL.search(paper)[1]
        public_id = attempt.rstrip("/").rsplit("/", 1)[-1]
        self.write("attempt", attempt=public_id)
        state = json.loads(html.unescape(STATE.search(paper)[1]))
        options: dict[int, list[str]] = {}
        for position, token in PAPER_OPTION.findall(paper):
            options.setdefault(int(position), []).append(token)
        seq = max([0, *state["sequences"].values()])
        unsent: dict[int, tuple[int, str]] = {}
        for position in sorted(options):
            self.check_stop()
            time.sleep(self.wait_time())
            seq += 1
            unsent[position] = (seq, random.choice(options[position]))
            # quiz.js's save timer fires between answers; here after every second one.
            if len(unsent) >= 2 and self.send_batch(attempt, public_id, unsent):
                unsent = {}
        time.sleep(self.wait_time())
        self.check_stop()
        submit_token = str(uuid.uuid4())
        batch = self.batch(unsent)
        result = self.post_page(
            f"{attempt}submit/",
            {
                "csrfmiddlewaretoken": self.csrf,
                "submit_token": submit_token,
                "batch": json.dumps(batch),
                "auto": "",
            },
            "quiz submit",
            lambda text: f"/ {len(options)}</p>" in text,
        )
        kind = "submit" if result is not None else "submit_in_doubt"
        self.write(kind, attempt=public_id, token=submit_token, **self.carried(batch))
        if result is None:
            raise StopUser

    @staticmethod
    def batch(unsent) -> dict:
        return {
            "token": str(uuid.uuid4()),
            "answers": [
                {"q": position, "s": seq, "o": [option]}
                for position, (seq, option) in sorted(unsent.items())
            ],
        }

    @staticmethod
    def carried(batch) -> dict:
        return {
            "batch": batch["token"],
            "answers": [[a["q"], a["s"], a["o"][0]] for a in batch["answers"]],
        }

    def send_batch(self, attempt, public_id, unsent) -> bool:
        """quiz.js's batch: sent again with the same token after a dropped connection, a 5xx
        or a 429; a refusal for good (400, 404, 409) or 20 tries are given up and the answers
        wait for the next batch or the submit. True when the server confirmed it."""
        batch = self.batch(unsent)
        outcome = {}

        def send():
            with self.client.post(
                f"{attempt}save/",
                data={"csrfmiddlewaretoken": self.csrf, "batch": json.dumps(batch)},
                name="quiz save batch",
                headers=self.headers(**{"X-CSRFToken": self.csrf}),
                catch_response=True,
            ) as response:
                try:
                    data = json.loads(response.text or "")
                except ValueError:
                    data = None
                outcome["data"] = data if isinstance(data, dict) else None
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
                return response

        def settled(response):
            # quiz.js stops on a success or a refusal for good; anything else (a 5xx page or
            # JSON, a 429, no answer) is sent again later with the same token.
            return response.status_code in (200, 400, 404, 409)

        self.retry(send, confirmed=settled, limit=20)
        saved = bool((outcome.get("data") or {}).get("saved"))
        self.write("batch" if saved else "batch_in_doubt", attempt=public_id, **self.carried(batch))
        return saved


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
