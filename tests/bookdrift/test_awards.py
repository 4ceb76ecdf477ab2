"""The three awards on a known data set: who reads, passes on and donates what."""

import pytest
from django.core.exceptions import ValidationError

from competitions.bookdrift import awards, catalogue
from competitions.bookdrift.models import DriftAward, DriftCertificate, ReaderNotice
from tests.bookdrift.helpers import anonymous, catch, release
from tests.factories.bookdrift import CampaignFactory, CopyFactory, SchoolClassFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

Kind = DriftAward.Kind


@pytest.fixture
def drift():
    """Copies A, B, C; readers ann, bob, cat; a donor dan.

    A: ann → bob → cat (3 readers, ann and bob passed it on), read in 2 schools
    B: ann → bob, ann released, bob still reading (2 readers)
    C: cat, plus an anonymous reader (2 readers)
    dan donated 2 approved copies (one read once), eve 1 copy read by 2 readers.
    """
    campaign = CampaignFactory(award_places=3, allow_anonymous=True)
    one, two = SchoolClassFactory(), SchoolClassFactory()
    campaign.classes.add(one, two)
    ann, bob, cat, dan, eve = (UserFactory(display_name=n) for n in ["安", "博", "凯", "丹", "伊"])
    a, b, c = (CopyFactory(campaign=campaign, number=n) for n in (1, 2, 3))
    from competitions.bookdrift.journeys import Place

    catch(a, ann, place=Place(class_id=one.pk))
    catch(a, bob, place=Place(class_id=two.pk))
    catch(a, cat)
    catch(b, ann)
    release(b, ann)
    catch(b, bob)
    catch(c, cat)
    catch(c, anonymous())
    donated = []
    for donor, count in ((dan, 2), (eve, 1)):
        for _ in range(count):
            copy = catalogue.donate_copy(campaign, donor, title="投漂的书")
            donated.append(catalogue.decide_donation(copy, approve=True, by=None))
    catch(donated[0], ann)
    catch(donated[2], ann)
    catch(donated[2], bob)
    return {"campaign": campaign, "people": (ann, bob, cat, dan, eve), "copies": (a, b, c)}


def test_the_best_drifting_books_have_the_most_readers(drift):
    a, b, c = drift["copies"]

    ranked = awards.ranking(drift["campaign"], Kind.BEST_COPY)

    assert [row.copy_id for row in ranked] == [a.pk, b.pk, c.pk]
    assert ranked[0].figures == {"readers": 3, "schools": 2, "catches": 3, "number": 1}


def test_the_best_readers_read_and_pass_on_the_most_books(drift):
    ann, bob, cat, _dan, _eve = drift["people"]

    ranked = awards.ranking(drift["campaign"], Kind.BEST_READER)

    assert [row.person_id for row in ranked] == [ann.pk, bob.pk, cat.pk]
    assert ranked[0].figures == {"books_read": 4, "passed_on": 3, "reviews": 0}
    assert ranked[1].figures == {"books_read": 3, "passed_on": 1, "reviews": 0}


def test_the_best_donors_donated_the_most_approved_books(drift):
    _ann, _bob, _cat, dan, eve = drift["people"]

    ranked = awards.ranking(drift["campaign"], Kind.BEST_DONOR)

    assert [(row.person_id, row.figures) for row in ranked] == [
        (dan.pk, {"donated": 2, "readers": 1}),
        (eve.pk, {"donated": 1, "readers": 2}),
    ]


def test_anonymous_readers_count_for_books_but_never_win(drift):
    ranked = awards.ranking(drift["campaign"], Kind.BEST_READER, places=50)

    assert None not in [row.person_id for row in ranked]


def test_confirming_saves_a_snapshot_and_publishing_issues_certificates(drift):
    campaign = drift["campaign"]
    ann = drift["people"][0]

    awards.confirm(campaign, Kind.BEST_READER, by=None)
    catch(CopyFactory(campaign=campaign), drift["people"][2])  # later steps change nothing
    awards.publish(campaign, Kind.BEST_READER)

    first = DriftAward.objects.get(kind=Kind.BEST_READER, rank=1)
    assert first.person == ann and first.published_at is not None
    certificate = DriftCertificate.objects.get(award=first)
    assert certificate.holder_name == "*"  # one-character names are masked whole
    assert ReaderNotice.objects.filter(reader=ann, kind="award").count() == 1
    assert DriftCertificate.objects.count() == 3


def test_publishing_again_keeps_the_certificates_codes(drift):
    campaign = drift["campaign"]
    awards.confirm(campaign, Kind.BEST_DONOR, by=None)
    awards.publish(campaign, Kind.BEST_DONOR)
    codes = set(DriftCertificate.objects.values_list("code", flat=True))

    awards.publish(campaign, Kind.BEST_DONOR)

    assert set(DriftCertificate.objects.values_list("code", flat=True)) == codes


def test_a_published_award_must_be_withdrawn_before_it_is_confirmed_again(drift):
    campaign = drift["campaign"]
    awards.confirm(campaign, Kind.BEST_COPY, by=None)
    awards.publish(campaign, Kind.BEST_COPY)

    with pytest.raises(ValidationError):
        awards.confirm(campaign, Kind.BEST_COPY, by=None)
    awards.withdraw(campaign, Kind.BEST_COPY)
    awards.confirm(campaign, Kind.BEST_COPY, by=None)

    assert DriftAward.objects.filter(kind=Kind.BEST_COPY, published_at__isnull=True).count() == 3


def test_an_award_nobody_qualifies_for_is_not_confirmed():
    with pytest.raises(ValidationError):
        awards.confirm(CampaignFactory(), Kind.BEST_DONOR, by=None)

    assert not DriftAward.objects.exists()


def test_the_database_refuses_a_place_given_twice():
    from django.db import IntegrityError
    from django.utils import timezone

    campaign = CampaignFactory()
    values = {
        "campaign": campaign,
        "kind": Kind.BEST_READER,
        "rank": 1,
        "confirmed_at": timezone.now(),
    }
    DriftAward.objects.create(person=UserFactory(), **values)

    with pytest.raises(IntegrityError):
        DriftAward.objects.create(person=UserFactory(), **values)
