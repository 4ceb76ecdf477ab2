import io
import json
import zipfile

import pytest

from accounts.deletion import delete_account
from accounts.exports import write_export
from competitions.bookdrift import catalogue
from competitions.bookdrift.models import BookCopy, JourneyStep
from tests.bookdrift.helpers import catch, release
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_a_readers_export_holds_their_steps_notes_and_donations():
    user = UserFactory()
    copy = CopyFactory(book__title="大桥的骨头")
    catch(copy, user, note="拉页好看")
    catalogue.donate_copy(copy.campaign, user, title="小小气象站")

    archive = io.BytesIO()
    write_export(user, archive)

    data = json.loads(zipfile.ZipFile(archive).read("data.json"))["book_drift"]
    assert data["journey_steps"][0]["book"] == "大桥的骨头"
    assert data["journey_steps"][0]["note"] == "拉页好看"
    assert data["donations"][0]["book"] == "小小气象站"


def test_deleting_an_account_keeps_the_journey_but_not_the_reader(
    django_capture_on_commit_callbacks,
):
    user, other = UserFactory(), UserFactory()
    copy = CopyFactory()
    catch(copy, user, note="拉页好看")
    catch(copy, other)
    pending = catalogue.donate_copy(CampaignFactory(), user, title="待审核")

    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user)

    steps = list(copy.steps.order_by("sequence"))
    assert len(steps) == 2
    assert steps[0].reader is None and steps[0].note == "" and steps[0].reader_key.startswith("x:")
    assert steps[1].previous_catcher_key == steps[0].reader_key
    assert not BookCopy.objects.filter(pk=pending.pk).exists()


def test_after_deletion_the_journeys_rules_still_hold():
    user, other = UserFactory(), UserFactory()
    copy = CopyFactory()
    catch(copy, user)
    release(copy, user)
    delete_account(user)

    catch(copy, other)

    assert JourneyStep.objects.filter(copy=copy).count() == 3
