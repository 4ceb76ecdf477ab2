"""The whole site while its Redis is really stopped, and after it comes back (kepu/cache.py,
kepu/ratelimit.py, kepu/views.py): reading, signing in and quiz-taking continue; votes and
text messages are refused with a message; nothing answers 500; nothing needs a restart.

The Django test client re-raises any exception a view lets escape, so every request here
also proves that nothing failed with a server error.
"""

import json
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, Site

from accounts.sms import MemorySMSBackend
from competitions.quizzes.models import QuizAttempt
from competitions.voting.models import Vote
from tests.factories.pages import ArticlePageFactory, HomePageFactory, SectionPageFactory
from tests.factories.quizzes import QuizFactory
from tests.factories.users import PASSWORD, PhoneUserFactory, UserFactory
from tests.factories.voting import VoterFactory, VotingEntryFactory

from .conftest import wait_for_retry

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def article(db):
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home-outage")
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    section = SectionPageFactory(parent=home, title="健康生活", slug="health")
    return ArticlePageFactory(parent=section, title="洗手的学问")


def test_readers_get_pages_uncached_and_cached_again_after_redis_returns(
    client, redis_server, article
):
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    redis_server.kill()

    page = client.get(article.url)
    assert page.status_code == 200 and "洗手的学问" in page.content.decode()
    assert page.get("X-Page-Cache") != "hit"  # rendered, not served from the cache
    assert client.get("/").status_code == 200

    redis_server.start()
    wait_for_retry()
    assert client.get(article.url)["X-Page-Cache"] == "miss"
    assert client.get(article.url)["X-Page-Cache"] == "hit"


def test_a_signed_in_reader_stays_signed_in_and_can_sign_in_and_out(client, redis_server):
    UserFactory(email="reader@example.org")
    client.post("/accounts/login/", {"login": "reader@example.org", "password": PASSWORD})
    redis_server.kill()

    assert client.get("/me/").status_code == 200  # the session comes from PostgreSQL

    client.post("/accounts/logout/")
    assert client.get("/me/").status_code == 302
    response = client.post(
        "/accounts/login/", {"login": "reader@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200

    redis_server.start()
    wait_for_retry()
    assert client.get("/me/").status_code == 200


def test_a_sign_out_during_a_partition_is_not_undone_when_redis_returns(client, redis_server):
    UserFactory(email="reader@example.org")
    client.post("/accounts/login/", {"login": "reader@example.org", "password": PASSWORD})
    assert client.get("/me/").status_code == 200  # the session is now cached in Redis
    stolen = client.cookies["sessionid"].value

    redis_server.pause()  # Redis keeps the cached session
    try:
        client.post("/accounts/logout/")
    finally:
        redis_server.resume()
    wait_for_retry()

    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get("/me/").status_code == 302  # signed out for good


def test_a_whole_quiz_is_taken_while_redis_is_down(client, redis_server):
    quiz = QuizFactory()
    client.force_login(UserFactory())
    redis_server.kill()

    response = client.post(reverse("quizzes:start", args=[quiz.pk]))
    assert response.status_code == 302
    attempt = QuizAttempt.objects.get()
    url = reverse("quizzes:attempt", args=[attempt.public_id])
    save_url = reverse("quizzes:save", args=[attempt.public_id])
    for position in range(1, attempt.max_score + 1):
        page = client.get(url, {"q": position}).content.decode()
        option = re.search(r'name="option" value="([^"]+)"', page).group(1)
        saved = client.post(
            save_url,
            json.dumps(
                {
                    "token": str(uuid.uuid4()),
                    "answers": [{"q": position, "s": 1, "o": [option]}],
                }
            ),
            content_type="application/json",
        )
        assert saved.status_code == 200 and saved.json()["saved"], saved.content
    submitted = client.post(
        url,
        {"position": attempt.max_score, "action": "submit", "submit_token": str(uuid.uuid4())},
    )

    assert submitted.status_code == 302 and submitted["Location"].endswith("/result/")
    assert client.get(submitted["Location"]).status_code == 200
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.SUBMITTED
    assert attempt.answered_count() == attempt.max_score


def test_votes_are_refused_with_a_message_until_redis_returns(client, redis_server):
    entry = VotingEntryFactory()
    client.force_login(VoterFactory())
    vote_url = reverse("voting:vote", args=[entry.contest_id, entry.number])
    entry_url = reverse("voting:entry", args=[entry.contest_id, entry.number])
    redis_server.kill()

    refused = client.post(vote_url, **JSON)
    page = client.get(entry_url)
    without_js = client.post(vote_url, follow=True)

    assert refused.status_code == 503
    assert refused.json()["ok"] is False and "投票暂停" in refused.json()["message"]
    assert page.status_code == 200 and "投票暂停" in page.content.decode()
    assert "投票暂停" in without_js.content.decode()
    assert not Vote.objects.exists()

    redis_server.start()
    wait_for_retry()
    counted = client.post(vote_url, **JSON)
    assert counted.status_code == 200 and counted.json()["created"] is True
    assert Vote.objects.count() == 1


def test_texts_are_refused_with_a_message_while_redis_is_down(redis_server):
    PhoneUserFactory(phone="+8613812345678")
    MemorySMSBackend.clear()
    client = Client(raise_request_exception=False)
    redis_server.kill()

    response = client.post("/accounts/login/code/", {"phone": "13812345678"})

    assert response.status_code == 503
    assert "短信" in response.content.decode() and "稍后" in response.content.decode()
    assert MemorySMSBackend.messages_to("+8613812345678") == []

    redis_server.start()
    wait_for_retry()
    response = client.post("/accounts/login/code/", {"phone": "13812345678"})
    assert response.status_code == 302
    assert len(MemorySMSBackend.messages_to("+8613812345678")) == 1


def test_without_the_database_pages_ask_people_to_try_again_in_chinese(database_down):
    client = Client(raise_request_exception=False)

    page = client.get("/")
    autosave = client.post(
        "/quiz/a/00000000-0000-0000-0000-000000000000/save/",
        "{}",
        content_type="application/json",
    )

    assert page.status_code == 503 and page["Retry-After"]
    assert "请稍后" in page.content.decode() or "稍后再试" in page.content.decode()
    assert autosave.status_code == 503 and autosave.json()["retry"] is True


def test_a_fail_closed_limit_nobody_catches_answers_the_503_page(redis_server):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    redis_server.kill()

    response = client.post("/me/export/")

    assert response.status_code == 503
    assert "系统繁忙" in response.content.decode()


def test_staff_sign_in_to_the_admin_while_redis_is_down_and_guessing_still_locks_out(
    client, redis_server, settings
):
    from tests.factories.users import StaffFactory

    settings.KEPU_SIGNIN_MAX_FAILURES = 3
    StaffFactory(username="editor")
    StaffFactory(username="reviewer")
    redis_server.kill()

    def sign_in(username, password):
        return client.post("/admin/login/", {"username": username, "password": password})

    assert sign_in("reviewer", PASSWORD).status_code == 302  # signing in works
    client.logout()
    for _ in range(3):
        assert sign_in("editor", "wrong").status_code == 200
    locked = sign_in("editor", PASSWORD)  # counted in this process's memory meanwhile

    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
