"""Taking a quiz on a phone: the start from the quiz page, the whole paper in one page, answers
in batches, replays after a reload or a dropped connection, leaving the page counted, the
result answering the submit."""

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from competitions.quizzes.models import AnswerBatch, Question, QuizAttempt, QuizPage
from tests.browser.sessions import sign_in
from tests.factories.pages import HomePageFactory
from tests.factories.quizzes import QuestionBankFactory, QuestionFactory, QuizFactory
from tests.factories.users import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def quiz(wagtail_tree, settings):
    settings.KEPU_QUIZ_SAVE_DELAY_SECONDS = 1
    bank = QuestionBankFactory()
    # True-or-false questions keep their order, so the first option is the right one.
    QuestionFactory.create_batch(
        6, bank=bank, kind=Question.Kind.TRUE_FALSE, choices=[("正确", True), ("错误", False)]
    )
    return QuizFactory(bank=bank, sign_in_required=False)


def quiz_requests(page) -> list[str]:
    seen = []
    page.on(
        "request",
        lambda request: (
            "/quiz/" in request.url
            and seen.append(f"{request.method} {request.url.split('/quiz/')[1]}")
        ),
    )
    return seen


def start(page, quiz):
    page.goto(f"/quiz/{quiz.pk}/start/")
    page.wait_for_load_state("load")
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题，共 5 题")).to_be_visible()


def current(page):
    return page.locator(".quiz-paper__item.is-current")


def answer_right(page):
    current(page).locator(".quiz-option").first.click()


@pytest.fixture
def quiz_page(quiz):
    from wagtail.models import Page, Site

    home = HomePageFactory(parent=Page.get_first_root_node(), slug="home-quiz")
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return home.add_child(instance=QuizPage(title="防疫竞答", slug="q", quiz=quiz, summary="摘要"))


def signed_in_with_csrf_cookie(page, live_server, user=None):
    """A participant as signing in leaves them: the session and the CSRF cookie."""
    from django.conf import settings
    from django.utils.crypto import get_random_string

    user = user or UserFactory()
    sign_in(page, user, live_server.url)
    page.context.add_cookies(
        [
            {
                "name": settings.CSRF_COOKIE_NAME,
                "value": get_random_string(32),
                "url": live_server.url,
            }
        ]
    )
    return user


def finish(page, total=5):
    for position in range(1, total + 1):
        answer_right(page)
        if position < total:
            page.get_by_role("button", name="下一题").click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()


def test_a_signed_in_phone_takes_the_quiz_from_the_cached_quiz_page_in_three_requests(
    page, live_server, quiz, quiz_page, settings
):
    settings.KEPU_QUIZ_SAVE_DELAY_SECONDS = 10  # the answers never rest that long here
    other = UserFactory()
    signed_in_with_csrf_cookie(page, live_server, other)
    page.goto(quiz_page.url)  # another participant's visit fills the cache
    page.context.clear_cookies()
    player = signed_in_with_csrf_cookie(page, live_server)
    requests = quiz_requests(page)
    responses = []
    page.on("response", lambda r: r.url.endswith(quiz_page.url) and responses.append(r))

    page.goto(quiz_page.url)
    expect(page.get_by_role("link", name="开始答题")).to_be_hidden()
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题，共 5 题")).to_be_visible()
    finish(page)

    expect(page.locator(".quiz-score__number")).to_have_text("5 / 5")
    assert responses[0].headers.get("x-page-cache") == "hit"
    attempt = QuizAttempt.objects.get(user=player)
    assert attempt.status == "submitted" and attempt.score == 5
    assert not any(r.startswith("GET ") and r.endswith(f"{quiz.pk}/start/") for r in requests)
    posts = [r for r in requests if r.startswith("POST")]
    assert posts[0] == f"POST {quiz.pk}/start/" and posts[-1].endswith("/submit/")
    assert len(posts) == 2  # start, submit (carrying every answer); and the quiz page's GET
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("cache", ["miss", "hit"])
def test_a_first_visit_from_a_qr_code_reaches_the_paper_in_one_tap_from_the_quiz_page(
    page, live_server, quiz, quiz_page, cache
):
    import urllib.request

    if cache == "hit":  # another phone's visit filled the page cache
        urllib.request.urlopen(live_server.url + quiz_page.url).close()  # noqa: S310 (test server)
    requests = quiz_requests(page)
    responses = []
    page.on("response", lambda r: r.url.endswith(quiz_page.url) and responses.append(r))

    page.goto(quiz_page.url)  # a fresh browser: no cookie at all
    expect(page.get_by_role("link", name="开始答题")).to_be_hidden()
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题，共 5 题")).to_be_visible()
    finish(page)

    expect(page.locator(".quiz-score__number")).to_have_text("5 / 5")
    assert responses[0].headers.get("x-page-cache") == cache
    assert not any(r.endswith(f"{quiz.pk}/start/") for r in requests if r.startswith("GET "))
    posts = [r for r in requests if r.startswith("POST")]
    assert posts[0] == f"POST {quiz.pk}/start/" and len(posts) <= 3  # start, a batch, submit
    assert QuizAttempt.objects.get().user is None  # an anonymous participant, by cookie


