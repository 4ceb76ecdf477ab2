"""Sharing an article from a phone: WeChat's menu hint inside WeChat, the link elsewhere."""

import pytest
from playwright.sync_api import expect

from tests.factories.pages import ArticlePageFactory
from tests.factories.reach import site_home

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN"
)


@pytest.fixture
def article(wagtail_tree):
    return ArticlePageFactory(parent=site_home(), title="家庭防火与燃气安全必修课")


def test_in_wechat_the_share_button_points_at_wechats_own_menu(browser, live_server, article):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        user_agent=WECHAT_UA,
        base_url=live_server.url,
    )
    page = context.new_page()
    page.goto(article.url)

    page.get_by_role("button", name="分享给朋友").click()

    hint = page.locator("[data-wechat-hint]")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("右上角")
    page.get_by_role("button", name="知道了").click()
    expect(hint).to_be_hidden()
    context.close()


def test_elsewhere_the_share_button_copies_the_public_link(page, article):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.add_init_script("delete Navigator.prototype.share")
    page.goto(article.url)

    page.get_by_role("button", name="分享给朋友").click()

    expect(page.get_by_role("status").filter(has_text="链接已复制")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"https://kepu.example.org{article.url}"
    card = page.get_by_role("link", name="生成朋友圈分享图")
    assert card.get_attribute("href") == f"/share/page/{article.pk}.png"
