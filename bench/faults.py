"""The fault run (`scripts/bench --faults`, docs/reliability.md): quiz takers and voters keep
going while the stack is broken on a timeline, then every write they saw confirmed is looked
up in the database.

On the stack scripts/bench starts (PostgreSQL, Redis, gunicorn, a Celery worker and beat),
with the users of bench/locust_faults.py running for `BENCH_FAULTS_SECONDS`:

| at (s) | fault |
| --- | --- |
| 30 | Redis SIGKILL, started again `BENCH_FAULT_REDIS_DOWN_SECONDS` (15) later, empty |
| 60 | SIGKILL of one gunicorn worker (the master starts another) |
| 85 | PostgreSQL restart, fast shutdown (`pg_ctl restart -m fast`) |
| 115 | Redis SIGKILL again, started again 15 s later |
| 150 | SIGKILL of the Celery worker (and its pool) while it runs an outbox job, then a new worker |

For each fault it records when it was injected, when the service was back, how long until
the clients' requests succeeded again and what they saw meanwhile (by status and kind).
Afterwards: the outbox must drain (no pending message), the job interrupted by the worker's
death must have been delivered again and completed once (with one certificate), and the
database must hold every confirmed write exactly once and nothing the clients did not send.
Exits non-zero on any loss, any double, any 500 or an outbox that does not drain.
"""

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "bench" / "locust_faults.py"
SLOW_JOB = "bench.slow_certificate"
SLOW_JOB_SECONDS = 8
PROBE_JOB = "bench.noop"
BURST_GAP_SECONDS = 5.0


def _now() -> float:
    return time.time()


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(child) for child in handle.read().split()]
    except OSError:
        return []


