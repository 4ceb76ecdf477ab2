import datetime

import pytest
from django.utils import timezone

from competitions.bookdrift import catalogue, dashboard, journeys
from competitions.bookdrift.models import BookReview, JourneyStep
from tests.bookdrift.helpers import catch, release
from tests.factories.bookdrift import CampaignFactory, CopyFactory, SchoolClassFactory
from tests.factories.contests import EntryFactory
from tests.factories.users import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_figures_of_a_known_drift():
    now = timezone.now()
    campaign = CampaignFactory(reading_days=20)
    school_class = SchoolClassFactory()
    campaign.classes.add(school_class)
    moving, waiting, idle, lost, passed = (CopyFactory(campaign=campaign) for _ in range(5))
    ann, bob = UserFactory(), PupilFactory()
    place = journeys.Place(class_id=school_class.pk)
    catch(moving, ann, place=place, now=now - datetime.timedelta(days=2))
    catch(moving, bob, note="好看", now=now - datetime.timedelta(days=1))
    catch(idle, ann, now=now - datetime.timedelta(days=25))
    catch(passed, bob, now=now - datetime.timedelta(days=3))
    release(passed, bob, now=now - datetime.timedelta(days=2))
    journeys.organiser_step(lost, JourneyStep.Kind.LOST, by=None)
    type(waiting).objects.filter(pk=waiting.pk).update(moved_at=now - datetime.timedelta(days=40))
    catalogue.donate_copy(campaign, ann, title="待审核的书")
    BookReview.objects.create(entry=EntryFactory(), book=moving.book, campaign=campaign)

    figures = dashboard.figures(campaign, now)

    assert figures.copies == 5
    assert (figures.reading, figures.passed_on, figures.in_circulation) == (2, 1, 3)
    assert figures.at_stations == 1 and figures.lost == 1
    assert figures.idle == 2  # the one read for 25 days and the one waiting 40 days
    assert figures.pending_donations == 1
    assert (figures.catches, figures.readers, figures.signed_in_readers) == (4, 2, 2)
    assert figures.most_readers == 2 and figures.readers_per_copy == round(4 / 5, 2)
    assert dict(figures.reader_buckets) == {"0": 2, "1": 2, "2–3": 1, "4–6": 0, "7+": 0}
    assert [row["school_id"] for row in figures.schools] == [school_class.school_id]
    assert figures.classes[0]["readers"] == 1
    assert figures.reviews == 1 and figures.notes_pending == 1
    assert [copy.pk for copy in dashboard.idle_copies(campaign, now)] == [waiting.pk, idle.pk]
