"""Taking a quiz over HTTP: the whole paper, batches, the submit with the result page, the
one-question-per-screen flow without JavaScript, secrets, foreign attempts."""

import json
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from competitions.quizzes import attempts, papers
from competitions.quizzes.models import AnswerBatch, Choice, QuizAttempt
from tests.factories.quizzes import QuizFactory, UnitFactory, make_bank
from tests.factories.users import UserFactory

from .paper_helpers import batch_json, correct_tokens, tokens_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    return QuizFactory()


@pytest.fixture
def player(client):
    user = UserFactory()
    client.force_login(user)
    return user


def start(client, quiz, **data):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]), data)
    assert response.status_code == 302, response.content.decode()[:500]
    return QuizAttempt.objects.latest("started_at")


def test_sign_in_is_required_for_a_prize_quiz(client, quiz):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not QuizAttempt.objects.exists()


def test_anonymous_participants_take_an_open_quiz_with_a_cookie(client):
    quiz = QuizFactory(sign_in_required=False)

    attempt = start(client, quiz)

    assert attempt.participant_key.startswith("a:") and attempt.user is None
    assert client.get(reverse("quizzes:attempt", args=[attempt.public_id])).status_code == 200


def test_the_question_page_never_contains_answers_or_choice_ids(client, quiz, player):
    attempt = start(client, quiz)
    choice_ids = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}

    for position in range(1, 6):
        html = client.get(reverse("quizzes:attempt", args=[attempt.public_id]), {"q": position})
        text = html.content.decode()
        values = set(re.findall(r'name="option" value="([^"]+)"', text))
        assert len(values) == 4 and not values & choice_ids
        assert "is_correct" not in text and "correct" not in text.lower().replace("incorrect", "")
        assert "20秒" in text or position > 0  # options are shown as text
        assert "揉搓不少于20秒" not in text  # no explanation before submission


def test_a_whole_quiz_without_javascript(client, quiz, player):
    attempt = start(client, quiz)
    url = reverse("quizzes:attempt", args=[attempt.public_id])
    for position in range(1, 6):
        page = client.get(url, {"q": position}).content.decode()
        first_option = re.search(r'name="option" value="([^"]+)"', page).group(1)
        save_token = re.search(r'name="save_token" value="([^"]+)"', page).group(1)
        client.post(
            url,
            {
                "position": position,
                "option": first_option,
                "save_token": save_token,
                "action": "next",
            },
        )

    response = client.post(
        url, {"position": 5, "action": "submit", "submit_token": str(uuid.uuid4())}
    )

    assert response.status_code == 302 and response["Location"].endswith("/result/")
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score is not None
    result = client.get(response["Location"]).content.decode()
    assert f"{attempt.score} / 5" in result
    assert "揉搓不少于20秒" in result  # explanations after submission (review policy)


def save_url(attempt):
    return reverse("quizzes:save", args=[attempt.public_id])


def test_a_batch_is_saved_as_quiz_js_sends_it_and_replays_idempotently(client, quiz, player):
    attempt = start(client, quiz)
    body = {"batch": batch_json({1: (1, tokens_at(attempt, 1)[:1])})}

    first = client.post(save_url(attempt), body)
    again = client.post(save_url(attempt), body)

    assert first.json() == {
        "saved": True,
        "replayed": False,
        "sequences": {"1": 1},
        "leaves": 0,
        "finished": False,
    }
    assert again.json()["replayed"] is True
    assert AnswerBatch.objects.count() == 1


def test_a_batch_may_also_come_as_a_json_body(client, quiz, player):
    attempt = start(client, quiz)

    response = client.post(
        save_url(attempt),
        batch_json({2: (3, tokens_at(attempt, 2)[:1])}),
        content_type="application/json",
    )

    assert response.json()["sequences"] == {"2": 3}


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "{}",
        '{"token": "1", "answers": []}',
        "[1, 2]",
        '{"token": "TOKEN", "answers": [{"q": 1e400, "s": 1, "o": []}]}',
        '{"token": "TOKEN", "answers": [{"q": 1, "s": NaN, "o": []}]}',
        '{"token": "TOKEN", "answers": [{"q": 1, "s": 1, "o": [], "x": 1}]}',
        '{"token": "TOKEN", "token": "TOKEN", "answers": []}',
        '{"token": "TOKEN", "answers": [{"q": 99999999999, "s": 1, "o": []}]}',
        '{"token": "TOKEN", "answers": [{"q": true, "s": 1, "o": []}]}',
        '{"token": "TOKEN", "answers": [[[[[[]]]]]]}',
        "[" * 5000 + "]" * 5000,
        '{"token": "TOKEN", "answers": [], "leaves": -1}',
        '{"token": "TOKEN", "answers": [{"q": 1, "s": 1, "o": ["' + "x" * 99 + '"]}]}',
    ],
    ids=[
        "not-json",
        "empty",
        "bad-token",
        "list",
        "huge-float",
        "nan",
        "unknown-key",
        "repeated-key",
        "long-number",
        "bool",
        "too-deep",
        "very-deep",
        "negative",
        "long-option",
    ],
)
def test_malformed_batches_get_a_chinese_400_and_change_nothing(client, quiz, player, body):
    attempt = start(client, quiz)

    response = client.post(save_url(attempt), {"batch": body.replace("TOKEN", str(uuid.uuid4()))})

    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", response.json()["error"])
    assert not AnswerBatch.objects.exists()


