"""A pupil's phone: from the QR label's address to catching the book and writing a review."""

import re

import pytest
from playwright.sync_api import expect

from competitions.bookdrift.models import BookReview
from competitions.submissions.models import Entry, EntryKind
from tests.factories.bookdrift import CampaignFactory, CopyFactory, SchoolFactory
from tests.factories.contests import ContestFactory
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_phone_opens_a_copy_catches_it_and_submits_a_review(page, wagtail_tree):
    contest = ContestFactory(title="绘本读后感征集", entry_kinds=[EntryKind.TEXT])
    copy = CopyFactory(
        campaign=CampaignFactory(title="科学家故事绘本漂流季", review_contest=contest),
        book__title="大桥的骨头",
    )
    SchoolFactory(name="西湖小学")
    user = UserFactory(email="reader@example.org", display_name="周一航")

    page.goto(f"/d/{copy.code}")
    expect(page.get_by_role("heading", name="大桥的骨头")).to_be_visible()
    expect(page.get_by_text(copy.display_code)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="我拿到这本书了").click()
    page.locator("main").get_by_role("link", name="登录", exact=True).click()
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/d/{copy.code}/catch$"))

    page.get_by_label("漂流纸条").fill("工程师真了不起，下一位读者请轻轻打开拉页。")
    page.get_by_role("button", name="接漂这本书").click()
    page.wait_for_url(re.compile(rf"/d/{copy.code}$"))
    expect(page.get_by_text("接漂成功！")).to_be_visible()
    expect(page.get_by_role("link", name="我把它放漂了")).to_be_visible()
    expect(page.get_by_text("工程师真了不起")).to_be_visible()
    copy.refresh_from_db()
    assert copy.holder == user and copy.steps_count == 1

    page.get_by_role("link", name="写读后感").click()
    expect(page.get_by_label("标题")).to_have_value("读《大桥的骨头》有感")
    page.get_by_label("组别").select_option(label="小学组")
    page.get_by_label("读后感正文").fill("桥墩被“种”进江底，钢梁一节一节“长”过江面，我读了三遍。")
    page.get_by_label("学校").select_option(label="西湖小学")
    page.get_by_role("button", name="提交读后感").click()

    expect(page.get_by_role("heading", name="作品已提交")).to_be_visible()
    entry = Entry.objects.get()
    expect(page.locator(".entry-receipt__number")).to_have_text(entry.display_number)
    assert entry.contest == contest and entry.status == Entry.Status.SUBMITTED
    assert BookReview.objects.get().entry == entry
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
