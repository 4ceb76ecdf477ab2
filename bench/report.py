"""The benchmark report: locust's statistics, the database check and the targets.

Plain functions over plain data (dicts loaded from locust's CSV and the runner's JSON), so
the checks can be tested without running a benchmark.
"""

import csv
import json
from pathlib import Path

from . import bookdrift

# What the load generator counts as accepted, and the table counts (bench.seed.table_counts)
# whose growth must match it exactly: nothing lost, nothing doubled.
CHECKS = [
    (
        "quiz attempts started",
        ("attempts_started",),
        ("finished_attempts", "open_attempts"),
    ),
    ("quiz attempts submitted", ("attempts_submitted",), ("finished_attempts",)),
    ("answer batches (saves + submits carrying answers)", ("answer_batches",), ("answer_batches",)),
    ("answers in submitted attempts", ("answers_submitted",), ("answered_in_finished",)),
    (
        "questions counted by the item analysis",
        ("answers_submitted",),
        ("item_counter_drawn",),
    ),
    ("votes", ("votes_created",), ("votes",)),
    *bookdrift.CHECKS,
]

TARGETS = {
    "quiz_p95_ms": 150,
    "quiz_users": 200,
    "mixed_attempts_per_second": 60,
    "mixed_p99_ms": 500,
    "reader_fraction_of_ceiling": 0.5,
    "search_p95_ms": 80,
    "spike_users": 1000,
    "spike_p99_ms": 1000,
    "server_cpu_ms_per_attempt": 25,
    "statistics_seconds": 1.0,
    "statistics_attempts": 200_000,
}


def parse_stats(path: Path) -> dict[str, dict]:
    """Locust's `<prefix>_stats.csv` as {request name: figures}; "Aggregated" is the total."""
    rows = {}
    with open(path, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "type": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": _number(row["50%"]),
                "p95": _number(row["95%"]),
                "p99": _number(row["99%"]),
                "max": _number(row["Max Response Time"]),
            }
    return rows


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def consistency(accepted: dict, before: dict, after: dict) -> list[dict]:
    """Compares what the load generator saw accepted with how the tables grew.

    A check passes when the growth equals the accepted count exactly. Writes whose answer
    never arrived (`writes_in_doubt`: the connection failed) may or may not have happened;
    when there are any, a growth within [accepted, accepted + in doubt] passes and says so.
    """
    in_doubt = int(accepted.get("writes_in_doubt", 0))
    results = []
    for label, accepted_keys, table_keys in CHECKS:
        if any(key not in before or key not in after for key in table_keys):
            continue  # a table this run did not count
        expected = sum(int(accepted.get(key, 0)) for key in accepted_keys)
        growth = sum(int(after[key]) - int(before[key]) for key in table_keys)
        ok = expected <= growth <= expected + in_doubt if in_doubt else growth == expected
        results.append(
            {
                "check": label,
                "accepted": expected,
                "database": growth,
                "in_doubt": in_doubt,
                "ok": ok,
            }
        )
    return results