def test_an_oversized_batch_is_refused_before_it_is_read(client, quiz, player):
    attempt = start(client, quiz)

    response = client.post(save_url(attempt), {"batch": "x" * 40_000})

    assert response.status_code == 400 and "太多" in response.json()["error"]


def test_with_javascript_the_start_answers_with_the_whole_paper(client, quiz, player):
    response = client.post(reverse("quizzes:start", args=[quiz.pk]), {"js": "1"})

    assert response.status_code == 200
    attempt = QuizAttempt.objects.get()
    html = response.content.decode()
    for position in range(1, 6):
        assert set(re.findall(rf'name="q{position}" value="([^"]+)"', html)) == set(
            tokens_at(attempt, position)
        )
    assert f'data-replace-url="/quiz/a/{attempt.public_id}/"' in html
    state = json.loads(
        re.search(r'id="quiz-state" type="application/json">(.*?)</script>', html)[1]
    )
    assert state["saveUrl"].endswith("/save/") and 0 < state["secondsLeft"] <= 600
    choice_ids = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}
    assert not set(re.findall(r'value="([^"]+)"', html)) & choice_ids
    assert "揉搓不少于20秒" not in html and "is_correct" not in html


def test_the_paper_shows_saved_answers_and_resumes_on_reload(client, quiz, player):
    attempt = start(client, quiz)
    chosen = tokens_at(attempt, 2)[1]
    client.post(save_url(attempt), {"batch": batch_json({2: (4, [chosen])})})

    html = client.get(reverse("quizzes:attempt", args=[attempt.public_id])).content.decode()

    assert f'name="q2" value="{chosen}" checked' in html
    state = json.loads(
        re.search(r'id="quiz-state" type="application/json">(.*?)</script>', html)[1]
    )
    assert state["sequences"] == {"2": 4}


