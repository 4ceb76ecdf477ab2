import datetime
import itertools
import uuid

import pytest
from django.db import IntegrityError
from django.utils import timezone

from accounts.models import GuardianConsent
from competitions.bookdrift import journeys
from competitions.bookdrift.models import BookCopy, JourneyStep, ReaderNotice
from tests.bookdrift.helpers import anonymous, catch, reader, release
from tests.concurrency import at_once
from tests.factories.bookdrift import (
    CampaignFactory,
    CopyFactory,
    SchoolClassFactory,
    StationFactory,
)
from tests.factories.users import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_catch_puts_the_copy_in_the_readers_hands():
    copy = CopyFactory()
    user = UserFactory()

    result = catch(copy, user)

    copy.refresh_from_db()
    assert result.created
    assert copy.state == BookCopy.State.READING and copy.station is None
    assert copy.holder == user and copy.steps_count == 1
    assert result.step.sequence == 1 and result.step.kind == JourneyStep.Kind.CATCH
    assert result.step.station == copy.campaign.stations.first()  # where it was picked up


def test_a_release_to_a_station_makes_it_wait_there():
    copy = CopyFactory()
    user = UserFactory()
    station = StationFactory()
    copy.campaign.stations.add(station)
    catch(copy, user)

    release(copy, user, station=station)

    copy.refresh_from_db()
    assert copy.state == BookCopy.State.AT_STATION and copy.station == station
    assert copy.holder is None and copy.holder_key == "" and copy.steps_count == 2


def test_a_release_hand_to_hand_leaves_it_passed_on_until_the_next_catch():
    copy = CopyFactory()
    first, second = UserFactory(), UserFactory()
    catch(copy, first)
    release(copy, first)

    copy.refresh_from_db()
    assert copy.state == BookCopy.State.PASSED_ON
    catch(copy, second)
    copy.refresh_from_db()
    assert copy.holder == second and copy.steps_count == 3


def test_the_same_reader_cannot_catch_the_same_copy_twice_in_a_row():
    copy = CopyFactory()
    user = UserFactory()
    catch(copy, user)
    release(copy, user)

    with pytest.raises(journeys.JourneyError) as refused:
        catch(copy, user)

    assert refused.value.code == "already_caught"
    assert "上一次就是你接漂的" in str(refused.value.message)
    assert JourneyStep.objects.filter(copy=copy).count() == 2


def test_a_reader_may_catch_a_copy_again_after_someone_else_did():
    copy = CopyFactory()
    first, second = UserFactory(), UserFactory()
    catch(copy, first)
    catch(copy, second)

    result = catch(copy, first)

    assert result.created and result.step.sequence == 3


def test_the_database_refuses_a_catch_by_the_previous_catcher():
    copy = CopyFactory()
    user = UserFactory()

    with pytest.raises(IntegrityError):
        JourneyStep.objects.create(
            copy=copy,
            sequence=1,
            kind=JourneyStep.Kind.CATCH,
            reader=user,
            reader_key=f"u:{user.pk}",
            previous_catcher_key=f"u:{user.pk}",
        )


def test_the_database_refuses_two_steps_at_the_same_place_in_a_journey():
    copy = CopyFactory()
    JourneyStep.objects.create(copy=copy, sequence=1, kind=JourneyStep.Kind.LOST)

    with pytest.raises(IntegrityError):
        JourneyStep.objects.create(copy=copy, sequence=1, kind=JourneyStep.Kind.LOST)


def test_repeating_a_catch_with_its_token_returns_the_first_step():
    copy = CopyFactory()
    user = UserFactory()
    token = uuid.uuid4()

    first = catch(copy, user, token=token)
    again = catch(copy, user, token=token)

    assert not again.created and again.step.pk == first.step.pk
    assert JourneyStep.objects.filter(copy=copy).count() == 1


def test_someone_elses_token_is_not_replayed_for_another_reader():
    copy = CopyFactory()
    token = uuid.uuid4()
    catch(copy, UserFactory(), token=token)

    with pytest.raises(journeys.JourneyError):
        catch(copy, UserFactory(), token=token)

    assert JourneyStep.objects.filter(copy=copy).count() == 1


def test_only_the_reader_holding_the_copy_may_release_it():
    copy = CopyFactory()
    holder, stranger = UserFactory(), UserFactory()
    catch(copy, holder)

    with pytest.raises(journeys.JourneyError) as refused:
        release(copy, stranger)

    assert refused.value.code == "not_holder"
    copy.refresh_from_db()
    assert copy.holder == holder and copy.steps_count == 1


