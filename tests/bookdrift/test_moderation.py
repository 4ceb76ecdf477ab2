import pytest

from competitions.bookdrift import moderation
from competitions.bookdrift.models import JourneyStep
from competitions.core.models import ModerationWord
from tests.bookdrift.helpers import catch
from tests.factories.bookdrift import CopyFactory
from tests.factories.users import PupilFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_approving_makes_pending_notes_public_and_records_who_did_it(client):
    copy = CopyFactory()
    step = catch(copy, PupilFactory(), note="下一位读者要爱护它").step
    organiser = StaffFactory()

    changed = moderation.decide([step.pk], approve=True, by=organiser)

    step.refresh_from_db()
    assert changed == 1
    assert step.text_status == "approved" and step.moderated_by == organiser
    assert "下一位读者要爱护它" in client.get(f"/d/{copy.code}").content.decode()


def test_rejecting_keeps_a_note_off_every_page(client):
    copy = CopyFactory()
    step = catch(copy, PupilFactory(), note="这本书不好看").step

    moderation.decide([step.pk], approve=False, by=None)

    assert "这本书不好看" not in client.get(f"/d/{copy.code}").content.decode()


def test_only_pending_notes_change():
    copy = CopyFactory()
    adult = catch(copy, UserFactory(), note="推荐").step

    changed = moderation.decide([adult.pk], approve=False, by=None)

    adult.refresh_from_db()
    assert changed == 0 and adult.text_status == JourneyStep.TextStatus.APPROVED


def test_the_queue_marks_words_the_list_gained_since():
    step = catch(CopyFactory(), PupilFactory(), note="书里的小怪兽很可爱").step
    ModerationWord.objects.create(word="怪兽")

    assert list(moderation.pending_texts()) == [step]
    assert moderation.flagged_words(step) == ["怪兽"]