def test_the_quiz_page_says_continue_while_this_phone_has_an_attempt_open(page, quiz, quiz_page):
    page.goto(quiz_page.url)
    page.get_by_role("button", name="开始答题").click()
    expect(page.get_by_text("第 1 题，共 5 题")).to_be_visible()
    answer_right(page)

    page.goto(quiz_page.url)
    page.get_by_role("button", name="继续答题").click()
    expect(page.get_by_text("第 2 题，共 5 题")).to_be_visible()  # the same paper, resumed
    finish(page, total=4)
    expect(page.locator(".quiz-score__number")).to_have_text("5 / 5")
    page.goto(quiz_page.url)

    expect(page.get_by_role("button", name="开始答题")).to_be_visible()
    expect(page.get_by_role("button", name="继续答题")).to_have_count(0)
    assert QuizAttempt.objects.count() == 1


def test_a_participant_whose_attempts_are_used_up_is_told_so_in_chinese_on_tapping_start(
    page, live_server, quiz, quiz_page
):
    quiz.attempts_per_day = 1
    quiz.save()
    signed_in_with_csrf_cookie(page, live_server)
    page.goto(quiz_page.url)
    page.get_by_role("button", name="开始答题").click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page.locator(".quiz-score__number")).to_have_text("0 / 5")

    page.goto(quiz_page.url)
    page.get_by_role("button", name="开始答题").click()

    expect(page.get_by_text("今天的答题次数已用完，请明天再来。")).to_be_visible()
    expect(page.get_by_text("今天的 1 次答题机会已用完")).to_be_visible()
    expect(page.get_by_role("button", name="开始答题")).to_have_count(0)
    assert QuizAttempt.objects.count() == 1


