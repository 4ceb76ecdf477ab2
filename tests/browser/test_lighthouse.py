"""Lighthouse's mobile budgets on the main public templates (tests/browser/lighthouse.mjs).

Performance is Lighthouse's simulated-throttling score (slow 4G, 4x CPU slowdown, computed
from the trace), so a busy CI machine does not move it much; weight is what the page
transfers before images (HTML, CSS, scripts, fonts, beacons).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from competitions.quizzes.models import QuizPage
from content.models import ArticlePage, SectionPage, VideoPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCRIPT = Path(__file__).with_name("lighthouse.mjs")
KB = 1024
PERFORMANCE_BUDGET = 98
ACCESSIBILITY_BUDGET = 100
# Pages whose transfer weight before images has a budget of its own.
WEIGHT_BUDGETS = {"article": 100 * KB, "quiz": 60 * KB}


def lighthouse(base_url: str, pages: dict[str, str]) -> dict[str, dict]:
    """Lighthouse's findings for each named page, from one Chromium run."""
    completed = subprocess.run(
        ["node", str(SCRIPT), *(base_url + path for path in pages.values())],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    results = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    return dict(zip(pages, results, strict=True))


def test_main_templates_meet_the_mobile_performance_accessibility_and_weight_budgets(
    live_server, demo_site
):
    quiz_page = QuizPage.objects.live().first()
    pages = {
        "home": "/",
        "section": SectionPage.objects.live().first().url,
        "article": ArticlePage.objects.live().first().url,
        "video": VideoPage.objects.live().first().url,
        "quiz": quiz_page.url,
        "search": "/search/?q=科协",
    }

    # Readers get pages from the page cache; Lighthouse should too.
    for path in pages.values():
        assert Client().get(path).status_code == 200

    results = lighthouse(live_server.url, pages)

    problems = []
    for name, result in results.items():
        print(
            f"{name}: performance {result['performance']} (CPU slowdown {result['cpu_slowdown']}x"
            f" for benchmark index {result['benchmark_index']}), accessibility "
            f"{result['accessibility']}, {result['bytes_before_images'] / KB:.1f} KB before images"
        )
        if result["error"]:
            problems.append(f"{name}: Lighthouse could not run: {result['error']}")
            continue
        if result["performance"] < PERFORMANCE_BUDGET or result["accessibility"] < (
            ACCESSIBILITY_BUDGET
        ):
            problems.append(
                f"{name}: performance {result['performance']} (≥ {PERFORMANCE_BUDGET}), "
                f"accessibility {result['accessibility']} (= {ACCESSIBILITY_BUDGET}); failing "
                "audits:\n    "
                + "\n    ".join(result["failing"])
                + "\n  long tasks:\n    "
                + "\n    ".join(result["long_tasks"])
            )
        budget = next((b for key, b in WEIGHT_BUDGETS.items() if name.startswith(key)), None)
        if budget is not None and result["bytes_before_images"] > budget:
            problems.append(
                f"{name}: {result['bytes_before_images'] / KB:.1f} KB before images "
                f"(budget {budget / KB:.0f} KB):\n    " + "\n    ".join(result["requests"])
            )
    assert not problems, "\n".join(problems)
