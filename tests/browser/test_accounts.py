import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.sms import MemorySMSBackend

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_signing_up_by_phone_on_a_phone_goes_through_the_age_step(page, wagtail_tree):
    MemorySMSBackend.clear()

    page.goto("/accounts/signup/")

    # The age step comes first and asks for nothing else.
    expect(page).to_have_url(re.compile(r"/accounts/age/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("你是哪年哪月出生的？")
    page.get_by_label("出生年份").fill("1995")
    page.get_by_label("出生月份").select_option("6")
    page.get_by_role("button", name="继续").click()

    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    expect(page.locator("main")).to_contain_text("出生年月：1995年6月")
    page.get_by_label("手机号", exact=True).fill("138 1234 5678")
    page.get_by_label("密码", exact=True).fill("a long phone password 7")
    page.get_by_label("密码（重复）").fill("a long phone password 7")
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page).to_have_url(re.compile(r"/accounts/phone/verify/$"))
    messages = MemorySMSBackend.messages_to("+8613812345678")
    code = re.search(r"验证码是 (\d{6})", messages[-1]).group(1)
    page.get_by_label("代码", exact=True).fill(code)
    page.get_by_role("button", name="确认", exact=True).click()

    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")
    user = User.objects.get()
    assert user.phone == "+8613812345678" and user.phone_verified
    assert (user.birth_year, user.birth_month) == (1995, 6)
    # Nothing wider than the phone's screen, and tap targets are big enough.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    height = page.get_by_role("button", name="保存资料").bounding_box()["height"]
    assert height >= 44