def test_submitting_the_paper_carries_unsaved_answers_and_answers_with_the_result(
    client, quiz, player
):
    attempt = start(client, quiz)
    right = correct_tokens(attempt)
    client.post(save_url(attempt), {"batch": batch_json({1: (1, right[1])})})
    rest = {position: (position, right[position]) for position in range(2, 6)}

    response = client.post(
        reverse("quizzes:submit", args=[attempt.public_id]),
        {"submit_token": str(uuid.uuid4()), "batch": batch_json(rest)},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "5 / 5" in html and f'data-replace-url="/quiz/a/{attempt.public_id}/result/"' in html
    attempt.refresh_from_db()
    assert attempt.status == "submitted" and attempt.score == 5


def test_the_paper_without_javascript_submits_its_choices(client, quiz, player):
    attempt = start(client, quiz)
    right = correct_tokens(attempt)
    form = {f"q{position}": right[position] for position in (1, 2, 3)}
    token = str(uuid.uuid4())

    first = client.post(
        reverse("quizzes:submit", args=[attempt.public_id]), {"submit_token": token, **form}
    )
    again = client.post(
        reverse("quizzes:submit", args=[attempt.public_id]), {"submit_token": token, **form}
    )

    assert "3 / 5" in first.content.decode() and "3 / 5" in again.content.decode()
    assert AnswerBatch.objects.count() == 1


def test_a_bad_batch_in_the_submit_keeps_the_attempt_open_with_a_message(client, quiz, player):
    attempt = start(client, quiz)

    response = client.post(
        reverse("quizzes:submit", args=[attempt.public_id]),
        {"submit_token": str(uuid.uuid4()), "batch": "{broken"},
        follow=True,
    )

    assert "无法读取" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_the_fair_play_rules_are_shown_before_the_start(client, player):
    quiz = QuizFactory(count_page_leaves=True, max_page_leaves=3, idle_timeout_seconds=120)

    html = client.get(reverse("quizzes:start", args=[quiz.pk])).content.decode()

    assert "切换到其他应用" in html and "3 次" in html and "120 秒" in html


def test_another_users_attempt_is_not_found(client, quiz, player):
    attempt = start(client, quiz)
    client.force_login(UserFactory())

    for name in ("attempt", "result"):
        assert client.get(reverse(f"quizzes:{name}", args=[attempt.public_id])).status_code == 404
    response = client.post(reverse("quizzes:submit", args=[attempt.public_id]))
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == "in_progress"


def test_unknown_attempt_ids_are_not_found(client, player):
    assert client.get(reverse("quizzes:attempt", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/quiz/a/not-a-uuid/").status_code == 404


def test_closed_quiz_shows_a_message_and_starts_nothing(client, player):
    import datetime

    from django.utils import timezone

    quiz = QuizFactory(
        opens_at=timezone.now() - datetime.timedelta(days=9),
        closes_at=timezone.now() - datetime.timedelta(days=1),
    )

    response = client.post(reverse("quizzes:start", args=[quiz.pk]), follow=True)

    assert "已结束" in response.content.decode() or "没有开放" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_a_quiz_with_units_requires_choosing_one(client, player):
    quiz = QuizFactory(unit_kind="school")
    school = UnitFactory(kind="school")

    refused = client.post(reverse("quizzes:start", args=[quiz.pk]), {})
    assert refused.status_code == 200 and not QuizAttempt.objects.exists()

    attempt = start(client, quiz, unit=school.pk)
    assert attempt.unit == school


def chosen_options(page: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', page)


def test_a_unit_chosen_before_signing_in_is_still_chosen_on_the_start_page_after_it(client):
    """An anonymous reader picks their school on the cached quiz page of a sign-in quiz and
    taps start: signing in brings them back to the start page with that school chosen."""
    from tests.factories.users import PASSWORD

    quiz = QuizFactory(unit_kind="school")
    school = UnitFactory(kind="school", name="实验小学")
    UnitFactory(kind="school", name="第二小学")
    user = UserFactory()

    sent = client.post(reverse("quizzes:start", args=[quiz.pk]), {"js": "1", "unit": school.pk})
    assert sent.status_code == 302 and sent["Location"].startswith("/accounts/login/")
    next_url = parse_qs(urlsplit(sent["Location"]).query)["next"][0]
    signed_in = client.post(
        sent["Location"], {"login": user.email, "password": PASSWORD, "next": next_url}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == next_url
    page = client.get(next_url).content.decode()

    assert chosen_options(page) == [str(school.pk)] and "实验小学" in page
    assert not QuizAttempt.objects.exists()  # the participant still taps start


@pytest.mark.parametrize("unit", ["999999", "foreign", "inactive", "abc", "1e3", "-1", "9" * 40])
def test_a_unit_in_the_start_pages_address_that_is_not_the_quizs_is_ignored(client, player, unit):
    quiz = QuizFactory(unit_kind="school")
    UnitFactory(kind="school")
    values = {
        "foreign": lambda: str(UnitFactory(kind="employer").pk),
        "inactive": lambda: str(UnitFactory(kind="school", is_active=False).pk),
    }
    value = values.get(unit, lambda: unit)()

    response = client.get(reverse("quizzes:start", args=[quiz.pk]), {"unit": value})

    assert response.status_code == 200
    assert chosen_options(response.content.decode()) == [""]  # 请选择…


def test_an_unknown_unit_posted_before_signing_in_is_not_carried_to_the_sign_in(client):
    quiz = QuizFactory(unit_kind="school")

    sent = client.post(reverse("quizzes:start", args=[quiz.pk]), {"unit": "999999"})

    assert sent.status_code == 302
    next_url = parse_qs(urlsplit(sent["Location"]).query)["next"][0]
    assert next_url == reverse("quizzes:start", args=[quiz.pk])


def test_leaderboard_shows_masked_names_and_my_rank(client, quiz, player):
    player.display_name = "张小明"
    player.save()
    attempt = start(client, quiz)
    attempts.submit_attempt(attempt, client_token=uuid.uuid4())

    html = client.get(reverse("quizzes:leaderboard", args=[quiz.pk])).content.decode()

    assert "张小明" not in html and "张*" in html
    assert "排名 1。" in html


def test_hot_path_query_counts_do_not_grow_with_questions_or_attempts(
    client, player, django_assert_max_num_queries
):
    from tests.factories.quizzes import FinishedAttemptFactory, make_bank

    quiz = QuizFactory(bank=make_bank(40), questions_per_attempt=30)
    FinishedAttemptFactory.create_batch(30, quiz=quiz)
    # Built once per process and quiz version, not per request: the site, the organiser's
    # settings and the quiz's question material.
    client.get(reverse("quizzes:start", args=[quiz.pk]))
    papers.material_for(quiz)

    with django_assert_max_num_queries(5):
        attempt = start(client, quiz)
    answers = {position: (position, tokens_at(attempt, position)[:1]) for position in range(1, 31)}
    with django_assert_max_num_queries(7):
        client.post(save_url(attempt), {"batch": batch_json(answers)})
    # The session, the site and the footer's settings come from caches, the questions from
    # the quiz version's material: the user and the attempt remain.
    with django_assert_max_num_queries(3):
        client.get(reverse("quizzes:attempt", args=[attempt.public_id]))
    with django_assert_max_num_queries(3):
        client.get(reverse("quizzes:attempt", args=[attempt.public_id]), {"q": 3})
    with django_assert_max_num_queries(16):
        client.post(
            reverse("quizzes:submit", args=[attempt.public_id]),
            {"submit_token": str(uuid.uuid4())},
        )


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_cached_quiz_page_switches_to_the_start_when_the_quiz_opens(client, signed_in):
    import datetime
    import time

    from django.utils import timezone

    if signed_in:
        client.force_login(UserFactory())
    quiz = QuizFactory(
        opens_at=timezone.now() + datetime.timedelta(seconds=3),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    page = quiz_page_for(quiz, slug="opening")
    client.get(page.url)

    before = client.get(page.url)
    assert before["X-Page-Cache"] == "hit" and "尚未开始" in before.content.decode()
    assert "data-quiz-start" not in before.content.decode()
    time.sleep(3.2)
    after = client.get(page.url).content.decode()
    assert "开始答题" in after and "data-quiz-start" in after and "尚未开始" not in after


def take_whole_quiz(client, page, quiz, *, pause=True) -> list:
    """What quiz.js does: the quiz page, the start posted from it (the paper), one batch if
    the phone paused long enough (`pause`), and the submit with the paper's attempt token
    (the lean path) carrying the answers not sent yet."""
    responses = [client.get(page.url)]
    assert f'action="{reverse("quizzes:start", args=[quiz.pk])}"' in responses[0].content.decode()
    responses.append(client.post(reverse("quizzes:start", args=[quiz.pk]), {"js": "1"}))
    paper = responses[-1].content.decode()
    public_id = re.search(r'data-replace-url="/quiz/a/([0-9a-f-]+)/"', paper)[1]
    answers = {
        int(position): (int(position), [token])
        for position, token in re.findall(r'name="q(\d+)" value="([^"]+)"', paper)
    }
    token = re.search(r'name="attempt_token" value="([^"]+)"', paper)[1]
    if pause:
        responses.append(
            client.post(
                f"/quiz/a/{public_id}/save/",
                {"batch": batch_json(answers)},
                HTTP_X_QUIZ_TOKEN=token,
            )
        )
        answers = {}
    responses.append(
        client.post(
            f"/quiz/a/{public_id}/submit/",
            {
                "submit_token": str(uuid.uuid4()),
                "batch": batch_json(answers),
                "attempt_token": token,
            },
        )
    )
    return responses


@pytest.mark.parametrize("questions", [10, 30])
@pytest.mark.parametrize(("pause", "budget"), [(True, 24), (False, 19)])
def test_a_complete_attempt_stays_within_its_statement_budget(
    client, player, questions, pause, budget
):
    """Quiz page (from the cache), start (the paper), a batch of answers when the phone
    paused (`pause`; quiz.js's save timer is a debounce, so a phone answering the whole paper
    without resting KEPU_QUIZ_SAVE_DELAY_SECONDS sends every answer with the submit), submit
    (the result): the statements, with the health check production runs once per request,
    stay within the budget and do not grow with the number of questions. 24 with the batch
    (17 statements, the transactions' savepoints included, and 4 health checks), 19 without
    (13 and 3); a passing score adds 2, the certificate's outbox message and the result
    page's certificate; one more should the item counters' outbox message the first
    participant's submit recorded be already close to due."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.quizzes import make_bank

    quiz = QuizFactory(bank=make_bank(questions + 5), questions_per_attempt=questions)
    page = quiz_page_for(quiz, slug="budget")
    # Another participant first: what is built once per process (memos, the question
    # material, the quiz page in the cache) or per quiz every few seconds (the rank's
    # per-score counts) is warm.
    first = UserFactory()
    client.force_login(first)
    take_whole_quiz(client, page, quiz, pause=pause)
    client.force_login(player)

    with CaptureQueriesContext(connection) as statements:
        responses = take_whole_quiz(client, page, quiz, pause=pause)

    assert [response.status_code for response in responses] == [200] * (4 if pause else 3)
    assert responses[0]["X-Page-Cache"] == "hit"
    assert f"/ {questions}" in responses[-1].content.decode()  # the result page
    listing = "\n".join(q["sql"][:100] for q in statements.captured_queries)
    assert len(statements) + len(responses) <= budget, listing
    assert QuizAttempt.objects.get(user=player).answered_count() == questions


def quiz_page_for(quiz, slug="facts"):
    from wagtail.models import Page, Site

    from competitions.quizzes.models import QuizPage
    from tests.factories.pages import HomePageFactory

    home = HomePageFactory(parent=Page.get_first_root_node(), slug=f"home-{slug}")
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", root_page=home, is_default_site=True)
    return home.add_child(instance=QuizPage(title="竞答", slug=slug, quiz=quiz, summary="摘要"))


def use_todays_attempts(client, quiz):
    for _number in range(quiz.attempts_per_day):
        attempt = start(client, quiz)
        attempts.submit_attempt(attempt, client_token=uuid.uuid4())


def test_the_quiz_page_shows_the_number_of_questions_a_paper_really_has(client, player):
    from competitions.quizzes.models import QuizDrawRule

    quiz = QuizFactory(bank=make_bank(12), questions_per_attempt=10)
    QuizDrawRule.objects.create(quiz=quiz, count=4)
    page = quiz_page_for(quiz)

    html = client.get(page.url).content.decode()
    attempt = start(client, quiz)

    assert "4 道题" in html and "10 道题" not in html
    assert len(attempt.paper) == 4


def test_after_todays_attempts_the_start_page_says_when_to_come_back_instead_of_a_button(
    client, quiz, player
):
    use_todays_attempts(client, quiz)

    html = client.get(reverse("quizzes:start", args=[quiz.pk])).content.decode()

    assert "今天的 3 次答题机会已用完" in html and "明天" in html and "0:00" in html
    assert "data-quiz-start" not in html and "开始答题" not in html


def test_after_todays_attempts_the_start_from_the_quiz_page_says_when_to_come_back(
    client, quiz, player
):
    page = quiz_page_for(quiz)
    use_todays_attempts(client, quiz)
    html = client.get(page.url).content.decode()
    assert "data-quiz-start" in html and "已用完" not in html  # the same page for everyone

    response = client.post(reverse("quizzes:start", args=[quiz.pk]), {"js": "1"}, follow=True)

    assert response.redirect_chain == [(reverse("quizzes:start", args=[quiz.pk]), 302)]
    text = response.content.decode()
    assert "今天的答题次数已用完，请明天再来。" in text
    assert "今天的 3 次答题机会已用完" in text and "明天" in text
    assert QuizAttempt.objects.filter(user=player).count() == 3


def test_a_participant_with_an_open_attempt_who_taps_start_resumes_it(client, quiz, player):
    page = quiz_page_for(quiz)
    attempt = start(client, quiz)
    client.get(page.url)

    paper = client.post(reverse("quizzes:start", args=[quiz.pk]), {"js": "1"}).content.decode()

    assert f'data-replace-url="/quiz/a/{attempt.public_id}/"' in paper
    assert QuizAttempt.objects.count() == 1


def test_a_signed_in_participants_quiz_page_comes_from_the_cache_and_is_nobody_elses(client):
    quiz = QuizFactory()
    page = quiz_page_for(quiz)
    first = UserFactory(display_name="张小明")
    attempts.submit_attempt(
        attempts.start_attempt(quiz, key=attempts.participant_key(first), user=first),
        client_token=uuid.uuid4(),
    )
    client.force_login(first)
    seen_first = client.get(page.url)
    second = UserFactory(display_name="李小红")
    client.force_login(second)

    seen_second = client.get(page.url)

    assert seen_first["X-Page-Cache"] == "miss" and seen_second["X-Page-Cache"] == "hit"
    assert seen_second.content == seen_first.content
    html = seen_second.content.decode()
    for personal in ("张小明", "李小红", first.username, second.username, "已用完"):
        assert personal not in html
    # The "continue" label is only the script's to show, on a phone with an attempt open.
    assert ">继续答题<" not in html and 'data-continue-text="继续答题"' in html
    assert "我的" in html and 'href="/accounts/login/' not in html
    assert 'csrfmiddlewaretoken" value=""' in html
    assert seen_first.cookies["csrftoken"].value not in html  # the phone's own, not the page's


def test_anonymous_readers_get_their_own_copy_of_the_quiz_page_with_the_sign_in_link(client):
    page = quiz_page_for(QuizFactory())
    client.force_login(UserFactory())
    client.get(page.url)
    client.logout()

    first, second = client.get(page.url), client.get(page.url)

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "登录" in second.content.decode() and "我的" not in second.content.decode()


def test_the_quiz_page_of_someone_who_may_use_the_admin_is_never_stored(client, player):
    from django.contrib.auth.models import Group

    page = quiz_page_for(QuizFactory())
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="编辑"))
    client.force_login(editor)
    assert "X-Page-Cache" not in client.get(page.url)
    client.force_login(player)

    assert client.get(page.url)["X-Page-Cache"] == "miss"


def test_the_quiz_page_form_starts_with_the_csrf_cookies_token_as_quiz_js_sends_it(player):
    from django.conf import settings
    from django.test import Client

    quiz = QuizFactory(unit_kind="school")
    school = UnitFactory(kind="school", name="实验小学")
    page = quiz_page_for(quiz)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(player)
    html = browser.get(page.url).content.decode()
    assert "实验小学" in html  # the unit list is on the cached page
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value  # set by the quiz page itself

    refused = browser.post(reverse("quizzes:start", args=[quiz.pk]), {"js": "1", "unit": school.pk})
    paper = browser.post(
        reverse("quizzes:start", args=[quiz.pk]),
        {"js": "1", "unit": school.pk, "csrfmiddlewaretoken": token},
    )

    assert refused.status_code == 403
    assert paper.status_code == 200 and "data-replace-url" in paper.content.decode()
    assert QuizAttempt.objects.get().unit == school


def test_a_quiz_with_every_attempt_used_says_there_are_no_more(client, player):
    quiz = QuizFactory(attempts_total=1)
    attempts.submit_attempt(start(client, quiz), client_token=uuid.uuid4())

    html = client.get(reverse("quizzes:start", args=[quiz.pk])).content.decode()

    assert "没有更多" in html and "data-quiz-start" not in html


def test_a_first_visit_gets_a_csrf_cookie_from_the_cached_quiz_page_and_starts_with_it():
    """A phone arriving from a QR poster, with no cookie at all: the quiz page (the miss that
    renders it, then hits) gives each phone a CSRF cookie of its own, never in the page,
    whose body is the same bytes for everyone; the start form posted with the cookie's
    token answers with the paper."""
    from django.conf import settings
    from django.test import Client

    quiz = QuizFactory(sign_in_required=False)
    page = quiz_page_for(quiz)
    phones = [Client(enforce_csrf_checks=True) for _ in range(3)]

    seen = [phone.get(page.url) for phone in phones]

    assert [response["X-Page-Cache"] for response in seen] == ["miss", "hit", "hit"]
    assert seen[0].content == seen[1].content == seen[2].content
    tokens = [phone.cookies[settings.CSRF_COOKIE_NAME].value for phone in phones]
    assert len(set(tokens)) == 3
    assert not any(token in seen[0].content.decode() for token in tokens)
    for phone, token in zip(phones[1:], tokens[1:], strict=True):
        paper = phone.post(
            reverse("quizzes:start", args=[quiz.pk]), {"js": "1", "csrfmiddlewaretoken": token}
        )
        assert paper.status_code == 200 and "data-replace-url" in paper.content.decode()
    assert QuizAttempt.objects.filter(user=None).count() == 2


def test_a_phone_that_has_its_csrf_cookie_keeps_it_on_the_quiz_page():
    from django.conf import settings
    from django.test import Client

    page = quiz_page_for(QuizFactory(sign_in_required=False))
    phone = Client(enforce_csrf_checks=True)
    phone.get(page.url)
    token = phone.cookies[settings.CSRF_COOKIE_NAME].value

    again = phone.get(page.url)

    assert again["X-Page-Cache"] == "hit" and settings.CSRF_COOKIE_NAME not in again.cookies
    assert phone.cookies[settings.CSRF_COOKIE_NAME].value == token
