"""The book drift scenario's seed, render measurement and target."""

import pytest

from bench import bookdrift
from bench.seed import _sessions
from competitions.bookdrift.models import BookCopy

pytestmark = pytest.mark.django_db


@pytest.fixture
def drift():
    return bookdrift.seed(bookdrift.DriftSizes(books=2, copies_per_book=6, readers=4), _sessions)


def test_the_seed_makes_copies_readers_and_a_valid_500_step_journey(drift):
    long_copy = BookCopy.objects.get(code=drift["long_code"])

    assert BookCopy.objects.count() == 12 and len(drift["codes"]) == 11
    assert len(drift["sessions"]) == 4
    steps = list(long_copy.steps.order_by("sequence"))
    assert [step.sequence for step in steps] == list(range(1, 502))
    assert long_copy.steps_count == 501 and long_copy.state == "reading"
    catches = [step for step in steps if step.kind == "catch"]
    assert all(step.reader_key != step.previous_catcher_key for step in catches)
    assert long_copy.holder_key == catches[-1].reader_key
    assert bookdrift.table_counts() == {"drift_catches": len(catches)}


def test_the_render_measurement_opens_the_long_copy_signed_in(drift):
    timing = bookdrift.render_time(drift["long_code"], runs=3)

    assert timing["runs"] == 3 and timing["median_ms"] > 0 and timing["html_bytes"] > 5000
    assert 0 < timing["cpu_median_ms"] <= timing["median_ms"] * 1.5


def test_the_target_needs_a_fast_render_and_no_errors():
    scenario = {
        "render": {"median_ms": 12.0, "p95_ms": 20.0, "html_bytes": 9000},
        "per_request": {"drift copy page (500 steps, signed in)": {"p50": 30, "p95": 60}},
        "failures": 0,
    }

    (passing,) = bookdrift.targets({"bookdrift": scenario})
    (slow,) = bookdrift.targets(
        {"bookdrift": {**scenario, "render": {**scenario["render"], "p95_ms": 80.0}}}
    )

    assert passing["pass"] and not slow["pass"]
    assert bookdrift.targets({}) == []


def test_catch_journey_steps_are_checked_against_what_the_load_generator_saw():
    from bench import report

    rows = report.consistency(
        {"drift_catches": 5}, {"drift_catches": 10, "votes": 0}, {"drift_catches": 15, "votes": 0}
    )

    assert {row["check"]: row["ok"] for row in rows}["book drift catches"] is True
