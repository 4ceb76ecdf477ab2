"""The demo drift: a living drift built through the services, with its privacy rules."""

import re

import pytest

from competitions.bookdrift.models import (
    BookCopy,
    BookReview,
    DriftAward,
    DriftCampaign,
    JourneyStep,
    Station,
)
from demo import bookdrift as drift_demo
from demo.content import ensure_home_page
from demo.datafiles import toml

pytestmark = pytest.mark.django_db


@pytest.fixture
def drift(demo_site):
    """The demo's drift campaign as load_demo leaves it, and the load's summary."""
    return DriftCampaign.objects.get(slug=toml("bookdrift")["campaign"]["slug"]), demo_site


def test_the_demo_is_a_living_drift_that_keeps_pupils_names_private(drift, client):
    campaign, report = drift

    copies = BookCopy.objects.filter(campaign=campaign)
    assert campaign.stations.count() == Station.objects.count() == 3
    assert copies.filter(source="organiser").count() == 120
    assert copies.values("book").distinct().count() >= 8
    steps = JourneyStep.objects.filter(copy__campaign=campaign)
    assert steps.count() >= 300
    assert steps.filter(kind="catch").values("reader_key").distinct().count() >= 10
    assert any(
        re.fullmatch(r"book drift: 1 campaign, \d+ copies, \d+ journey steps", line)
        for line in report
    )
    # work waiting for organisers, and what they already published
    assert steps.filter(text_status="pending").exists()
    assert copies.filter(approval="pending").count() == 1
    assert DriftAward.objects.filter(campaign=campaign, published_at__isnull=False).exists()
    assert BookReview.objects.filter(shown=True).count() >= 5
    # only pupils whose guardians agreed are ever named
    hidden = set(toml("bookdrift")["pupils"]) - set(toml("bookdrift")["shown_pupils"])
    for copy in copies.filter(steps_count__gt=2)[:15]:
        html = client.get(copy.path).content.decode()
        assert not any(f"<strong>{name}</strong>" in html for name in hidden)


def test_loading_the_demo_again_changes_nothing(drift):
    steps = JourneyStep.objects.count()
    report = []

    drift_demo.load(ensure_home_page()[0], report)

    assert JourneyStep.objects.count() == steps and report == ["book drift: kept"]
