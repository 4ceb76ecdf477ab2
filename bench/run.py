"""Runs the scenarios against a running server and writes the report (called by scripts/bench).

For each scenario: a short warm-up run (not recorded), the table counts, the measured run
(locust, headless, bounded in time), the table counts again, and the comparison of the
growth with what the load generator saw accepted. Settings come from the environment, like
the server's, so the counts are read from the same database.

| variable | default | meaning |
| --- | --- | --- |
| BENCH_SECONDS | 75 (5 with --quick) | measured seconds per scenario |
| BENCH_WARMUP_SECONDS | 10 (2 with --quick) | warm-up seconds per scenario, not recorded |
| BENCH_USERS_<SCENARIO> | see SCENARIOS | simulated users, e.g. BENCH_USERS_QUIZ=200 |
| BENCH_THINK_SECONDS | 1.0 | average pause of a phone user between two requests |
| BENCH_MIXED_THINK_SECONDS | 0.25 | the same in the mixed campaign |
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import time
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
}
# In the campaign readers are phones too, and everyone taps faster (BENCH_MIXED_THINK_SECONDS,
# default 0.25 s): 300 users then offer more than this machine carries, so the campaign
# shows the most it sustains rather than what 300 leisurely phones ask for.
SCENARIO_ENV = {
    "mixed": {
        "BENCH_READER_THINK": "1",
        "BENCH_THINK_SECONDS": os.environ.get("BENCH_MIXED_THINK_SECONDS", "0.25"),
    }
}


def _locust(classes, users, seconds, host, env, prefix: Path | None, log: Path) -> None:
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
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--host",
        host,
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    if prefix is not None:
        command += ["--csv", str(prefix)]
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
OFFSETS = {"BENCH_QUIZ_OFFSET": 0, "BENCH_VOTER_OFFSET": 0}


def _advance_offsets(counts_file: Path) -> dict:
    counts = json.loads(counts_file.read_text()) if counts_file.exists() else {}
    OFFSETS.update(counts.get("offsets", {}))
    return counts


def run_scenario(name: str, *, host: str, manifest: Path, out: Path, seconds: int, warmup: int):
    from bench.seed import table_counts

    classes, default_users = SCENARIOS[name]
    users = int(os.environ.get(f"BENCH_USERS_{name.upper()}") or default_users)
    counts_file = out / f"{name}.counts.json"
    log = out / f"{name}.locust.log"
    env = {**os.environ, **SCENARIO_ENV.get(name, {}), "BENCH_MANIFEST": str(manifest)}
    if warmup:
        print(f"==> {name}: warm-up {warmup} s")
        warmup_file = out / f"{name}.warmup.json"
        warm_env = {
            **env,
            **{k: str(v) for k, v in OFFSETS.items()},
            "BENCH_COUNTS": str(warmup_file),
        }
        _locust(classes, users, warmup, host, warm_env, None, log)
        _advance_offsets(warmup_file)
    env = {**env, **{k: str(v) for k, v in OFFSETS.items()}, "BENCH_COUNTS": str(counts_file)}
    before = table_counts()
    load = os.getloadavg()
    print(f"==> {name}: {users} users for {seconds} s")
    started = time.monotonic()
    _locust(classes, users, seconds, host, env, out / name, log)
    elapsed = min(time.monotonic() - started, float(seconds))
    after = table_counts()
    counts = _advance_offsets(counts_file)
    stats_file = out / f"{name}_stats.csv"
    if not stats_file.exists():
        raise SystemExit(f"locust wrote no statistics for {name}: see {log.name}")
    stats = report.parse_stats(stats_file)
    summary = report.scenario_summary(name, stats, counts, elapsed, users)
    summary["errors"] = _failures(out / f"{name}_failures.csv")
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
    warmup = int(os.environ.get("BENCH_WARMUP_SECONDS") or (2 if args.quick else 10))
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
    for name in args.scenarios.split(","):
        summary, checks = run_scenario(
            name,
            host=args.host,
            manifest=args.manifest,
            out=args.out,
            seconds=seconds,
            warmup=warmup,
        )
        result["scenarios"][name] = summary
        result["checks"][name] = checks
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
