import pytest
from django.core.exceptions import ValidationError

from competitions.bookdrift import catalogue, codes
from competitions.bookdrift.models import Book, BookCopy, JourneyStep, ReaderNotice
from tests.factories.bookdrift import BookFactory, CampaignFactory, CopyFactory, StationFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_twelve_titles_times_two_hundred_copies_are_registered_in_a_few_queries(
    django_assert_max_num_queries,
):
    campaign = CampaignFactory()
    books = BookFactory.create_batch(12)

    with django_assert_max_num_queries(20):
        registered = catalogue.register_copies(campaign, {book.pk: 200 for book in books})

    copies = BookCopy.objects.filter(campaign=campaign)
    assert registered.copies == copies.count() == 2400
    assert len(set(copies.values_list("code", flat=True))) == 2400
    assert all(codes.is_well_formed(code) for code in copies.values_list("code", flat=True))
    assert sorted(copies.values_list("number", flat=True)) == list(range(1, 2401))
    assert set(copies.values_list("state", flat=True)) == {BookCopy.State.REGISTERED}


def test_copies_registered_at_a_station_wait_there_with_their_first_step():
    campaign = CampaignFactory()
    station = campaign.stations.first()
    book = BookFactory()

    catalogue.register_copies(campaign, {book.pk: 5}, station=station)

    copies = BookCopy.objects.filter(campaign=campaign)
    assert set(copies.values_list("state", "station_id")) == {("at_station", station.pk)}
    assert JourneyStep.objects.filter(copy__in=copies, sequence=1, kind="placed").count() == 5


def test_copy_numbers_continue_after_the_campaigns_highest():
    campaign = CampaignFactory()
    book = BookFactory()
    catalogue.register_copies(campaign, {book.pk: 3})

    second = catalogue.register_copies(campaign, {book.pk: 2})

    assert (second.first_number, second.last_number) == (4, 5)


def test_a_code_already_taken_is_drawn_again(monkeypatch):
    taken = CopyFactory().code
    fresh = codes.generate()
    drawn = iter([taken, fresh])
    monkeypatch.setattr(codes, "generate", lambda: next(drawn))

    assert catalogue.fresh_codes(1) == [fresh]


@pytest.mark.parametrize("count", [0, -1, 1001])
def test_impossible_counts_are_refused_and_nothing_is_registered(count):
    campaign = CampaignFactory()
    counts = {BookFactory().pk: count}

    with pytest.raises(catalogue.CatalogueError):
        catalogue.register_copies(campaign, counts)

    assert not BookCopy.objects.exists()


def test_a_station_of_another_campaign_is_refused_for_registration():
    with pytest.raises(catalogue.CatalogueError):
        catalogue.register_copies(
            CampaignFactory(), {BookFactory().pk: 2}, station=StationFactory()
        )

    assert not BookCopy.objects.exists()


def test_a_donation_waits_for_approval_with_its_code():
    campaign = CampaignFactory()
    donor = UserFactory()

    copy = catalogue.donate_copy(
        campaign, donor, isbn="978-7-5322-4765-3", title="小小气象站", note="读了三遍"
    )

    assert copy.approval == BookCopy.Approval.PENDING and copy.donor == donor
    assert codes.is_well_formed(copy.code)
    assert copy.book.isbn == "9787532247653"


def test_a_donation_of_a_catalogued_isbn_reuses_the_book():
    book = BookFactory(isbn="9787532247653")

    copy = catalogue.donate_copy(CampaignFactory(), UserFactory(), isbn="7-5322-4765-1")

    assert copy.book == book


def test_a_donation_with_a_wrong_isbn_check_digit_stores_nothing():
    with pytest.raises(ValidationError) as refused:
        catalogue.donate_copy(
            CampaignFactory(), UserFactory(), isbn="978-7-5322-4765-4", title="小小气象站"
        )

    assert "校验位" in refused.value.messages[0]
    assert not Book.objects.exists() and not BookCopy.objects.exists()


def test_a_donation_with_a_hostile_title_stores_nothing():
    with pytest.raises(ValidationError):
        catalogue.donate_copy(CampaignFactory(), UserFactory(), title="笨蛋才看的书")

    assert not Book.objects.exists()


def test_approving_a_donation_puts_it_in_the_drift_and_tells_the_donor():
    campaign = CampaignFactory()
    station = campaign.stations.first()
    copy = catalogue.donate_copy(campaign, UserFactory(), title="小小气象站")

    catalogue.decide_donation(copy, approve=True, by=None, station=station)

    copy.refresh_from_db()
    assert copy.approval == BookCopy.Approval.APPROVED
    assert copy.state == BookCopy.State.AT_STATION and copy.station == station
    notice = ReaderNotice.objects.get(reader=copy.donor)
    assert "小小气象站" in notice.text


def test_a_declined_donation_is_withdrawn_and_deciding_again_changes_nothing():
    copy = catalogue.donate_copy(CampaignFactory(), UserFactory(), title="小小气象站")

    catalogue.decide_donation(copy, approve=False, by=None)
    catalogue.decide_donation(copy, approve=True, by=None)

    copy.refresh_from_db()
    assert copy.approval == BookCopy.Approval.REJECTED
    assert copy.state == BookCopy.State.WITHDRAWN
    assert ReaderNotice.objects.filter(reader=copy.donor).count() == 1
