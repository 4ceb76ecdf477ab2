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
| BENCH_MIXED_USERS | 150,300,450,600 (30,60 with --quick) | the mixed campaign's levels |
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
from pathlib import Path

from . import report

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
}
# The mixed campaign runs at several levels of phones (BENCH_MIXED_USERS), each measured on
# its own: the report finds the most this machine sustains with p99 < 500 ms and what search
# answers at that load, besides what happens beyond it. Readers are phones there too.
MIXED_USERS = "150,300,450,600"
MIXED_USERS_QUICK = "30,60"
SCENARIO_ENV = {"mixed": {"BENCH_READER_THINK": "1"}}


def _locust(classes, users, warmup, seconds, host, env, prefix: Path, log: Path) -> None:
    """One locust run: users arrive evenly over the warm-up (phones do not all tap at the same
    instant), statistics restart once all are running, then `seconds` are measured."""
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
        "--reset-stats",
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
    # The database check covers the whole run (warm-up included): every write locust saw
    # accepted against how the tables grew.
    before = table_counts()
    load = os.getloadavg()
    print(f"==> {label}: {users} users arriving over {warmup} s, then {seconds} s measured")
    _locust(classes, users, warmup, seconds, host, env, out / label, log)
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
    print("    next accounts: " + " ".join(f"{k}={v}" for k, v in OFFSETS.items()))
    return summary, checks


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
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
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
    }
    mixed_users = os.environ.get("BENCH_MIXED_USERS") or (
        MIXED_USERS_QUICK if args.quick else MIXED_USERS
    )
    mixed_seconds = int(os.environ.get("BENCH_MIXED_SECONDS") or (5 if args.quick else 45))
    for name in args.scenarios.split(","):
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
    result["targets"] = report.evaluate_targets(result["scenarios"])
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