def test_a_copy_nobody_holds_cannot_be_released():
    copy = CopyFactory()

    with pytest.raises(journeys.JourneyError) as refused:
        release(copy, UserFactory())

    assert refused.value.code == "not_held"
    assert not JourneyStep.objects.exists()


def test_a_station_of_another_campaign_is_refused_for_a_release():
    copy = CopyFactory()
    user = UserFactory()
    catch(copy, user)

    with pytest.raises(journeys.JourneyError):
        release(copy, user, station=StationFactory())

    assert JourneyStep.objects.filter(copy=copy).count() == 1


def test_catching_someone_elses_copy_hands_it_over():
    copy = CopyFactory()
    first, second = UserFactory(), UserFactory()
    catch(copy, first)

    catch(copy, second)

    copy.refresh_from_db()
    assert copy.holder == second and copy.last_catcher_key == f"u:{second.pk}"


def test_catching_a_lost_copy_finds_it():
    copy = CopyFactory()
    journeys.organiser_step(copy, JourneyStep.Kind.LOST, by=None)

    catch(copy, UserFactory())

    copy.refresh_from_db()
    assert copy.state == BookCopy.State.READING


def test_nothing_drifts_before_the_campaign_starts_or_after_it_ends():
    today = timezone.localdate()
    later = CopyFactory(
        campaign=CampaignFactory(
            starts_on=today + datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=9)
        )
    )
    over = CopyFactory(
        campaign=CampaignFactory(
            starts_on=today - datetime.timedelta(days=9), ends_on=today - datetime.timedelta(days=1)
        )
    )

    for copy, code in ((later, "not_started"), (over, "ended")):
        with pytest.raises(journeys.JourneyError) as refused:
            catch(copy, UserFactory())
        assert refused.value.code == code
    assert not JourneyStep.objects.exists()


def test_a_donation_waiting_for_approval_cannot_be_caught():
    copy = CopyFactory(
        approval=BookCopy.Approval.PENDING,
        source=BookCopy.Source.DONATED,
        donor=UserFactory(),
        state=BookCopy.State.REGISTERED,
        station=None,
    )

    with pytest.raises(journeys.JourneyError) as refused:
        catch(copy, UserFactory())

    assert refused.value.code == "pending"


def test_anonymous_readers_are_refused_unless_the_campaign_allows_them():
    copy = CopyFactory()

    with pytest.raises(journeys.JourneyError) as refused:
        catch(copy, anonymous())

    assert refused.value.code == "sign_in"
    assert not JourneyStep.objects.exists()


def test_an_anonymous_reader_gives_a_nickname_and_a_place_and_can_release():
    copy = CopyFactory(campaign=CampaignFactory(allow_anonymous=True))
    someone = anonymous("小火箭")

    catch(copy, someone, place=journeys.Place(text="人民路社区"))
    release(copy, someone)

    steps = list(copy.steps.order_by("sequence"))
    assert steps[0].nickname == "小火箭" and steps[0].reader_id is None
    assert steps[0].show_identity is False
    assert [step.kind for step in steps] == ["catch", "release"]


def test_an_anonymous_reader_without_nickname_or_place_is_refused():
    copy = CopyFactory(campaign=CampaignFactory(allow_anonymous=True))

    with pytest.raises(journeys.JourneyError):
        catch(copy, anonymous(""))
    with pytest.raises(journeys.JourneyError):
        catch(copy, anonymous("书虫"), place=journeys.Place())

    assert not JourneyStep.objects.exists()


@pytest.mark.parametrize(
    "note",
    [
        "你真是个笨蛋",
        "加我微信 zhangsan_1990",
        "电话 138 1234 5678",
        "看这里 www.example.com",
        "字" * 201,
    ],
)
def test_hostile_or_personal_notes_are_refused_and_nothing_is_written(note):
    copy = CopyFactory()

    with pytest.raises(journeys.JourneyError) as refused:
        catch(copy, UserFactory(), note=note)

    assert any("\u4e00" <= c <= "\u9fff" for c in str(refused.value.message))
    assert not JourneyStep.objects.exists()
    copy.refresh_from_db()
    assert copy.state == BookCopy.State.AT_STATION