def _wait(predicate, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class Stack:
    """The services scripts/bench started, and how to break and restart each of them."""

    def __init__(self, args):
        self.run_dir = Path(args.run_dir)
        self.redis_port = args.redis_port
        self.pg_bin = args.pg_bin
        self.pg_data = self.run_dir / "pg"
        self.gunicorn_pid = args.gunicorn_pid
        self.celery_pid = args.celery_pid
        self.workers = int(os.environ.get("GUNICORN_WORKERS") or 3)
        self.started_workers: list[subprocess.Popen] = []

    # --- Redis ---
    def redis_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.3) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill_redis(self) -> None:
        pid = int((self.run_dir / "redis.pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        _wait(lambda: not self.redis_up(), 10)

    def start_redis(self) -> None:
        subprocess.run(  # the same command line as scripts/bench
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                str(self.run_dir / "redis.pid"),
                "--dir",
                str(self.run_dir),
                "--logfile",
                str(self.run_dir / "redis.log"),
            ],
            check=True,
        )
        _wait(self.redis_up, 30)

    # --- gunicorn ---
    def gunicorn_workers(self) -> list[int]:
        return _children(self.gunicorn_pid)

    # --- PostgreSQL ---
    def _as_postgres(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command

    def restart_postgres(self) -> None:
        subprocess.run(
            self._as_postgres(
                [
                    f"{self.pg_bin}/pg_ctl",
                    "-D",
                    str(self.pg_data),
                    "-l",
                    str(self.run_dir / "pg.log"),
                    "-m",
                    "fast",
                    "-w",
                    "restart",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def postgres_up(self) -> bool:
        from django.db import connection

        try:
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except Exception:
            return False

    # --- Celery ---
    def celery_pids(self) -> list[int]:
        return [self.celery_pid, *_children(self.celery_pid)]

    def kill_celery(self) -> None:
        for pid in self.celery_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def start_celery(self) -> None:
        log = open(self.run_dir / "celery-restarted.log", "ab")  # noqa: SIM115 (kept open)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kepu",
                "worker",
                "--include",
                "bench.jobs",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",  # its log says when it was ready again
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        self.started_workers.append(process)
        self.celery_pid = process.pid

    def stop_started(self) -> None:
        for process in self.started_workers:
            process.terminate()
        for process in self.started_workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


# --- the faults ------------------------------------------------------------------------------


def redis_kill(stack: Stack, down_seconds: float) -> dict:
    injected = _now()
    stack.kill_redis()
    time.sleep(down_seconds)
    stack.start_redis()
    return {"injected": injected, "back": _now(), "detail": f"down {down_seconds:g} s, empty"}


def gunicorn_worker_kill(stack: Stack, down_seconds: float) -> dict:
    workers = stack.gunicorn_workers()
    victim = workers[0]
    injected = _now()
    os.kill(victim, signal.SIGKILL)
    _wait(
        lambda: (
            victim not in stack.gunicorn_workers() and len(stack.gunicorn_workers()) >= len(workers)
        ),
        60,
    )
    return {"injected": injected, "back": _now(), "detail": f"worker {victim} of {len(workers)}"}


def postgres_restart(stack: Stack, down_seconds: float) -> dict:
    injected = _now()
    stack.restart_postgres()
    _wait(stack.postgres_up, 60, interval=0.2)
    return {"injected": injected, "back": _now(), "detail": "pg_ctl restart -m fast"}


def _slow_job_attempt() -> int:
    """A finished, passing attempt of a signed-in participant without a certificate yet."""
    from django.db.models import Exists, F, OuterRef

    from competitions.quizzes.models import Certificate, QuizAttempt

    attempt = (
        QuizAttempt.objects.filter(status="submitted", user__isnull=False, max_score__gt=0)
        .filter(score__gte=F("max_score") * F("quiz__pass_mark") / 100.0)
        .annotate(
            certified=Exists(
                Certificate.objects.filter(
                    quiz_id=OuterRef("quiz_id"), participant_key=OuterRef("participant_key")
                )
            )
        )
        .filter(certified=False)
        .order_by("pk")
        .first()
    )
    if attempt is None:
        raise SystemExit("no passing attempt without a certificate to run the slow job for")
    return attempt.pk


def celery_kill(stack: Stack, down_seconds: float) -> dict:
    from django.db import close_old_connections, transaction

    from bench import jobs  # noqa: F401  (registers the jobs enqueued here)
    from outbox.models import OutboxMessage
    from outbox.services import enqueue

    close_old_connections()
    attempt_id = _slow_job_attempt()
    with transaction.atomic():
        message = enqueue(SLOW_JOB, attempt_id, SLOW_JOB_SECONDS)
    running = _wait(
        lambda: OutboxMessage.objects.get(pk=message.pk).attempts >= 1, 120, interval=0.2
    )
    injected = _now()
    stack.kill_celery()
    stack.start_celery()
    # Back when the outbox delivers again: a job enqueued now has completed.
    with transaction.atomic():
        probe = enqueue(PROBE_JOB)
    _wait(
        lambda: OutboxMessage.objects.get(pk=probe.pk).completed_at is not None, 180, interval=0.5
    )
    return {
        "injected": injected,
        "back": _now(),
        "detail": f"outbox message {message.pk} was {'running' if running else 'not yet running'}",
        "slow_job": {
            "message_id": message.pk,
            "attempt_id": attempt_id,
            "running": running,
            "injected": injected,
        },
    }


TIMELINE = [
    (30, "Redis SIGKILL (1)", redis_kill),
    (60, "gunicorn worker SIGKILL", gunicorn_worker_kill),
    (85, "PostgreSQL fast restart", postgres_restart),
    (115, "Redis SIGKILL (2)", redis_kill),
    (150, "Celery worker SIGKILL during delivery", celery_kill),
]


# --- the database check ------------------------------------------------------------------------


def _user_ids(session_keys) -> dict[str, int]:
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    store = SessionStore()
    return {
        row.session_key: int(store.decode(row.session_data)[SESSION_KEY])
        for row in Session.objects.filter(session_key__in=set(session_keys))
    }


def check_database(writes: list[dict], since: datetime, manifest: dict) -> dict:
    """Every confirmed write exactly once, nothing the clients did not send."""
    from competitions.quizzes.attempts import option_token
    from competitions.quizzes.models import AnswerBatch, QuizAttempt
    from competitions.voting.models import Vote

    by_kind = defaultdict(list)
    for write in writes:
        by_kind[write["kind"]].append(write)
    confirmed_attempts = {w["attempt"] for w in by_kind["attempt"]}
    users = _user_ids(w["session"] for w in writes)
    quiz_users = {users[w["session"]] for w in writes if w["session"] in users} & set(
        QuizAttempt.objects.filter(started_at__gte=since).values_list("user_id", flat=True)
    )
    run_attempts = {
        str(public_id): pk
        for public_id, pk in QuizAttempt.objects.filter(
            started_at__gte=since, user_id__in=quiz_users
        ).values_list("public_id", "pk")
    }
    result = {}

    # Attempts: each confirmed start exists; any other attempt of the run was an in-doubt start.
    missing = confirmed_attempts - set(run_attempts)
    unconfirmed = set(run_attempts) - confirmed_attempts
    result["attempts"] = {
        "confirmed": len(confirmed_attempts),
        "lost": len(missing),
        "in doubt": len(by_kind["attempt_in_doubt"]),
        "in database but never confirmed": len(unconfirmed),
        "ok": not missing and len(unconfirmed) <= len(by_kind["attempt_in_doubt"]),
    }

    # Answers, in batches (quiz.js's, and the one each submit carries): every confirmed batch
    # applied once, no batch nobody sent, and each question holds an answer at least as new
    # as the newest confirmed one for it, exactly as the client sent it.
    attempts_by_id = {
        str(a.public_id): a
        for a in QuizAttempt.objects.filter(pk__in=run_attempts.values()).only(
            "public_id", "status", "answers"
        )
    }
    batches = by_kind["batch"] + by_kind["batch_in_doubt"]
    carried = [w for w in by_kind["submit"] + by_kind["submit_in_doubt"] if w["answers"]]
    sent = {w["batch"] for w in batches + carried}
    # A submit after the deadline still shows the result, but its answers came too late.
    confirmed_batches = by_kind["batch"] + [
        w
        for w in carried
        if w["kind"] == "submit"
        and getattr(attempts_by_id.get(w["attempt"]), "status", "") == "submitted"
    ]
    confirmed_tokens = {w["batch"] for w in confirmed_batches}
    saved = Counter(
        str(token)
        for token in AnswerBatch.objects.filter(attempt_id__in=run_attempts.values()).values_list(
            "token", flat=True
        )
    )
    newest: dict[tuple, int] = {}
    sent_answers: dict[tuple, str] = {}
    for write in batches + carried:
        for position, seq, option in write["answers"]:
            sent_answers[(write["attempt"], position, seq)] = option
    for write in confirmed_batches:
        for position, seq, _option in write["answers"]:
            key = (write["attempt"], position)
            newest[key] = max(seq, newest.get(key, 0))
    wrong_final = 0
    for (public_id, position), seq in newest.items():
        attempt = attempts_by_id.get(public_id)
        held = (
            attempt.answers[position - 1] if attempt and position <= len(attempt.answers) else None
        )
        if not held or held[0] < seq or len(held[1]) != 1:
            wrong_final += 1
            continue
        if option_token(attempt, held[1][0]) != sent_answers.get((public_id, position, held[0])):
            wrong_final += 1
    result["answers"] = {
        "confirmed": len(confirmed_tokens),
        "lost": len(confirmed_tokens - set(saved)),
        "doubled": sum(1 for count in saved.values() if count > 1),
        "in doubt": len(sent - confirmed_tokens),
        "in doubt and saved": len((sent - confirmed_tokens) & set(saved)),
        "saved but never sent": len(set(saved) - sent),
        "questions not holding the last confirmed answer": wrong_final,
    }
    result["answers"]["ok"] = not any(
        result["answers"][key]
        for key in (
            "lost",
            "doubled",
            "saved but never sent",
            "questions not holding the last confirmed answer",
        )
    )

    # Submits: each confirmed submit finished its attempt with that very token.
    finished = {
        str(public_id): str(token)
        for public_id, token in QuizAttempt.objects.filter(pk__in=run_attempts.values())
        .exclude(status="in_progress")
        .values_list("public_id", "submit_token")
    }
    lost_submits = [w for w in by_kind["submit"] if finished.get(w["attempt"]) != w["token"]]
    result["submits"] = {
        "confirmed": len(by_kind["submit"]),
        "lost": len(lost_submits),
        "in doubt": len(by_kind["submit_in_doubt"]),
        "ok": not lost_submits,
    }

    # Votes: one row per confirmed (voter, entry) and day; no row nobody asked for.
    contest = manifest["contest_id"]
    asked = Counter(
        (users.get(w["session"]), w["entry"]) for w in by_kind["vote"] + by_kind["vote_in_doubt"]
    )
    confirmed_votes = {(users.get(w["session"]), w["entry"]) for w in by_kind["vote"]}
    voters = {voter for voter, _entry in asked}
    in_db = Counter(
        Vote.objects.filter(contest_id=contest, voter_id__in=voters, created_at__gte=since)
        .values_list("voter_id", "entry__number")
        .order_by()
    )
    result["votes"] = {
        "confirmed": len(confirmed_votes),
        "lost": len(confirmed_votes - set(in_db)),
        "doubled": sum(1 for count in in_db.values() if count > 1),
        "in doubt": len(by_kind["vote_in_doubt"]),
        "in database but never asked for": len(set(in_db) - set(asked)),
    }
    result["votes"]["ok"] = not (
        result["votes"]["lost"]
        or result["votes"]["doubled"]
        or result["votes"]["in database but never asked for"]
    )
    return result


def check_outbox(slow_job: dict | None, drained_within: float) -> dict:
    from django.db.models import Q

    from competitions.quizzes.models import Certificate, QuizAttempt
    from outbox.models import OutboxMessage

    from_slow_job = {}
    if slow_job:
        message = OutboxMessage.objects.get(pk=slow_job["message_id"])
        attempt = QuizAttempt.objects.get(pk=slow_job["attempt_id"])
        certificates = Certificate.objects.filter(
            quiz_id=attempt.quiz_id, participant_key=attempt.participant_key
        ).count()
        from_slow_job = {
            "deliveries": message.attempts,
            "completed": message.completed_at is not None,
            "completed after s": round(message.completed_at.timestamp() - slow_job["injected"], 1)
            if message.completed_at
            else None,
            "certificates": certificates,
            "ok": message.completed_at is not None and message.attempts == 2 and certificates == 1,
        }
    pending = OutboxMessage.objects.filter(completed_at__isnull=True, failed_at__isnull=True)
    return {
        "pending after the run": pending.count(),
        "given up": OutboxMessage.objects.filter(~Q(failed_at=None)).count(),
        "drained within seconds": drained_within,
        "interrupted job": from_slow_job,
    }


def wait_for_outbox(timeout: float) -> float:
    """Seconds until no outbox message is pending (or `timeout`)."""
    from django.db import close_old_connections

    from outbox.models import OutboxMessage

    close_old_connections()
    started = time.monotonic()
    _wait(
        lambda: (
            not OutboxMessage.objects.filter(
                completed_at__isnull=True, failed_at__isnull=True
            ).exists()
        ),
        timeout,
        interval=2,
    )
    return round(time.monotonic() - started, 1)


# --- what the clients saw --------------------------------------------------------------------


def per_fault(faults: list[dict], requests: list, start: float, end: float) -> dict:
    """Adds to each fault what the clients saw from its injection until the next fault, and
    returns the same for the time before the first fault (the baseline)."""
    baseline = [r for r in requests if r[0] < faults[0]["injected"]]
    before = {
        "requests": len(baseline),
        "errors": dict(Counter(r[3] for r in baseline if r[3] != "ok")),
        "seconds": round(faults[0]["injected"] - start, 1),
    }
    bounds = [fault["injected"] for fault in faults[1:]] + [end]
    for fault, until in zip(faults, bounds, strict=True):
        window = [r for r in requests if fault["injected"] <= r[0] < until]
        errors = [r for r in window if r[3] != "ok"]
        fault["requests"] = len(window)
        fault["errors"] = dict(Counter(r[3] for r in errors))
        fault["errors_by_request"] = dict(Counter(f"{r[1]}: {r[3]}" for r in errors))
        fault["service_down_s"] = round(fault["back"] - fault["injected"], 1)
        recovered = _end_of_burst(fault, sorted(r[0] for r in errors))
        fault["requests_ok_again_after_s"] = round(recovered - fault["injected"], 1)
        fault["isolated_errors_later"] = sum(1 for r in errors if r[0] > recovered)
    return before


def _end_of_burst(fault: dict, error_times: list[float]) -> float:
    """When the fault's errors ended: the last failed request of the run of failures that
    begins at the injection, lasts at least until the service was back (plus a grace) and
    has no gap longer than BURST_GAP_SECONDS. A lone failure long after it (a keep-alive
    connection closed by the server as the client reused it, as happens without any fault)
    is counted apart."""
    last = fault["injected"]
    for moment in error_times:
        if moment > fault["back"] + BURST_GAP_SECONDS and moment - last > BURST_GAP_SECONDS:
            break
        last = moment
    return last


def _markdown(result: dict) -> str:
    lines = [
        f"# Fault run {result['started']}",
        "",
        f"Machine: {result['machine']}. Other load: {result['other_load']}.",
        f"Load: {result['users']} simulated phones ({result['classes']}) for "
        f"{result['seconds']} s, data scale {result['scale']}.",
        "",
        "| fault | at (s) | service back after (s) | requests OK again after (s) "
        "| requests in window | client errors | isolated errors later |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    before = result["before faults"]
    errors = ", ".join(f"{kind} ×{n}" for kind, n in sorted(before["errors"].items())) or "none"
    lines.append(
        f"| (none: the first {before['seconds']:.0f} s) | 0 | – | – | {before['requests']} "
        f"| {errors} | – |"
    )
    for fault in result["faults"]:
        errors = ", ".join(f"{kind} ×{n}" for kind, n in sorted(fault["errors"].items())) or "none"
        lines.append(
            f"| {fault['fault']} | {fault['at']:.0f} | {fault['service_down_s']} "
            f"| {fault['requests_ok_again_after_s']} | {fault['requests']} | {errors} "
            f"| {fault['isolated_errors_later']} |"
        )
    lines += ["", "| write | confirmed | lost | doubled / unexplained | in doubt | verdict |"]
    lines += ["| --- | --- | --- | --- | --- | --- |"]
    for name, row in result["database"].items():
        unexplained = (
            row.get("doubled", 0)
            + row.get("saved but never sent", 0)
            + row.get("in database but never asked for", 0)
            + row.get("in database but never confirmed", 0)
        )
        lines.append(
            f"| {name} | {row['confirmed']} | {row['lost']} | {unexplained} "
            f"| {row['in doubt']} | {'OK' if row['ok'] else 'FAIL'} |"
        )
    outbox = result["outbox"]
    lines += [
        "",
        f"Outbox: {outbox['pending after the run']} pending after the run (drained within "
        f"{outbox['drained within seconds']} s of the load's end), {outbox['given up']} given up. "
        f"Interrupted job: {json.dumps(outbox['interrupted job'], ensure_ascii=False)}.",
        f"Total client requests {result['requests']}, of which 500s: {result['server_errors']}.",
        f"Verdict: {'PASS' if result['pass'] else 'FAIL'}.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    import django

    parser = argparse.ArgumentParser(description="Break the stack under load; check the writes.")
    parser.add_argument("--host", required=True)
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--results", required=True, type=Path)
    parser.add_argument("--stem", required=True)
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--redis-port", required=True, type=int)
    parser.add_argument("--pg-bin", required=True)
    parser.add_argument("--gunicorn-pid", required=True, type=int)
    parser.add_argument("--celery-pid", required=True, type=int)
    parser.add_argument("--load-before", default="")
    parser.add_argument("--scale", default="")
    args = parser.parse_args(argv)
    django.setup()
    stack = Stack(args)
    load_before = [float(v) for v in args.load_before.split()[:3]] or list(os.getloadavg())

    try:
        return _run(args, stack, load_before)
    finally:
        stack.stop_started()


def _run(args, stack: Stack, load_before: list[float]) -> int:
    from bench.run import _machine

    seconds = int(os.environ.get("BENCH_FAULTS_SECONDS") or 240)
    redis_down = float(os.environ.get("BENCH_FAULT_REDIS_DOWN_SECONDS") or 15)
    quiz_users = int(os.environ.get("BENCH_FAULT_QUIZ_USERS") or 60)
    voters = int(os.environ.get("BENCH_FAULT_VOTERS") or 20)
    users = quiz_users + voters
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    record_path = args.out / "faults.record.json"
    since = datetime.now(UTC)
    t0 = _now()
    # Locust's weights decide the mix: 3 quiz takers per voter (locust_faults.py).
    env = {
        **os.environ,
        "BENCH_MANIFEST": str(args.manifest),
        "BENCH_FAULT_RECORD": str(record_path),
    }
    print(
        f"==> faults: {users} phones for {seconds} s, faults at "
        + ", ".join(f"{at} s ({name})" for at, name, _fault in TIMELINE)
    )
    with open(args.out / "faults.locust.log", "w", encoding="utf-8") as log:
        locust = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--only-summary",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(1.0, users / 20)),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "180",
                "--host",
                args.host,
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
                "--csv",
                str(args.out / "faults"),
                "FaultQuizTaker",
                "FaultVoter",
            ],
            env=env,
            stdout=log,
            stderr=log,
        )
        faults = []
        for at, name, inject in TIMELINE:
            time.sleep(max(0.0, t0 + at - _now()))
            print(f"    {at:>4} s: {name}", flush=True)
            fault = {"fault": name, "at": round(_now() - t0, 1), **inject(stack, redis_down)}
            print(f"          back after {fault['back'] - fault['injected']:.1f} s", flush=True)
            faults.append(fault)
        locust.wait()
    end = _now()
    print("==> waiting for the outbox to drain")
    drained = wait_for_outbox(240)

    record = json.loads(record_path.read_text(encoding="utf-8"))
    requests = record["requests"]
    before = per_fault(faults, requests, t0, end)
    slow_job = next((f.get("slow_job") for f in faults if f.get("slow_job")), None)
    database = check_database(record["writes"], since, manifest)
    outbox = check_outbox(slow_job, drained)
    server_errors = sum(1 for r in requests if r[2] == 500)
    outbox_ok = (
        outbox["pending after the run"] == 0
        and outbox["given up"] == 0
        and (outbox["interrupted job"] or {}).get("ok", False)
    )
    result = {
        "started": args.stem,
        "machine": _machine(),
        "load_before": load_before,
        "other_load": f"1-minute load average {load_before[0]} before the start",
        "users": users,
        "classes": f"{quiz_users} quiz takers and {voters} voters by weight",
        "seconds": seconds,
        "scale": args.scale,
        "requests": len(requests),
        "server_errors": server_errors,
        "before faults": before,
        "faults": faults,
        "database": database,
        "outbox": outbox,
    }
    result["pass"] = (
        all(row["ok"] for row in database.values()) and outbox_ok and server_errors == 0
    )
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{args.stem}-faults.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    report = _markdown(result)
    (args.results / f"{args.stem}-faults.md").write_text(report, encoding="utf-8")
    print(report)
    return 0 if result["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
