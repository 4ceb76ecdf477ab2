"""A student signs in on a phone, writes a typed-in entry and submits it."""

import re

import pytest
from playwright.sync_api import expect

from competitions.submissions.models import Entry
from tests.factories.contests import ContestFactory
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_phone_submits_a_typed_in_entry_and_sees_its_number(page, wagtail_tree):
    contest = ContestFactory(title="科学家精神读后感征集")
    user = UserFactory(email="pupil@example.org")

    page.goto(f"/contest/{contest.pk}/enter/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/contest/{contest.pk}/enter/"))

    page.get_by_label("标题").fill("读《钱学森传》有感")
    page.get_by_label("组别").select_option(label="初中组")
    page.locator("textarea[name=text]").fill("钱学森回国的故事让我懂得了什么是科学家精神。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存。")).to_be_visible()

    page.get_by_role("button", name="提交作品").click()
    expect(page.get_by_role("heading", name="作品已提交")).to_be_visible()
    entry = Entry.objects.get()
    assert entry.status == Entry.Status.SUBMITTED
    expect(page.locator(".entry-receipt__number")).to_have_text(entry.display_number)
    assert entry.display_number == f"C{contest.pk}-0001"