def test_a_pupils_note_waits_for_approval_and_an_adults_is_public():
    copy = CopyFactory()
    pupil, adult = PupilFactory(), UserFactory()

    by_pupil = catch(copy, pupil, note="下一位读者要爱护它哦").step
    by_adult = catch(copy, adult, note="书里的拉页很好看").step

    assert by_pupil.text_status == JourneyStep.TextStatus.PENDING
    assert by_adult.text_status == JourneyStep.TextStatus.APPROVED


def test_a_step_without_text_needs_no_approval():
    step = catch(CopyFactory(), PupilFactory()).step

    assert step.text_status == JourneyStep.TextStatus.NONE


def test_a_class_of_the_campaign_is_recorded_with_its_school():
    school_class = SchoolClassFactory()
    copy = CopyFactory()
    copy.campaign.classes.add(school_class)

    step = catch(copy, UserFactory(), place=journeys.Place(class_id=school_class.pk)).step

    assert step.school_class == school_class and step.school == school_class.school


def test_a_class_outside_the_campaign_is_refused():
    copy = CopyFactory()

    with pytest.raises(journeys.JourneyError):
        catch(copy, UserFactory(), place=journeys.Place(class_id=SchoolClassFactory().pk))

    assert not JourneyStep.objects.exists()


def test_earlier_readers_are_told_their_book_travels_on(django_capture_on_commit_callbacks):
    copy = CopyFactory()
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        catch(copy, first)
        catch(copy, second)
    assert not ReaderNotice.objects.filter(reader=second).exists()

    with django_capture_on_commit_callbacks(execute=True):
        catch(copy, third)

    told = set(ReaderNotice.objects.values_list("reader_id", flat=True))
    assert told == {first.pk, second.pk}
    assert ReaderNotice.objects.filter(reader=first).count() == 2
    assert not ReaderNotice.objects.filter(reader=third).exists()


def test_the_organisers_place_report_lost_and_withdraw_copies():
    copy = CopyFactory()
    station = copy.campaign.stations.first()

    journeys.organiser_step(copy, JourneyStep.Kind.LOST, by=None)
    journeys.organiser_step(copy, JourneyStep.Kind.PLACED, by=None, station=station)
    journeys.organiser_step(copy, JourneyStep.Kind.WITHDRAWN, by=None)

    copy.refresh_from_db()
    assert copy.state == BookCopy.State.WITHDRAWN and copy.steps_count == 3
    with pytest.raises(journeys.JourneyError):
        catch(copy, UserFactory())


def test_a_guardian_consent_does_not_change_who_caught_what():
    pupil = PupilFactory()
    GuardianConsent.objects.create(
        child=pupil,
        guardian_phone="+8613700000001",
        decision="agree",
        scope="display",
        policy_version="x",
    )
    step = catch(CopyFactory(), reader(pupil), show_identity=True).step

    assert step.show_identity and step.reader == pupil


# --- at the same moment, on PostgreSQL ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_readers_catching_at_the_same_moment_leave_one_consistent_journey():
    copy = CopyFactory()
    users = [UserFactory() for _ in range(8)]

    results = at_once([lambda u=u: catch(copy, u) for u in users])

    assert all(isinstance(result, journeys.StepResult) for result in results), results
    steps = list(copy.steps.order_by("sequence"))
    assert [step.sequence for step in steps] == list(range(1, 9))
    assert {step.reader_id for step in steps} == {user.pk for user in users}
    for earlier, later in itertools.pairwise(steps):
        assert later.previous_catcher_key == earlier.reader_key
    copy.refresh_from_db()
    assert copy.steps_count == 8 and copy.holder_id == steps[-1].reader_id
    assert copy.last_catcher_key == steps[-1].reader_key


@pytest.mark.django_db(transaction=True)
def test_a_double_tap_with_two_forms_at_the_same_moment_catches_once():
    copy = CopyFactory()
    user = UserFactory()

    results = at_once([lambda: catch(copy, user) for _ in range(5)])

    created = [r for r in results if isinstance(r, journeys.StepResult)]
    refused = [r for r in results if isinstance(r, journeys.JourneyError)]
    assert len(created) == 1 and len(refused) == 4
    assert all(error.code == "already_caught" for error in refused)
    assert copy.steps.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_repeated_request_with_one_token_at_the_same_moment_writes_one_step():
    copy = CopyFactory()
    user = UserFactory()
    token = uuid.uuid4()

    results = at_once([lambda: catch(copy, user, token=token) for _ in range(5)])

    assert all(isinstance(r, journeys.StepResult) for r in results), results
    assert sum(r.created for r in results) == 1
    assert len({r.step.pk for r in results}) == 1
    assert copy.steps.count() == 1
