"""The drift on the home page's 正在进行 and on the 我的 page, through the project's hooks."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from competitions.bookdrift.wagtail_hooks import my_drift_books, open_drifts
from kepu.days import day_start, local_day
from tests.bookdrift.helpers import catch, release
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.reach import site_home
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_running_public_campaigns_are_open_now_until_the_end_of_their_last_day():
    today = local_day()
    running = CampaignFactory(title="科学家绘本漂流", ends_on=today + 3 * DAY)
    CampaignFactory(title="不公开的漂流", is_public=False)
    CampaignFactory(title="已经结束的漂流", starts_on=today - 9 * DAY, ends_on=today - DAY)

    items = open_drifts(timezone.now()).items

    assert [item.title for item in items] == ["科学家绘本漂流"]
    assert items[0].url == reverse("bookdrift:campaign", args=[running.slug])
    assert items[0].until == day_start(today + 4 * DAY)


def test_the_next_change_is_the_next_campaigns_first_morning_or_a_running_ones_end():
    today = local_day()
    CampaignFactory(ends_on=today + 9 * DAY)
    CampaignFactory(starts_on=today + 2 * DAY, ends_on=today + 20 * DAY)

    assert open_drifts(timezone.now()).next_change == day_start(today + 2 * DAY)


def test_the_home_page_lists_a_running_drift_under_open_now(client):
    site_home()
    campaign = CampaignFactory(title="科学家绘本漂流")

    html = client.get("/").content.decode()

    assert "正在进行" in html and "科学家绘本漂流" in html
    assert html.index(reverse("bookdrift:campaign", args=[campaign.slug])) < html.index(
        "site-footer"
    )


def test_the_my_section_lists_the_latest_books_and_which_the_reader_holds():
    user = UserFactory()
    holding = CopyFactory(book__title="大桥的骨头")
    read = CopyFactory(book__title="冰芯里的秘密")
    catch(read, user)
    release(read, user)
    catch(holding, user)
    request = RequestFactory().get("/me/")
    request.user = user

    section = my_drift_books(request)

    assert [row["copy"] for row in section["books"]] == [holding, read]
    assert section["read"] == 2 and section["holding"] == 1
    assert section["anchor"] == "my-drift"


def test_people_who_never_drifted_have_no_my_section():
    request = RequestFactory().get("/me/")
    request.user = UserFactory()

    assert my_drift_books(request) is None
