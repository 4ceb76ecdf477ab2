import pytest

from accounts.models import GuardianConsent
from competitions.bookdrift import journeys, timeline
from tests.bookdrift.helpers import anonymous, catch, release
from tests.factories.bookdrift import CampaignFactory, CopyFactory, SchoolClassFactory
from tests.factories.users import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_timeline_is_newest_first_with_stations_always_shown():
    copy = CopyFactory()
    station = copy.campaign.stations.first()
    user = UserFactory()
    catch(copy, user)
    release(copy, user, station=station)

    rows = timeline.recent(copy)

    assert [row.kind for row in rows] == ["release", "catch"]
    assert station.name in rows[0].action and station.name in rows[1].action


def test_a_named_reader_shows_with_school_and_class_and_an_unnamed_one_does_not():
    school_class = SchoolClassFactory(name="四年级（1）班")
    copy = CopyFactory()
    copy.campaign.classes.add(school_class)
    named, hidden = PupilFactory(display_name="星星"), PupilFactory(display_name="豆豆")
    GuardianConsent.objects.create(
        child=named,
        guardian_phone="+8613700000001",
        decision="agree",
        scope="display",
        policy_version="x",
    )
    place = journeys.Place(class_id=school_class.pk)
    catch(copy, hidden, place=place, show_identity=True)
    catch(copy, named, place=place, show_identity=True)

    newest, oldest = timeline.recent(copy)

    assert newest.reader == "星星" and "四年级（1）班" in newest.place
    assert oldest.reader == "" and oldest.place == ""


def test_an_anonymous_readers_nickname_and_place_never_show():
    copy = CopyFactory(campaign=CampaignFactory(allow_anonymous=True))
    catch(copy, anonymous("书虫"), place=journeys.Place(text="阳光小区"))

    (row,) = timeline.recent(copy)

    assert row.reader == "" and row.place == ""


def test_pages_of_the_journey_hold_fifty_steps_newest_first():
    copy = CopyFactory()
    readers = [UserFactory(), UserFactory()]
    for n in range(55):
        catch(copy, readers[n % 2])

    copy.refresh_from_db()
    first, second = timeline.page(copy, 1), timeline.page(copy, 2)

    assert timeline.page_count(copy) == 2
    assert [row.sequence for row in first] == list(range(55, 5, -1))
    assert [row.sequence for row in second] == [5, 4, 3, 2, 1]