def test_a_phone_takes_the_whole_paper_in_five_requests_and_a_reload_loses_nothing(page, quiz):
    requests = quiz_requests(page)
    start(page, quiz)
    attempt = QuizAttempt.objects.get()
    assert page.url.endswith(f"/quiz/a/{attempt.public_id}/#q1")  # a reload does not post again

    answer_right(page)
    page.get_by_role("button", name="下一题").click()
    expect(page.get_by_text("第 2 题，共 5 题")).to_be_visible()
    answer_right(page)
    # Kept on the phone at once; sent in one batch a second later.
    expect(page.locator("[data-save-status]")).to_have_text("所有答案已保存。")
    assert AnswerBatch.objects.count() == 1

    page.get_by_role("button", name="下一题").click()
    answer_right(page)
    page.reload()  # before its batch went: the answer waits in local storage
    expect(page.get_by_text("第 3 题，共 5 题")).to_be_visible()
    expect(current(page).locator("input").first).to_be_checked()
    expect(page.locator("[data-save-status]")).to_have_text("所有答案已保存。")
    attempt.refresh_from_db()
    assert attempt.answered_count() == 3

    for position in (4, 5):
        page.locator(".quiz-map__item", has_text=re.compile(rf"^{position}$")).click()
        expect(page.get_by_text(f"第 {position} 题，共 5 题")).to_be_visible()
        answer_right(page)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()

    expect(page.locator(".quiz-score__number")).to_have_text("5 / 5")
    expect(page.get_by_text("答案与解析")).to_be_visible()
    assert page.url.endswith(f"/quiz/a/{attempt.public_id}/result/")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 5
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kepu-quiz'))") == []
    posts = [r for r in requests if r.startswith("POST")]
    # start, the batches (the reload replayed its unsent answer), the submit with the rest
    assert posts[0] == f"POST {quiz.pk}/start/" and posts[-1].endswith("/submit/")
    assert len(posts) <= 5
    assert not any("?q=" in r for r in requests)  # no question was fetched on its own
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_answers_are_sent_once_they_rest_and_at_the_latest_after_the_longest_wait(
    page, quiz, settings
):
    """The save timer is a debounce: a phone changing its answer every half second sends
    nothing until the answers rest for the save delay, and never waits longer than the
    longest wait from the oldest unsent change. The page's clock is Playwright's, moved by
    the test, so a slow machine cannot make a timer fire early."""
    settings.KEPU_QUIZ_SAVE_DELAY_SECONDS = 2
    settings.KEPU_QUIZ_SAVE_MAX_SECONDS = 4
    saves = []
    page.on("request", lambda request: request.url.endswith("/save/") and saves.append(request))
    page.clock.install()
    start(page, quiz)
    # From here the page's time moves on demand (Python gives it in seconds).
    page.clock.pause_at(page.evaluate("Date.now()") / 1000 + 1)
    options = current(page).locator(".quiz-option")

    def change(index):
        # A tap as the page's script sees it (a click waits for animation frames, which
        # the paused clock holds back).
        options.nth(index % 2).locator("input").evaluate("input => input.click()")
        page.clock.run_for(500)
        page.wait_for_timeout(200)  # a request a timer sent is seen by now
        return len(saves)

    # 4 changes, then 0.5 s: 2 s since the first, never 2 s at rest; a timer counted from
    # the first change would have fired.
    assert [change(index) for index in range(4)] == [0, 0, 0, 0]
    page.clock.run_for(1_500)  # now they have rested 2 s
    expect(page.locator("[data-save-status]")).to_have_text("所有答案已保存。")
    assert AnswerBatch.objects.count() == 1

    # A change every 0.5 s for 5 s: the batch goes 4 s after the first of them (after the
    # eighth change's half second), the rest once they have rested.
    sent = [change(index) for index in range(10)]
    assert sent == [1] * 7 + [2] * 3, sent
    page.clock.run_for(2_000)
    expect(page.locator("[data-save-status]")).to_have_text("所有答案已保存。")
    assert len(saves) == 3 and AnswerBatch.objects.count() == 3
    assert QuizAttempt.objects.get().answered_count() == 1


def test_answers_given_offline_are_kept_and_sent_when_the_network_returns(page, quiz):
    start(page, quiz)
    page.context.set_offline(True)

    answer_right(page)
    expect(page.locator("[data-save-status]")).to_contain_text("网络已断开")
    page.context.set_offline(False)

    expect(page.locator("[data-save-status]")).to_have_text("所有答案已保存。", timeout=15_000)
    assert QuizAttempt.objects.get().answered_count() == 1
    # The failed attempts to send while offline are the only errors the browser logged.
    assert page.console_errors and all("DISCONNECTED" in e for e in page.console_errors)
    page.console_errors.clear()


def held(page, routes: list, seconds: float = 15) -> None:
    """Waits until the page has sent a request that `routes` now holds (fails after `seconds`)."""
    for _ in range(int(seconds * 10)):
        if routes:
            return
        page.wait_for_timeout(100)
    pytest.fail(f"the page sent nothing to hold within {seconds} s")


def leave_and_return(page):
    """What switching to another app and back does to the page (WeChat, a phone's home key)."""
    for state in ("hidden", "visible"):
        page.evaluate(
            "state => { Object.defineProperty(document, 'visibilityState',"
            " {value: state, configurable: true});"
            " document.dispatchEvent(new Event('visibilitychange')); }",
            state,
        )


def test_leaving_the_page_is_counted_after_a_warning_and_submits_at_the_limit(page, quiz):
    quiz.count_page_leaves = True
    quiz.max_page_leaves = 2
    quiz.save()
    page.goto(f"/quiz/{quiz.pk}/start/")
    expect(page.get_by_text("达到 2 次将自动交卷")).to_be_visible()  # before it counts
    page.get_by_role("button", name="开始答题").click()
    answer_right(page)
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.accept())

    leave_and_return(page)
    expect(page.locator("[data-leave-count]")).to_have_text("你已切屏 1 次，达到 2 次将自动交卷。")
    leave_and_return(page)

    expect(page.locator(".quiz-score__number")).to_be_visible()
    attempt = QuizAttempt.objects.get()
    assert attempt.auto_submitted == "page_leaves" and attempt.page_leaves == 2
    assert attempt.answered_count() == 1
    assert dialogs and "切屏 1 次" in dialogs[0]
    expect(page.get_by_text("切屏次数过多")).to_be_visible()


