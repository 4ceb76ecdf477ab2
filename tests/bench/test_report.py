"""The benchmark report: the database consistency check and the targets' verdicts."""

from bench import report

BEFORE = {
    "finished_attempts": 100,
    "open_attempts": 2,
    "answer_saves": 1000,
    "answered_questions": 1000,
    "leaderboard": 50,
    "votes": 300,
}


def _after(**growth):
    return {key: value + growth.get(key, 0) for key, value in BEFORE.items()}


def _by_check(rows):
    return {row["check"]: row for row in rows}


def test_growth_equal_to_the_accepted_writes_passes():
    accepted = {
        "attempts_started": 5,
        "attempts_submitted": 4,
        "autosaves": 40,
        "form_saves": 40,
        "votes_created": 7,
        "votes_repeated": 3,
    }
    after = _after(finished_attempts=4, open_attempts=1, answer_saves=80, votes=7)

    rows = report.consistency(accepted, BEFORE, after)

    assert all(row["ok"] for row in rows)
    assert _by_check(rows)["answers saved (autosave + form)"]["database"] == 80


def test_a_lost_write_is_a_mismatch():
    accepted = {"votes_created": 7}
    rows = _by_check(report.consistency(accepted, BEFORE, _after(votes=6)))
    assert rows["votes"]["ok"] is False
    assert rows["votes"]["accepted"] == 7
    assert rows["votes"]["database"] == 6


def test_a_doubled_write_is_a_mismatch():
    accepted = {"autosaves": 10, "form_saves": 10}
    rows = _by_check(report.consistency(accepted, BEFORE, _after(answer_saves=21)))
    assert rows["answers saved (autosave + form)"]["ok"] is False


def test_a_started_attempt_counts_whether_still_open_or_finished():
    accepted = {"attempts_started": 3, "attempts_submitted": 1}
    rows = _by_check(
        report.consistency(accepted, BEFORE, _after(finished_attempts=1, open_attempts=2))
    )
    assert rows["quiz attempts started"]["ok"]
    assert rows["quiz attempts submitted"]["ok"]


def test_writes_in_doubt_allow_only_the_doubtful_range():
    accepted = {"votes_created": 7, "writes_in_doubt": 2}
    assert _by_check(report.consistency(accepted, BEFORE, _after(votes=9)))["votes"]["ok"]
    assert not _by_check(report.consistency(accepted, BEFORE, _after(votes=10)))["votes"]["ok"]
    assert not _by_check(report.consistency(accepted, BEFORE, _after(votes=6)))["votes"]["ok"]


def _scenario(name, **values):
    base = {
        "scenario": name,
        "users": 10,
        "seconds": 60.0,
        "requests": 1000,
        "failures": 0,
        "rps": 100.0,
        "p50": 10.0,
        "p95": 50.0,
        "p99": 90.0,
        "attempts_completed": 0,
        "attempts_per_minute": 0.0,
        "per_request": {},
    }
    return {**base, **values}


def test_targets_pass_and_fail_on_the_measured_values():
    scenarios = {
        "ceiling": _scenario("ceiling", rps=1000.0),
        "reader": _scenario("reader", rps=600.0),
        "quiz": _scenario("quiz", users=200, p95=149.0),
        "mixed": _scenario(
            "mixed",
            attempts_completed=3000,
            p99=600.0,
            per_request={
                "search": {"p95": 70.0, "failures": 0},
                "search suggest": {"p95": 90.0, "failures": 0},
            },
        ),
    }

    verdicts = {row["target"].split()[0]: row["pass"] for row in report.evaluate_targets(scenarios)}

    assert verdicts == {"quiz": True, "mixed": False, "reader": True, "search": False}


def test_errors_fail_the_quiz_target_and_too_few_users_do_not_count():
    erring = report.evaluate_targets({"quiz": _scenario("quiz", users=200, p95=20.0, failures=1)})
    too_few = report.evaluate_targets({"quiz": _scenario("quiz", users=50, p95=20.0)})
    assert erring[0]["pass"] is False
    assert too_few[0]["pass"] is False


def test_the_markdown_report_states_every_verdict_and_check():
    scenarios = {"ceiling": _scenario("ceiling"), "reader": _scenario("reader", rps=20.0)}
    result = {
        "started": "20261130T080000Z",
        "machine": "2 cores",
        "server": "gunicorn",
        "load_before": [0.1, 0.1, 0.1],
        "other_load": "no",
        "seed": {"timings": {"total": 60.0}, "counts": {}, "tree_problems": []},
        "scenarios": scenarios,
        "checks": {"reader": report.consistency({"votes_created": 1}, BEFORE, _after())},
        "targets": report.evaluate_targets(scenarios),
    }

    text = report.render_markdown(result)

    assert "**FAIL**" in text
    assert "**MISMATCH**" in text
    assert "| reader | 10 |" in text
