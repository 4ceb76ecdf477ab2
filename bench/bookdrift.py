"""The book drift scenario (`scripts/bench --scenarios bookdrift`): seeding, checks, targets.

A phone scans a copy's QR label, opens the copy page and catches the book (接漂): the
scan → copy page → catch path of issue 15. Seeded in bulk (bench/seed.py calls `seed`): a
running campaign with 3 stations, 12 titles × 200 copies at full scale, one copy whose
journey already has 500 steps, and signed-in readers. The locust user is built in
bench/bookdrift_users.py; what it catches is checked against the journey table
(`table_counts`, `CHECKS`), and the target — a copy with 500 steps renders in under 50 ms
of server time — is judged on an in-process measurement (`render_time`: the full
middleware stack through Django's test client, no network, signed in so never cached) as
well as on locust's end-to-end figures.
"""

import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

LONG_JOURNEY = 500
TARGET_MS = 50
# What the load generator counts, and the table count whose growth must equal it.
CHECKS = [("book drift catches", ("drift_catches",), ("drift_catches",))]


@dataclass(frozen=True)
class DriftSizes:
    books: int = 12
    copies_per_book: int = 200
    readers: int = 300
    long_journey: int = LONG_JOURNEY


def seed(sizes: DriftSizes, sessions) -> dict:
    """Seeds the drift and returns what the load generator needs: copy codes to catch (in
    slices per simulated reader), the long journey's code, the readers' session keys.
    `sessions(prefix)` makes signed-in sessions (bench/seed.py)."""
    from django.utils import timezone

    from accounts.models import User
    from competitions.bookdrift import catalogue
    from competitions.bookdrift.models import (
        Book,
        BookCopy,
        DriftCampaign,
        JourneyStep,
        Station,
    )
    from kepu.days import local_day

    today = local_day()
    stations = [
        Station.objects.create(name=f"基准测试漂流站{n}", kind=Station.Kind.SCHOOL_LIBRARY)
        for n in range(3)
    ]
    campaign = DriftCampaign.objects.create(
        title="基准测试图书漂流",
        slug="bench-drift",
        starts_on=today.replace(day=1),
        ends_on=today.replace(year=today.year + 1),
    )
    campaign.stations.set(stations)
    books = Book.objects.bulk_create(
        [Book(title=f"基准测试绘本{n:02d}", summary="科学家的故事。") for n in range(sizes.books)]
    )
    for index, station in enumerate(stations):
        share = sizes.copies_per_book // len(stations) + (
            1 if index < sizes.copies_per_book % len(stations) else 0
        )
        if share:
            catalogue.register_copies(campaign, {b.pk: share for b in books}, station=station)
    readers = User.objects.bulk_create(
        [
            User(
                username=f"bench-d{n}",
                birth_year=1980,
                birth_month=1 + n % 12,
                password="!bench",  # noqa: S106 (unusable: signed in by seeded sessions)
            )
            for n in range(sizes.readers)
        ]
    )
    long_copy = BookCopy.objects.filter(campaign=campaign).order_by("number").first()
    pool = readers[:10]
    now = timezone.now()
    JourneyStep.objects.bulk_create(
        [
            JourneyStep(
                copy=long_copy,
                sequence=n,
                kind=JourneyStep.Kind.CATCH if n % 2 else JourneyStep.Kind.RELEASE,
                reader=pool[(n // 2) % len(pool)],
                reader_key=f"u:{pool[(n // 2) % len(pool)].pk}",
                previous_catcher_key=f"u:{pool[((n // 2) - 1) % len(pool)].pk}"
                if n > 1 and n % 2
                else "",
                station=stations[n % 3] if n % 2 == 0 else None,
                note="读完啦，传给下一位！" if n % 7 == 0 else "",
                text_status="approved" if n % 7 == 0 else "none",
                show_identity=True,
                created_at=now - timedelta(minutes=sizes.long_journey + 2 - n),
            )
            for n in range(2, sizes.long_journey + 2)
        ]
    )
    last = pool[(sizes.long_journey // 2) % len(pool)]
    BookCopy.objects.filter(pk=long_copy.pk).update(
        steps_count=sizes.long_journey + 1,
        state=BookCopy.State.READING,
        station=None,
        holder=last,
        holder_key=f"u:{last.pk}",
        last_catcher_key=f"u:{last.pk}",
    )
    codes = list(
        BookCopy.objects.filter(campaign=campaign)
        .exclude(pk=long_copy.pk)
        .order_by("?")
        .values_list("code", flat=True)
    )
    return {
        "long_code": long_copy.code,
        "codes": codes,
        "sessions": sessions("bench-d"),
    }


def table_counts() -> dict[str, int]:
    from competitions.bookdrift.models import JourneyStep

    return {"drift_catches": JourneyStep.objects.filter(kind="catch").count()}


def _timings(client, path: str, runs: int) -> tuple[list[float], list[float], int]:
    """Sorted wall-clock and CPU milliseconds of `runs` requests for `path`, and its size.
    CPU time is this process's alone (PostgreSQL's share is not in it): on a shared machine
    it is what the wall-clock time would be without waiting for a core."""
    client.get(path)  # warm: templates compiled, connections open
    timings, cpu, size = [], [], 0
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        size = len(response.content)
    return sorted(timings), sorted(cpu), size


def render_time(code: str, runs: int = 40) -> dict:
    """Server time of the copy page of `code` for a signed-in reader (never cached): the
    whole middleware stack through Django's test client, in this process. Milliseconds.
    The trivial view's time (`/bench/ceiling/`, when served) is measured alongside: on a
    shared machine it shows how much of the figure is the machine's load."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.filter(username__startswith="bench-d").first())
    timings, cpu, size = _timings(client, f"/d/{code}", runs)
    result = {
        "runs": runs,
        "median_ms": round(statistics.median(timings), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "html_bytes": size,
    }
    try:
        ceiling = reverse("bench_ceiling")
    except NoReverseMatch:
        return result
    trivial, _cpu, _size = _timings(client, ceiling, runs)
    result["trivial_median_ms"] = round(statistics.median(trivial), 1)
    return result


def targets(scenarios: dict) -> list[dict]:
    """The issue's target for the drift, judged on the in-process render time."""
    drift = scenarios.get("bookdrift")
    if not drift or "render" not in drift:
        return []
    render = drift["render"]
    rendered = drift["per_request"].get("drift copy page (500 steps, signed in)", {})
    return [
        {
            "target": f"a copy with {LONG_JOURNEY} steps renders in < {TARGET_MS} ms server time",
            "measured": f"median {render['median_ms']} ms, p95 {render['p95_ms']} ms in process "
            f"({render['html_bytes']} bytes; CPU median {render.get('cpu_median_ms', '–')} ms "
            f"of this process; the trivial view "
            f"{render.get('trivial_median_ms', '–')} ms); under load end to end "
            f"p50 {rendered.get('p50')} / p95 {rendered.get('p95')} ms; "
            f"{drift['failures']} errors",
            "pass": render["p95_ms"] < TARGET_MS and drift["failures"] == 0,
        }
    ]