def scenario_summary(name: str, stats: dict, counts: dict, seconds: float, users: int) -> dict:
    """One scenario's figures: totals, per request type, complete attempts per minute."""
    total = stats.get("Aggregated", {"requests": 0, "failures": 0, "rps": 0.0})
    accepted = counts.get("accepted", {})
    flows = sorted(counts.get("flow_ms", []))
    # Attempts completed while measuring (after every user arrived), not during the warm-up.
    completed = int(counts.get("measured", {}).get("attempts_completed", 0))
    return {
        "scenario": name,
        "users": users,
        "seconds": round(seconds, 1),
        "requests": total["requests"],
        "failures": total["failures"],
        "rps": round(total["rps"], 1),
        "p50": total.get("p50"),
        "p95": total.get("p95"),
        "p99": total.get("p99"),
        "attempts_completed": completed,
        "attempts_per_minute": round(completed * 60 / seconds, 1) if seconds else 0.0,
        "attempt_median_ms": flows[len(flows) // 2] if flows else None,
        "per_request": {key: value for key, value in stats.items() if key != "Aggregated"},
        "accepted": accepted,
    }


def mixed_levels(scenarios: dict[str, dict]) -> list[dict]:
    """The mixed campaign's runs (one per level of simulated phones), lightest first."""
    levels = [row for row in scenarios.values() if row.get("scenario") == "mixed"]
    return sorted(levels, key=lambda row: row["users"])


def _attempts_per_second(row: dict) -> float:
    return row["attempts_completed"] / row["seconds"] if row["seconds"] else 0.0


def _passes(value, limit, *, below: bool) -> bool | None:
    if value is None:
        return None
    return value < limit if below else value >= limit


def evaluate_targets(scenarios: dict[str, dict], profile: dict | None = None) -> list[dict]:
    """The issue's targets, each with the measured value and pass/fail (None: not measured)."""
    results = []
    stats = (profile or {}).get("statistics")
    if stats:
        results.append(
            {
                "target": f"statistics page < {TARGETS['statistics_seconds']} s at "
                f"{TARGETS['statistics_attempts']:,} attempts",
                "measured": f"{stats['page_seconds']} s at {stats['finished_attempts']:,} "
                "finished attempts (from cold)",
                "pass": stats["page_seconds"] < TARGETS["statistics_seconds"]
                and stats["finished_attempts"] >= TARGETS["statistics_attempts"],
            }
        )
    ceiling = scenarios.get("ceiling", {}).get("rps") or 0
    quiz = scenarios.get("quiz")
    if quiz:
        ok = _passes(quiz["p95"], TARGETS["quiz_p95_ms"], below=True)
        enough_users = quiz["users"] >= TARGETS["quiz_users"]
        results.append(
            {
                "target": f"quiz taker p95 < {TARGETS['quiz_p95_ms']} ms with "
                f"{TARGETS['quiz_users']} users, 0 errors",
                "measured": f"p95 {quiz['p95']} ms, {quiz['users']} users, "
                f"{quiz['failures']} errors",
                "pass": bool(ok and enough_users and quiz["failures"] == 0),
            }
        )
    levels = mixed_levels(scenarios)
    sustained = [
        level for level in levels if _passes(level["p99"], TARGETS["mixed_p99_ms"], below=True)
    ]
    if levels:
        best = max(sustained, key=_attempts_per_second, default=None)
        busiest = max(levels, key=lambda level: level["users"])
        measured = (
            f"{_attempts_per_second(best):.2f} attempts/s with p99 {best['p99']} ms at "
            f"{best['users']} users (the most sustained with p99 < {TARGETS['mixed_p99_ms']} ms)"
            if best
            else f"no level kept p99 < {TARGETS['mixed_p99_ms']} ms"
        )
        if busiest is not best:
            measured += (
                f"; {busiest['users']} users: {_attempts_per_second(busiest):.2f} attempts/s, "
                f"p99 {busiest['p99']} ms"
            )
        results.append(
            {
                "target": f"mixed campaign ≥ {TARGETS['mixed_attempts_per_second']} complete "
                f"attempts/s with p99 < {TARGETS['mixed_p99_ms']} ms",
                "measured": measured,
                "pass": any(
                    _attempts_per_second(level) >= TARGETS["mixed_attempts_per_second"]
                    for level in sustained
                ),
            }
        )
    spike = scenarios.get("spike")
    if spike:
        starts = spike["per_request"].get("quiz start", {})
        results.append(
            {
                "target": f"synchronised start of {TARGETS['spike_users']} phones within 10 s: "
                f"p99 < {TARGETS['spike_p99_ms']} ms, 0 errors",
                "measured": f"{spike['users']} phones, start p99 {starts.get('p99')} ms "
                f"(all requests p99 {spike['p99']} ms), {spike['failures']} errors",
                "pass": bool(
                    spike["users"] >= TARGETS["spike_users"]
                    and spike["failures"] == 0
                    and _passes(spike["p99"], TARGETS["spike_p99_ms"], below=True)
                ),
            }
        )
    cpu_run = quiz or (levels[0] if levels else None)
    per_attempt = (cpu_run or {}).get("cpu", {}).get("per_attempt_ms") if cpu_run else None
    if per_attempt:
        limit = TARGETS["server_cpu_ms_per_attempt"]
        results.append(
            {
                "target": f"≤ {limit} ms server CPU (gunicorn + PostgreSQL + Redis) per "
                "complete attempt",
                "measured": f"{per_attempt['server']} ms ({cpu_run['scenario']}, "
                f"{cpu_run['users']} users; "
                + ", ".join(
                    f"{name} {value}" for name, value in per_attempt.items() if name != "server"
                )
                + ")",
                "pass": per_attempt["server"] <= limit,
            }
        )
    reader = scenarios.get("reader")
    if reader and ceiling:
        fraction = reader["rps"] / ceiling
        results.append(
            {
                "target": "reader ≥ 50% of the ceiling's requests per second",
                "measured": f"{reader['rps']} rps = {fraction:.0%} of {ceiling} rps",
                "pass": fraction >= TARGETS["reader_fraction_of_ceiling"],
            }
        )
    # "Under load": judged on the busiest mixed level this machine sustains (p99 < 500 ms; the
    # lightest level if none does), else on the searcher scenario alone.
    campaign = [level for level in (sustained or levels[:1]) if "search" in level["per_request"]]
    search_run = (
        max(campaign, key=lambda level: level["users"]) if campaign else scenarios.get("searcher")
    )
    if search_run:
        rows = {
            name: row
            for name, row in search_run["per_request"].items()
            if name in ("search", "search suggest")
        }
        worst = max((row["p95"] or 0 for row in rows.values()), default=None)
        failures = sum(row["failures"] for row in rows.values())
        results.append(
            {
                "target": f"search p95 < {TARGETS['search_p95_ms']} ms under load",
                "measured": f"p95 {worst} ms ({search_run['scenario']}, "
                f"{search_run['users']} users; "
                + ", ".join(f"{name} p95 {row['p95']} ms" for name, row in sorted(rows.items()))
                + f"; {failures} errors)",
                "pass": bool(
                    rows and failures == 0 and _passes(worst, TARGETS["search_p95_ms"], below=True)
                ),
            }
        )
    results += bookdrift.targets(scenarios)
    return results


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render_markdown(report: dict) -> str:
    """The human-readable report (the same data as the JSON)."""
    lines = [
        f"# kepu benchmark {report['started']}",
        "",
        f"Machine: {report['machine']}. Server: {report['server']}.",
        f"Load before the run (1/5/15 min): {report['load_before']}; "
        f"other load present: {report['other_load']}.",
        f"Search: {report.get('search', 'unknown')}.",
        "",
        "## Seeding",
        "",
        "| step | seconds |",
        "| --- | --- |",
        *[f"| {step} | {seconds} |" for step, seconds in report["seed"]["timings"].items()],
        "",
        f"Rows: {report['seed']['counts']}. Page tree problems: "
        f"{report['seed']['tree_problems'] or 'none'}.",
        "",
        "## Targets",
        "",
        "| target | measured | result |",
        "| --- | --- | --- |",
    ]
    for target in report["targets"]:
        verdict = "PASS" if target["pass"] else "FAIL"
        lines.append(f"| {target['target']} | {target['measured']} | **{verdict}** |")
    for key, title in (("top_before", "before the run"), ("top_after", "after the run")):
        if report.get(key):
            lines += ["", f"What ran {title} (top):", "", "```", report[key], "```"]
    ceiling = report["scenarios"].get("ceiling", {}).get("rps") or 0
    lines += [
        "",
        "## Scenarios",
        "",
        "| scenario | users | s | requests | errors | rps | of ceiling | p50 | p95 | p99 "
        "| attempts/min |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, s in report["scenarios"].items():
        fraction = f"{s['rps'] / ceiling:.0%}" if ceiling else "–"
        lines.append(
            f"| {name} | {s['users']} | {s['seconds']} | {s['requests']} | {s['failures']} "
            f"| {s['rps']} | {fraction} | {_cell(s['p50'])} | {_cell(s['p95'])} "
            f"| {_cell(s['p99'])} | {s['attempts_per_minute']} |"
        )
    cpu_rows = [
        (name, row["cpu"])
        for name, row in report["scenarios"].items()
        if row.get("cpu", {}).get("per_attempt_ms")
    ]
    if cpu_rows:
        services = sorted({key for _n, c in cpu_rows for key in c["per_attempt_ms"]} - {"server"})
        lines += [
            "",
            "## Server CPU per complete attempt (from /proc)",
            "",
            "| scenario | attempts | **server ms / attempt** | "
            + " | ".join(f"{name} ms" for name in services)
            + " | cores busy (server) | server ms / request |",
            "| --- | --- | --- | " + " | ".join("---" for _ in services) + " | --- | --- |",
        ]
        for name, c in cpu_rows:
            figures = c["per_attempt_ms"]
            busy = sum(c["seconds"].get(n, 0) for n in ("gunicorn", "postgresql", "redis"))
            lines.append(
                f"| {name} | {c['attempts']} | **{figures['server']}** | "
                + " | ".join(_cell(figures.get(service)) for service in services)
                + f" | {busy / c['wall_seconds']:.2f} | {_cell(c.get('per_request_ms'))} |"
            )
        lines.append(
            "\nServer = gunicorn (master and workers) + PostgreSQL (all its processes) + "
            "Redis, over the measured window (the whole run for the synchronised start); "
            "the load generator and Celery are shown apart. In the mixed campaign the "
            "readers', voters' and searchers' requests are in it too."
        )
    lines += _profile(report.get("profile"))
    lines += _comparison(report)
    for name, s in report["scenarios"].items():
        lines += [
            "",
            f"### {name}",
            "",
            "| request | requests | errors | rps | of ceiling | p50 | p95 | p99 |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for request, row in sorted(s["per_request"].items()):
            fraction = f"{row['rps'] / ceiling:.0%}" if ceiling else "–"
            lines.append(
                f"| {request} | {row['requests']} | {row['failures']} | {row['rps']:g} "
                f"| {fraction} | {_cell(row['p50'])} | {_cell(row['p95'])} | {_cell(row['p99'])} |"
            )
        if s["attempts_completed"]:
            lines.append(
                f"\nComplete quiz attempts: {s['attempts_completed']} "
                f"({s['attempts_per_minute']}/min; median {s['attempt_median_ms']} ms each, "
                "think time included)."
            )
        empty = s.get("accepted", {}).get("searches_without_content_result")
        if empty:
            lines.append(f"\nSearches whose results had no article or video: {empty}.")
        check = report["checks"].get(name, [])
        if check:
            lines += ["", "| database check | accepted | database | in doubt | result |"]
            lines.append("| --- | --- | --- | --- | --- |")
            for row in check:
                lines.append(
                    f"| {row['check']} | {row['accepted']} | {row['database']} "
                    f"| {row['in_doubt']} | {'OK' if row['ok'] else '**MISMATCH**'} |"
                )
        if s.get("errors"):
            lines += ["", "Errors:", "", *[f"- {error}" for error in s["errors"]]]
    lines.append("")
    return "\n".join(lines)


REST = "Django request handling, middleware, routing, views and services (the rest)"


def _profile(profile: dict | None) -> list[str]:
    """Where one complete attempt's milliseconds go (bench/profile_attempt.py)."""
    if not profile:
        return []
    lines = [
        "",
        "## Where an attempt's milliseconds go (in-process profile)",
        "",
        f"{profile['attempts']} complete attempts one after another, "
        f"{profile['requests_per_attempt']:g} requests and "
        f"{profile['statements_per_attempt']:g} SQL statements each (health checks not "
        "included); ms per attempt.",
        "",
        "| component | CPU ms | wall ms |",
        "| --- | --- | --- |",
    ]
    for name, figures in sorted(
        profile["components"].items(), key=lambda item: -item[1].get("cpu_ms", 0)
    ):
        label = (
            "the rest: test client, Django's handler, the quiz's own views and services"
            if name == "request"
            else name
        )
        lines.append(
            f"| {label} | {_cell(figures.get('cpu_ms'))} | {_cell(figures.get('wall_ms'))} |"
        )
    if profile.get("requests_cpu_ms"):
        by_request = ", ".join(f"{k} {v}" for k, v in profile["requests_cpu_ms"].items())
        lines.append(f"\nCPU ms per kind of request, everything included: {by_request}.")
    if profile.get("batch_cpu_ms") is not None:
        lines.append(
            f"\nAn answer batch (sent when a phone rests between answers, not at the "
            f"benchmark's pace): {profile['batch_cpu_ms']} CPU ms each."
        )
    if profile.get("floor_per_request"):
        floor = ", ".join(f"{k} {v}" for k, v in profile["floor_per_request"].items())
        lines.append(f"\nThe trivial view, per request (CPU ms): {floor}.")
    stats = profile.get("statistics")
    if stats:
        lines.append(
            f"\nThe statistics page from cold, at {stats['finished_attempts']} finished "
            f"attempts and {stats['questions']} questions: {stats['page_seconds']} s "
            f"(item analysis {stats['item_analysis_seconds']} s; its .xlsx "
            f"{stats['xlsx_seconds']} s, {stats['xlsx_bytes']} bytes)."
        )
    return lines


def previous_run(directory: Path, stem: str, *, quick: bool) -> dict | None:
    """The latest earlier report of the same kind (full or quick) in `directory`, if any."""
    earlier = []
    for path in directory.glob("*.json"):
        if path.stem >= stem:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("quick") == quick and data.get("scenarios"):
            earlier.append((path.stem, data))
    return max(earlier, key=lambda item: item[0])[1] if earlier else None


def _comparison(report: dict) -> list[str]:
    """Before/after: each scenario of this run against the same scenario of the previous run."""
    before = report.get("previous")
    if not before:
        return []
    lines = [
        "",
        f"## Change since the previous run ({before['started']})",
        "",
        "| scenario | rps before → after | p95 ms before → after | p99 ms before → after "
        "| attempts/min before → after |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, after in report["scenarios"].items():
        old = before.get("scenarios", {}).get(name)
        if not old:
            continue
        lines.append(
            f"| {name} | {old['rps']} → {after['rps']} | {_cell(old['p95'])} → "
            f"{_cell(after['p95'])} | {_cell(old['p99'])} → {_cell(after['p99'])} "
            f"| {old['attempts_per_minute']} → {after['attempts_per_minute']} |"
        )
    return lines


def write(report: dict, directory: Path, stem: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    previous = previous_run(directory, stem, quick=bool(report.get("quick")))
    if previous is not None:
        report["previous"] = {
            "started": previous["started"],
            "scenarios": {
                name: {key: row.get(key) for key in ("rps", "p95", "p99", "attempts_per_minute")}
                for name, row in previous["scenarios"].items()
            },
        }
    json_path = directory / f"{stem}.json"
    md_path = directory / f"{stem}.md"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return md_path, json_path
