"""The benchmark report: the database consistency check and the targets' verdicts."""

from bench import report

BEFORE = {
    "finished_attempts": 100,
    "open_attempts": 2,
    "answer_batches": 150,
    "answered_in_finished": 1000,
    "item_counter_drawn": 1000,
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
        "answer_batches": 6,
        "answers_submitted": 40,
        "votes_created": 7,
        "votes_repeated": 3,
    }
    after = _after(
        finished_attempts=4,
        open_attempts=1,
        answer_batches=6,
        answered_in_finished=40,
        item_counter_drawn=40,
        votes=7,
    )

    rows = report.consistency(accepted, BEFORE, after)

    assert all(row["ok"] for row in rows)
    assert _by_check(rows)["answers in submitted attempts"]["database"] == 40


def test_a_lost_write_is_a_mismatch():
    accepted = {"votes_created": 7}
    rows = _by_check(report.consistency(accepted, BEFORE, _after(votes=6)))
    assert rows["votes"]["ok"] is False
    assert rows["votes"]["accepted"] == 7
    assert rows["votes"]["database"] == 6


def test_a_doubled_write_is_a_mismatch():
    accepted = {"answer_batches": 10}
    rows = _by_check(report.consistency(accepted, BEFORE, _after(answer_batches=11)))
    assert rows["answer batches (saves + submits carrying answers)"]["ok"] is False


def test_an_attempt_counted_twice_by_the_item_analysis_is_a_mismatch():
    accepted = {"attempts_submitted": 1, "answers_submitted": 10}
    after = _after(finished_attempts=1, answered_in_finished=10, item_counter_drawn=20)
    rows = _by_check(report.consistency(accepted, BEFORE, after))
    assert rows["answers in submitted attempts"]["ok"] is True
    assert rows["questions counted by the item analysis"]["ok"] is False


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


def _written(directory, stem, *, quick=False, **scenarios):
    result = {
        "started": stem,
        "quick": quick,
        "machine": "2 cores",
        "server": "gunicorn",
        "load_before": [0.1, 0.1, 0.1],
        "other_load": "no",
        "seed": {"timings": {}, "counts": {}, "tree_problems": []},
        "scenarios": {name: _scenario(name, **values) for name, values in scenarios.items()},
        "checks": {},
        "targets": [],
    }
    return report.write(result, directory, stem)[0].read_text(encoding="utf-8")


def test_the_report_compares_with_the_previous_run_of_the_same_kind(tmp_path):
    _written(tmp_path, "20261130T080000Z", quiz={"rps": 150.0, "p95": 900.0})
    _written(tmp_path, "20261130T083000Z", quick=True, quiz={"rps": 5.0, "p95": 10.0})

    text = _written(tmp_path, "20261130T090000Z", quiz={"rps": 210.0, "p95": 200.0})

    # Against the earlier full run, not the quick one in between.
    assert "Change since the previous run (20261130T080000Z)" in text
    assert "| quiz | 150.0 → 210.0 | 900 → 200 |" in text


def test_the_first_run_has_nothing_to_compare_with(tmp_path):
    text = _written(tmp_path, "20261130T090000Z", quiz={"rps": 210.0})

    assert "Change since" not in text


def _level(users, *, per_second, p99, search_p95):
    return _scenario(
        "mixed",
        users=users,
        seconds=45.0,
        attempts_completed=round(per_second * 45),
        p99=p99,
        per_request={
            "search": {"p95": search_p95, "failures": 0},
            "search suggest": {"p95": search_p95, "failures": 0},
        },
    )


