"""A 科协 organiser at a desk: signs in to /admin/, reads the dashboard, hands entries to a
judge, rules one out, downloads a contest's files and certificates, and creates a page
whose Chinese title gets a short pinyin address, all in Simplified Chinese."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from wagtail.admin.admin_url_finder import AdminURLFinder

from competitions.bookdrift.models import BookCopy
from competitions.judging.models import Assignment
from competitions.quizzes.models import Quiz
from competitions.submissions.models import (
    AwardCertificate,
    Contest,
    ContestPage,
    Entry,
    Ineligibility,
)
from content.models import ArticlePage, SectionPage
from demo.contests import READING_SLUG, VIDEO_SLUG
from tests.factories.organisers import EDITORS, OrganiserFactory
from tests.factories.reach import site_home
from tests.factories.users import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def desk(browser, live_server):
    """A desktop browser window; fails the test on any console or page error."""
    context = browser.new_context(
        viewport=DESKTOP, locale="zh-CN", base_url=live_server.url, accept_downloads=True
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.expected_errors = set()
    yield page
    context.close()
    unexpected = [error for error in errors if error not in page.expected_errors]
    assert not unexpected, f"browser console errors: {unexpected}"


@pytest.fixture
def organiser(staff_groups):
    return OrganiserFactory(username="wang", display_name="王组织", groups=[EDITORS])


def sign_in(desk, user):
    desk.goto("/admin/")
    desk.locator("input[name=username]").fill(user.username)
    desk.locator("input[name=password]").fill(PASSWORD)
    desk.get_by_role("button", name="登录").click()
    expect(desk.get_by_role("heading", name="正在进行的知识竞答")).to_be_visible()


def contest_of(slug):
    return ContestPage.objects.select_related("contest").get(slug=slug).contest


def confirm(desk, action):
    """Clicks the confirmation page's button (the sidebar's search and sign-out are forms too)."""
    desk.locator("main").get_by_role("button", name=action).click()


def choose_entries(desk, contest, count=None):
    desk.goto(f"/admin/snippets/submissions/entry/?contest={contest.pk}")
    boxes = desk.locator("input[data-bulk-action-checkbox]")
    if count is None:
        desk.locator("input[data-bulk-action-select-all-checkbox]").first.check()
    else:
        for index in range(count):
            boxes.nth(index).check()


def test_an_organiser_reads_the_dashboard_and_hands_entries_to_a_judge(desk, demo_site, organiser):
    videos = contest_of(VIDEO_SLUG)
    expert = UserFactory(display_name="吕研究员", username="lv", birth_year=None)
    pupil = videos.entries.first().author

    sign_in(desk, organiser)

    for heading in ("作品征集", "需要关注的公众投票", "奖品领取", "本周海报扫码"):
        expect(desk.get_by_role("heading", name=heading)).to_be_visible()
    contests_panel = desk.get_by_role("region", name="作品征集")
    expect(contests_panel.get_by_text(videos.title)).to_be_visible()
    expect(contests_panel.get_by_text("“初评”已提交评分")).to_be_visible()

    choose_entries(desk, videos, count=2)
    desk.get_by_role("link", name="分配给评委").click()
    search = desk.get_by_label("评委")
    search.fill(pupil.display_name or pupil.username)
    desk.wait_for_timeout(600)
    expect(desk.locator("[data-results] button")).to_have_count(0)  # pupils never offered
    search.fill("吕")
    desk.locator("[data-results] button", has_text="吕研究员").click()
    expect(desk.locator("[data-chosen]")).to_contain_text("吕研究员")
    confirm(desk, "分配给评委")

    expect(desk.get_by_text("已创建 2 条评审分配")).to_be_visible()
    assert Assignment.objects.filter(judge=expert).count() == 2

    choose_entries(desk, videos, count=1)
    desk.get_by_role("link", name="判定不符合要求").click()
    desk.get_by_label("原因").fill("作品时长超过征集要求")
    confirm(desk, "判定不符合要求")

    expect(desk.get_by_text("1 件作品已判定为不符合要求")).to_be_visible()
    expect(desk.get_by_text("不符合要求：作品时长超过征集要求")).to_be_visible()
    assert Ineligibility.objects.get().decided_by == organiser


def test_an_organiser_downloads_a_contests_files_and_prints_its_certificates(
    desk, demo_site, organiser
):
    reading = contest_of(READING_SLUG)
    sign_in(desk, organiser)

    choose_entries(desk, reading)
    desk.get_by_role("link", name="下载全部文件（ZIP）").click()
    with desk.expect_download() as download:
        confirm(desk, "下载全部文件（ZIP）")
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as zipped:
        names = zipped.namelist()
    numbers = [entry.display_number for entry in reading.entries.order_by("number")]
    assert names and all(name.split(".")[0] in numbers for name in names)
    authors = {entry.author.display_name for entry in reading.entries.all()} - {""}
    assert not any(author in name for author in authors for name in names)

    choose_entries(desk, reading)
    desk.get_by_role("link", name="打印获奖证书（PDF）").click()
    with desk.expect_download() as download:
        confirm(desk, "打印获奖证书（PDF）")
    pdf = PdfReader(download.value.path())
    assert len(pdf.pages) == AwardCertificate.objects.filter(award__contest=reading).count() > 0


@pytest.fixture
def home(wagtail_tree):
    return site_home()


def test_an_editor_gives_a_new_page_a_chinese_title_and_gets_a_short_pinyin_address(
    desk, home, organiser
):
    sign_in(desk, organiser)

    desk.goto(f"/admin/pages/add/content/sectionpage/{home.pk}/")
    desk.locator("#id_title").fill("社区健康讲座")
    desk.get_by_role("tab", name="推荐").click()
    expect(desk.locator("#id_slug")).to_have_value("shequ-jiankang-jiangzuo")
    desk.locator("#id_slug").fill("")
    desk.expected_errors.add(  # Wagtail answers a refused form with 400, as it should
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    )
    desk.get_by_role("button", name="保存草稿").click()

    # What is missing is said in Chinese, and the first error is one click away.
    expect(desk.get_by_role("button", name="转到第一处错误")).to_be_visible()
    desk.get_by_role("tab", name="推荐").click()
    desk.locator("#id_slug").fill("jiankang-jiangzuo")
    desk.get_by_role("button", name="保存草稿").click()
    expect(desk.get_by_text("页面'社区健康讲座'已创建")).to_be_visible()
    assert SectionPage.objects.get(title="社区健康讲座").slug == "jiankang-jiangzuo"


def test_a_new_page_keeps_its_pinyin_address_when_saved_as_is(desk, home, organiser):
    sign_in(desk, organiser)

    desk.goto(f"/admin/pages/add/content/sectionpage/{home.pk}/")
    desk.locator("#id_title").fill("应急避险小课堂")
    desk.get_by_role("tab", name="推荐").click()
    expect(desk.locator("#id_slug")).to_have_value("yingji-bixian-xiao-ketang")
    desk.get_by_role("button", name="保存草稿").click()

    expect(desk.get_by_text("页面'应急避险小课堂'已创建")).to_be_visible()
    section = SectionPage.objects.get(title="应急避险小课堂")
    assert section.slug == "yingji-bixian-xiao-ketang"
    assert section.url_path.endswith("/yingji-bixian-xiao-ketang/")


# What an organiser may read in Latin letters on an admin page: abbreviations Chinese
# admin screens use as they are, file types, and what the demo content itself is named.
LATIN_ALLOWED = {
    "ZIP",
    "PDF",
    "PNG",
    "XLSX",
    "CSV",
    "Excel",
    "Word",
    "QR",
    "URL",
    "API",
    "ID",
    "SMS",
    "ISBN",
}

# Pages an organiser works on, beyond those the sidebar links to.
ORGANISER_LISTINGS = (
    "/admin/snippets/submissions/entry/",
    "/admin/snippets/submissions/contest/",
    "/admin/snippets/quizzes/quiz/",
)

LATIN_WORDS_SCRIPT = """(allowed) => {
    const words = new Set();
    const take = (text) => {
        for (const word of (text || '').match(/[A-Za-z]{3,}/g) || []) {
            if (!allowed.includes(word)) words.add(word);
        }
    };
    take(document.querySelector('main').innerText);
    take(document.querySelector('#wagtail-sidebar').innerText);
    take(document.title);
    const named = 'main [aria-label], main [placeholder], main [title]';
    for (const el of document.querySelectorAll(named)) {
        take(el.getAttribute('aria-label'));
        take(el.getAttribute('placeholder'));
        take(el.getAttribute('title'));
    }
    return [...words].sort();
}"""


def latin_words_on(desk, path, allowed):
    desk.goto(path)
    return desk.evaluate(LATIN_WORDS_SCRIPT, sorted(allowed))


def test_every_page_an_organiser_opens_speaks_chinese(desk, demo_site, organiser):
    sign_in(desk, organiser)
    sidebar = desk.locator("#wagtail-sidebar-props").text_content()
    paths = {"/admin/", *ORGANISER_LISTINGS}
    paths |= {
        path
        for path in re.findall(r'"(/admin/[^"?#]*)"', sidebar)
        if "logout" not in path and "delete" not in path
    }
    article = ArticlePage.objects.live().first()
    urls = AdminURLFinder(organiser)
    paths |= {
        urls.get_edit_url(item) for item in (article, Contest.objects.first(), Quiz.objects.first())
    }
    paths.add(f"/admin/snippets/submissions/entry/inspect/{Entry.objects.first().pk}/")
    paths.add(f"/admin/pages/{article.get_parent().pk}/")

    # Book copies' printed codes are data, not English (shown in groups: any part of one).
    codes = {
        code[start:end]
        for code in BookCopy.objects.values_list("code", flat=True)
        for start in range(len(code))
        for end in range(start + 3, len(code) + 1)
    }
    allowed = LATIN_ALLOWED | {"Wagtail", organiser.username} | codes
    english = {}
    for path in sorted(paths):
        if words := latin_words_on(desk, path, allowed):
            english[path] = words
    assert not english, "\n".join(f"{path}: {words}" for path, words in english.items())
