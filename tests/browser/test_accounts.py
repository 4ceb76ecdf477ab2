import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts.models import User
from accounts.sms import MemorySMSBackend
from tests.captcha import QUESTION, answer_to
from tests.factories.users import PASSWORD, PhoneUserFactory

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
    page.get_by_label("验证码", exact=True).fill(code)
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


def test_a_person_whose_account_is_under_attack_answers_the_captcha_on_a_phone(page, wagtail_tree):
    PhoneUserFactory(phone="+8613812345678")
    # Someone elsewhere has been guessing this number's password.
    stranger = Client()
    for _ in range(5):
        stranger.post(
            "/accounts/login/",
            {"login": "13812345678", "password": "guess"},
            REMOTE_ADDR="198.51.100.1",
        )

    page.goto("/accounts/login/")
    page.get_by_role("button", name="大字模式").click()
    page.get_by_label("手机号或电子邮箱").fill("138 1234 5678")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    # Not locked out: asked a sum, in words, before the password is checked.
    expect(page.get_by_role("alert")).to_contain_text("请先回答下面的算术题")
    question = page.locator("label[for=id_captcha]")
    expect(question).to_have_text(QUESTION)
    answer_box = page.get_by_label(question.inner_text())
    expect(answer_box).to_have_attribute("inputmode", "numeric")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert answer_box.bounding_box()["height"] >= 44

    answer_box.fill(str(answer_to(question.inner_text())))
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    expect(page).to_have_url(re.compile(r"/me/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("我的")


def test_a_phone_user_who_forgot_the_password_sets_a_new_one_by_text_message(page, wagtail_tree):
    MemorySMSBackend.clear()
    user = PhoneUserFactory(phone="+8613812345678")

    page.goto("/accounts/login/")
    page.get_by_role("link", name="忘记密码？").click()
    page.get_by_role("link", name="用短信验证码找回密码").click()
    page.get_by_label("手机号").fill("138 1234 5678")
    page.get_by_role("button", name="获取验证码").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("设置新密码")
    code = re.search(r"验证码是 (\d{6})", MemorySMSBackend.messages_to(user.phone)[-1]).group(1)
    page.get_by_label("验证码").fill(code)
    page.get_by_label("新密码", exact=True).fill("a new phone password 8")
    page.get_by_label("再次输入新密码").fill("a new phone password 8")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="设置新密码").click()

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("body")).to_contain_text("密码已重新设置")
    page.get_by_label("手机号或电子邮箱").fill("13812345678")
    page.get_by_label("密码", exact=True).fill("a new phone password 8")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/me/$"))
