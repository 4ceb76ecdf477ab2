"""Runs the scenarios against a running server and writes the report (called by scripts/bench).

For each scenario: the table counts, one locust run (headless, bounded in time: the users
arrive evenly over the warm-up, statistics restart once all of them run, then the measured
seconds), the table counts again, and the comparison of the growth with what the load
generator saw accepted. The mixed campaign runs once per level of users. Settings come from
the environment, like the server's, so the counts are read from the same database.

| variable | default | meaning |
| --- | --- | --- |
| BENCH_SECONDS | 75 (5 with --quick) | measured seconds per scenario |
| BENCH_WARMUP_SECONDS | 20 (2 with --quick) | seconds over which the users arrive, not recorded |
| BENCH_USERS_<SCENARIO> | see SCENARIOS | simulated users, e.g. BENCH_USERS_QUIZ=200 |
| BENCH_MIXED_USERS | 300,600,900,1200 (30,60 with --quick) | the mixed campaign's levels |
| BENCH_USERS_SPIKE | 1000 (50 with --quick) | phones tapping start within the same 10 s |
| BENCH_MIXED_SECONDS | 45 (5 with --quick) | measured seconds per level of the campaign |
| BENCH_THINK_SECONDS | 1.0 | average pause of a phone user between two requests |
| BENCH_QUIZ_OFFSET | 0 | first seeded quiz account to use (for runs against one `--serve`) |
| BENCH_VOTER_OFFSET | 0 | first seeded voter account to use (the same) |
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import cpu, report

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "bench" / "locustfile.py"

# name: (locust user classes, default simulated users). Ceiling and reader loop without
# pauses (their requests per second are compared); the others are phones with pauses.
SCENARIOS = {
    "ceiling": (["CeilingUser"], 32),
    "reader": (["ReaderUser"], 32),
    "quiz": (["QuizTaker"], 200),
    "voter": (["VoterUser"], 50),
    "searcher": (["SearcherUser"], 50),
    "mixed": (["QuizTaker", "ReaderUser", "VoterUser", "SearcherUser"], 300),
    "bookdrift": (["DriftReader"], 30),
    "spike": (["SpikeTaker"], 1000),
}
# The mixed campaign runs at several levels of phones (BENCH_MIXED_USERS), each measured on
# its own: the report finds the most this machine sustains with p99 < 500 ms and what search
# answers at that load, besides what happens beyond it. Readers are phones there too.
MIXED_USERS = "300,600,900,1200"
MIXED_USERS_QUICK = "30,60"
SCENARIO_ENV = {"mixed": {"BENCH_READER_THINK": "1"}}
# The synchronised start: the phones open the quiz page as they arrive (over SPIKE_ARRIVAL
# seconds), all tap start within SPIKE_SECONDS of one moment, take the quiz once, and the run
# ends when they are done. Every request is measured (no warm-up is left out).
SPIKE_ARRIVAL = 10
SPIKE_SECONDS = 10
SPIKE_TAIL = 40


def _locust(
    classes, users, warmup, seconds, host, env, prefix: Path, log: Path, *, reset: bool = True
) -> None:
    """One locust run: users arrive evenly over the warm-up (phones do not all tap at the same
    instant), statistics restart once all are running (unless not `reset`), then `seconds`
    are measured."""
    command = [
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
        str(max(1.0, users / max(warmup, 1))),
        *(["--reset-stats"] if reset else []),
        "--run-time",
        f"{warmup + seconds}s",
        "--stop-timeout",
        "30",
        "--host",
        host,
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
        "--csv",
        str(prefix),
    ]
    with open(log, "a", encoding="utf-8") as handle:
        subprocess.run(  # noqa: S603 (our own fixed command line)
            [*command, *classes], env=env, stdout=handle, stderr=handle, check=False
        )


def _failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [
            f"{row['Method']} {row['Name']}: {row['Error']} ×{row['Occurrences']}"
            for row in csv.DictReader(handle)
        ]


# Where the next run starts in the lists of seeded accounts (see bench/locustfile.py).
# Where the next run takes its seeded accounts from; set them when running again against one
# `scripts/bench --serve` instance (the last run prints where it stopped).
OFFSETS = {
    name: int(os.environ.get(name) or 0)
    for name in ("BENCH_QUIZ_OFFSET", "BENCH_VOTER_OFFSET", "BENCH_DRIFT_OFFSET")
}


def _advance_offsets(counts_file: Path) -> dict:
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    OFFSETS.update(counts.get("offsets", {}))
    return counts


def _wait_for_item_counts(limit: float = 90.0) -> None:
    """Has the worker add the submitted attempts to the item counters and waits for it.

    The attempts' outbox messages become due a few seconds after their submit; the relay
    (celery beat in production, not started here) hands them to the worker, so this does
    the relay's part every second until no finished attempt waits, or `limit` seconds pass
    (the database check then shows it).
    """
    from competitions.quizzes.models import QuizAttempt
    from outbox import services as outbox

    deadline = time.monotonic() + limit
    while QuizAttempt.objects.filter(items_pending=True).exists():
        if time.monotonic() > deadline:
            print("    the item counters still wait for attempts: the check will show it")
            return
        outbox.relay()
        time.sleep(1)


def run_scenario(
    name: str,
    *,
    host: str,
    manifest: Path,
    out: Path,
    seconds: int,
    warmup: int,
    users: int | None = None,
):
    from bench.seed import table_counts

    classes, default_users = SCENARIOS[name]
    users = users or int(os.environ.get(f"BENCH_USERS_{name.upper()}") or default_users)
    label = name if name != "mixed" else f"mixed@{users}"
    counts_file = out / f"{label}.counts.json"
    log = out / f"{label}.locust.log"
    env = {
        **os.environ,
        **SCENARIO_ENV.get(name, {}),
        **{k: str(v) for k, v in OFFSETS.items()},
        "BENCH_MANIFEST": str(manifest),
        "BENCH_COUNTS": str(counts_file),
    }
    spike = name == "spike"
    if spike:
        # Arrive over SPIKE_ARRIVAL s, tap start within SPIKE_SECONDS of the moment after it.
        warmup, seconds = SPIKE_ARRIVAL, SPIKE_ARRIVAL + SPIKE_SECONDS + SPIKE_TAIL
        env["BENCH_SPIKE_AT"] = str(time.time() + SPIKE_ARRIVAL + 5)
        env["BENCH_SPIKE_SECONDS"] = str(SPIKE_SECONDS)
    # The database check covers the whole run (warm-up included): every write locust saw
    # accepted against how the tables grew. So does the CPU the server's processes used.
    before = table_counts()
    load = os.getloadavg()
    print(f"==> {label}: {users} users arriving over {warmup} s, then {seconds} s measured")
    pids = cpu.service_pids()
    cpu_before, started = cpu.sample(pids), time.monotonic()
    # A second sample when the users have arrived and locust restarts its statistics (about
    # the warm-up plus locust's start-up), so CPU is also known for the measured window.
    at_reset: dict[str, float] = {}
    timer = threading.Timer(warmup + 1.5, lambda: at_reset.update(cpu.sample(pids)))
    timer.start()
    _locust(classes, users, warmup, seconds, host, env, out / label, log, reset=not spike)
    timer.cancel()
    # The worker adds submitted attempts to the item counters through the outbox: wait for
    # it (inside the CPU window, so PostgreSQL's share of that work is counted).
    _wait_for_item_counts()
    cpu_after = cpu.sample(pids)
    spent = cpu.used(cpu_before, cpu_after)
    wall = time.monotonic() - started
    after = table_counts()
    counts = _advance_offsets(counts_file)
    elapsed = min(float(counts.get("measured", {}).get("seconds") or seconds), float(seconds))
    stats_file = out / f"{label}_stats.csv"
    if not stats_file.exists():
        raise SystemExit(f"locust wrote no statistics for {label}: see {log.name}")
    stats = report.parse_stats(stats_file)
    summary = report.scenario_summary(name, stats, counts, elapsed, users)
    summary["errors"] = _failures(out / f"{label}_failures.csv")
    if name == "bookdrift":
        from bench.bookdrift import render_time

        summary["render"] = render_time(json.loads(manifest.read_text())["bookdrift"]["long_code"])
    summary["load_before"] = [round(value, 2) for value in load]
    summary["load_after"] = [round(value, 2) for value in os.getloadavg()]
    whole_run = int(counts.get("accepted", {}).get("attempts_completed", 0))
    summary["cpu"] = {
        "seconds": spent,
        "wall_seconds": round(wall, 1),
        "attempts": whole_run,
        "per_attempt_ms": cpu.per_attempt_ms(spent, whole_run),
    }
    if at_reset and not spike:
        measured = cpu.used(at_reset, cpu_after)
        summary["cpu"].update(
            window="measured",
            seconds=measured,
            wall_seconds=round(elapsed, 1),
            attempts=summary["attempts_completed"],
            per_attempt_ms=cpu.per_attempt_ms(measured, summary["attempts_completed"]),
        )
    server = sum(summary["cpu"]["seconds"].get(name, 0.0) for name in cpu.SERVER)
    requests = summary["requests"] if summary["cpu"].get("window") else None
    summary["cpu"]["per_request_ms"] = round(1000 * server / requests, 2) if requests else None
    checks = report.consistency(counts.get("accepted", {}), before, after)
    for row in checks:
        verdict = "OK" if row["ok"] else "MISMATCH"
        print(
            f"    check {row['check']}: accepted {row['accepted']}, "
            f"database +{row['database']} (in doubt {row['in_doubt']}): {verdict}"
        )
    print(
        f"    {summary['rps']} rps, p50 {summary['p50']} / p95 {summary['p95']} / "
        f"p99 {summary['p99']} ms, {summary['failures']} errors, "
        f"{summary['attempts_per_minute']} attempts/min"
    )
    per_attempt = summary["cpu"]["per_attempt_ms"]
    if per_attempt:
        print(
            f"    server CPU per complete attempt: {per_attempt['server']} ms "
            + ", ".join(f"{k} {v}" for k, v in per_attempt.items() if k != "server")
        )
    print("    next accounts: " + " ".join(f"{k}={v}" for k, v in OFFSETS.items()))
    return summary, checks


def _top() -> str:
    """What else ran: the busiest processes (top, one batch iteration)."""
    try:
        result = subprocess.run(
            ["top", "-b", "-n", "1", "-w", "160"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return "\n".join(result.stdout.splitlines()[:22])


def _machine() -> str:
    """Cores, CPU model, memory and kernel, as /proc tells them."""
    model, memory = "", ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next(
                (line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")),
                "",
            )
        with open("/proc/meminfo", encoding="utf-8") as handle:
            kib = int(handle.readline().split()[1])
            memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{os.cpu_count()} cores {model}{memory}, {os.uname().machine}, Linux {os.uname().release}"
    )


def main(argv=None) -> int:
    import django

    parser = argparse.ArgumentParser(description="Run the kepu benchmark scenarios.")
    parser.add_argument("--host", required=True)
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="directory for raw results")
    parser.add_argument("--results", required=True, type=Path, help="bench/results")
    parser.add_argument("--stem", required=True, help="report file name (a timestamp)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scenarios", default=",".join([*SCENARIOS, "profile"]))
    parser.add_argument("--server", default="", help="how the server was started")
    parser.add_argument("--search", default="", help="which search implementation served")
    parser.add_argument("--load-before", default="", help="/proc/loadavg before the bench began")
    args = parser.parse_args(argv)
    django.setup()
    seconds = int(os.environ.get("BENCH_SECONDS") or (5 if args.quick else 75))
    warmup = int(os.environ.get("BENCH_WARMUP_SECONDS") or (2 if args.quick else 20))
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    args.out.mkdir(parents=True, exist_ok=True)
    load_before = [float(v) for v in args.load_before.split()[:3]] or list(os.getloadavg())
    top_before = _top()
    result = {
        "started": args.stem,
        "quick": args.quick,
        "machine": _machine(),
        "server": args.server,
        "search": args.search,
        "load_before": load_before,
        # Measured before the benchmark started anything: whatever ran then was someone else's.
        "other_load": f"yes (1-minute load average {load_before[0]} before the start)"
        if load_before[0] > 0.5
        else "no (1-minute load average ≤ 0.5 before the start)",
        "seed": {
            "timings": manifest["timings"],
            "counts": manifest["counts"],
            "tree_problems": manifest["tree_problems"],
        },
        "scenarios": {},
        "checks": {},
        "top_before": top_before,
        "services": sorted(cpu.service_pids()),
    }
    mixed_users = os.environ.get("BENCH_MIXED_USERS") or (
        MIXED_USERS_QUICK if args.quick else MIXED_USERS
    )
    mixed_seconds = int(os.environ.get("BENCH_MIXED_SECONDS") or (5 if args.quick else 45))
    for name in args.scenarios.split(","):
        if name == "profile":
            from . import profile_attempt

            print("==> profile: complete attempts in-process, by component")
            result["profile"] = profile_attempt.run(
                manifest, attempts=5 if args.quick else 30, warmup=2 if args.quick else 5
            )
            result["profile"]["statistics"] = profile_attempt.statistics_timing(manifest)
            print(f"    statistics page: {result['profile']['statistics']}")
            continue
        if name == "spike" and args.quick and not os.environ.get("BENCH_USERS_SPIKE"):
            os.environ["BENCH_USERS_SPIKE"] = "50"
        levels = [int(n) for n in mixed_users.split(",")] if name == "mixed" else [None]
        for users in levels:
            summary, checks = run_scenario(
                name,
                host=args.host,
                manifest=args.manifest,
                out=args.out,
                seconds=mixed_seconds if users else seconds,
                warmup=warmup,
                users=users,
            )
            label = f"mixed@{users}" if users else name
            result["scenarios"][label] = summary
            result["checks"][label] = checks
    result["top_after"] = _top()
    result["load_after"] = list(os.getloadavg())
    result["targets"] = report.evaluate_targets(result["scenarios"], result.get("profile"))
    md_path, json_path = report.write(result, args.results, args.stem)
    print(f"==> report: {md_path} and {json_path}")
    for target in result["targets"]:
        print(
            f"    {'PASS' if target['pass'] else 'FAIL'}: {target['target']}: {target['measured']}"
        )
    lost = [row for rows in result["checks"].values() for row in rows if not row["ok"]]
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
