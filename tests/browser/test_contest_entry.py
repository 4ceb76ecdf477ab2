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


@pytest.mark.worker
def test_a_phone_uploads_a_big_picture_and_sees_its_check_finish_in_place(
    page, live_server, wagtail_tree, celery_worker
):
    from django.conf import settings
    from django.test import Client

    from competitions.submissions import entries
    from competitions.submissions.models import EntryFile, EntryKind
    from tests.factories.uploads import big_png

    contest = ContestFactory(title="月球车科学画征集", entry_kinds=[EntryKind.IMAGE])
    user = UserFactory()
    entry = entries.save_draft(
        contest, user, {"title": "月球车", "group": contest.groups.first(), "kind": "image"}
    )
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"/contest/entries/{entry.public_id}/edit/")
    upload_form = page.locator("form[action$='/upload/']")
    upload_form.locator("input[type=file]").set_input_files(
        {"name": "月球车.png", "mimeType": "image/png", "buffer": big_png()}
    )
    upload_form.get_by_role("button", name="上传").click()

    expect(page.get_by_text("文件已上传，正在检查。")).to_be_visible()
    expect(page.locator(".entry-file--pending")).to_contain_text("正在检查")
    page.locator("textarea[name=description]").fill("我画的是在月球背面工作的玉兔二号。")

    expect(page.locator(".entry-file--accepted")).to_contain_text("已通过", timeout=60_000)
    expect(page.locator("[data-entry-files-status]")).to_have_text("所有文件都已检查完毕。")
    # The list changed in place: what the pupil was typing is still there.
    expect(page.locator("textarea[name=description]")).to_have_value(
        "我画的是在月球背面工作的玉兔二号。"
    )
    assert EntryFile.objects.get().state == EntryFile.State.ACCEPTED
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