def test_without_javascript_the_quiz_is_one_question_per_screen(
    browser, live_server, quiz, quiz_page
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{quiz_page.url}")
    expect(page.get_by_role("button", name="开始答题")).to_be_hidden()
    page.get_by_role("link", name="开始答题").click()
    page.get_by_role("button", name="开始答题").click()
    for position in range(1, 6):
        expect(page.get_by_text(f"第 {position} 题，共 5 题")).to_be_visible()
        page.locator(".quiz-option").first.click()
        if position < 5:
            page.get_by_role("button", name="保存并下一题").click()
    page.get_by_role("button", name="交卷").click()

    expect(page.locator(".quiz-score__number")).to_have_text("5 / 5")
    assert AnswerBatch.objects.count() == 5  # each screen posted its answer once
    context.close()


def test_after_todays_attempts_a_phone_is_told_when_to_come_back_instead_of_a_button(page, quiz):
    quiz.attempts_per_day = 1
    quiz.save()
    start(page, quiz)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    expect(page.locator(".quiz-score__number")).to_have_text("0 / 5")

    page.goto(f"/quiz/{quiz.pk}/start/")

    expect(page.get_by_text("今天的 1 次答题机会已用完")).to_be_visible()
    expect(page.get_by_role("button", name="开始答题")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("server_takes_submit_first", [False, True])
def test_saves_still_on_their_way_when_the_paper_is_submitted_are_dropped_quietly(
    page, quiz, server_takes_submit_first
):
    """The race of a slow network: a save is on its way, the pupil answers one more question
    and taps 交卷, the save comes back. The submit carries every unconfirmed answer, so the
    page sends nothing more; a save the server takes after the submit is dropped, not
    reported as a failure."""
    held_saves, held_submits = [], []
    page.route("**/save/", lambda route: held_saves.append(route))
    page.route("**/submit/", lambda route: held_submits.append(route))
    start(page, quiz)
    answer_right(page)
    held(page, held_saves)  # the batch is scheduled a second after the choice
    page.get_by_role("button", name="下一题").click()
    answer_right(page)  # unsaved while the first batch is on its way
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click(no_wait_after=True)
    held(page, held_submits)

    def let_through(route):
        with contextlib.suppress(PlaywrightError):  # the page may have let go of it
            route.continue_()
        page.wait_for_timeout(500)

    if not server_takes_submit_first:
        let_through(held_saves[0])  # comes back while the submit is on its way
    submitted = held_submits[0].fetch(max_redirects=0)  # the server takes the submit
    for route in held_saves[0 if server_takes_submit_first else 1 :]:
        let_through(route)  # the attempt is finished: the server answers 409
    held_submits[0].fulfill(response=submitted)

    expect(page.locator(".quiz-score__number")).to_have_text("2 / 5")
    assert len(held_saves) == 1  # nothing was sent once the submit had left
    attempt = QuizAttempt.objects.get()
    assert attempt.status == "submitted" and attempt.answered_count() == 2
    # The page fixture fails the test on any console error (a logged 409 included).


def test_leaving_twice_while_saves_are_on_their_way_ends_on_the_result_quietly(page, quiz):
    """The second leave submits the paper while the first leave's save (and the beacon sent
    as the page was hidden) are still on their way; the server takes the submit first."""
    quiz.count_page_leaves = True
    quiz.max_page_leaves = 2
    quiz.save()
    held_saves, held_submits = [], []
    page.route("**/save/", lambda route: held_saves.append(route))
    page.route("**/submit/", lambda route: held_submits.append(route))
    start(page, quiz)
    answer_right(page)
    page.on("dialog", lambda dialog: dialog.accept())

    leave_and_return(page)
    leave_and_return(page)
    held(page, held_submits)
    submitted = held_submits[0].fetch(max_redirects=0)
    for route in held_saves:
        with contextlib.suppress(PlaywrightError):  # the page may have let go of it
            route.continue_()
        page.wait_for_timeout(300)
    held_submits[0].fulfill(response=submitted)

    expect(page.locator(".quiz-score__number")).to_be_visible()
    attempt = QuizAttempt.objects.get()
    assert attempt.auto_submitted == "page_leaves" and attempt.answered_count() == 1
    # The page fixture fails the test on any console error (a logged 409 included).