def test_the_campaign_is_judged_at_the_busiest_level_it_sustains():
    scenarios = {
        "mixed@150": _level(150, per_second=6.0, p99=200.0, search_p95=30.0),
        "mixed@300": _level(300, per_second=9.0, p99=450.0, search_p95=60.0),
        "mixed@450": _level(450, per_second=9.6, p99=1400.0, search_p95=1300.0),
    }

    rows = {row["target"].split()[0]: row for row in report.evaluate_targets(scenarios)}

    assert rows["mixed"]["pass"] is False  # 9 attempts/s is sustained, 60 is not
    assert "9.00 attempts/s with p99 450.0 ms at 300 users" in rows["mixed"]["measured"]
    assert "450 users: 9.60 attempts/s, p99 1400.0 ms" in rows["mixed"]["measured"]
    # Search under the busiest sustained load (300 users), not under saturation.
    assert rows["search"]["pass"] is True and "300 users" in rows["search"]["measured"]


def test_sixty_sustained_attempts_a_second_pass_and_saturation_alone_fails_search():
    passing = report.evaluate_targets(
        {"mixed@900": _level(900, per_second=61.0, p99=400.0, search_p95=50.0)}
    )
    assert all(row["pass"] for row in passing)

    saturated = report.evaluate_targets(
        {"mixed@900": _level(900, per_second=61.0, p99=900.0, search_p95=500.0)}
    )
    assert not any(row["pass"] for row in saturated)


def test_the_server_cpu_per_attempt_and_the_spike_are_judged():
    quiz = _scenario(
        "quiz",
        users=200,
        p95=100.0,
        cpu={"per_attempt_ms": {"server": 24.0, "gunicorn": 18.0, "postgresql": 5.0}},
    )
    spike = _scenario(
        "spike",
        users=1000,
        p99=800.0,
        per_request={"quiz start": {"p99": 700.0, "failures": 0}},
    )

    rows = {
        row["target"][:6]: row for row in report.evaluate_targets({"quiz": quiz, "spike": spike})
    }

    assert rows["≤ 25 m"]["pass"] is True and "24.0 ms" in rows["≤ 25 m"]["measured"]
    assert rows["synchr"]["pass"] is True and "start p99 700.0 ms" in rows["synchr"]["measured"]
    slow = _scenario("spike", users=1000, p99=1200.0)
    assert report.evaluate_targets({"spike": slow})[0]["pass"] is False


def test_the_markdown_report_shows_cpu_per_attempt_and_the_profile():
    cpu = {
        "seconds": {"gunicorn": 9.0, "postgresql": 3.0, "redis": 0.3, "celery": 0.1},
        "wall_seconds": 60.0,
        "attempts": 500,
        "per_attempt_ms": {"gunicorn": 18.0, "postgresql": 6.0, "redis": 0.6, "celery": 0.2,
                           "server": 24.6},
    }  # fmt: skip
    result = {
        "started": "20261207T080000Z",
        "machine": "2 cores",
        "server": "gunicorn",
        "load_before": [0.1, 0.1, 0.1],
        "other_load": "no",
        "seed": {"timings": {}, "counts": {}, "tree_problems": []},
        "scenarios": {"quiz": _scenario("quiz", cpu=cpu)},
        "checks": {},
        "targets": [],
        "top_before": "top - 08:00:00 up 1 day",
        "profile": {
            "attempts": 30,
            "requests_per_attempt": 5,
            "statements_per_attempt": 31.0,
            "components": {"templates": {"cpu_ms": 4.2, "wall_ms": 4.3}},
            "floor_per_request": {"request": 0.4},
        },
    }

    text = report.render_markdown(result)

    assert "| quiz | 500 | **24.6** | 0.2 | 18 | 6 | 0.6 | 0.21 |" in text
    assert "| templates | 4.2 | 4.3 |" in text
    assert "top - 08:00:00 up 1 day" in text


def test_the_statistics_page_is_judged_at_the_seeded_number_of_attempts():
    def stats(seconds, attempts):
        profile = {"statistics": {"page_seconds": seconds, "finished_attempts": attempts}}
        return report.evaluate_targets({}, profile)[0]

    assert stats(0.4, 200_000)["pass"] is True
    assert stats(1.2, 200_000)["pass"] is False
    assert stats(0.1, 2_000)["pass"] is False  # a quick run's data set proves nothing
