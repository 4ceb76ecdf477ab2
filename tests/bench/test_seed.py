"""The benchmark's bulk seed, scaled down: right counts, a valid page tree, working sessions."""

import pytest
from django.contrib.sessions.models import Session
from wagtail.models import Page

from bench import seed
from competitions.quizzes.item_analysis import counters
from competitions.quizzes.models import AnswerBatch, ItemCounter, LeaderboardEntry, QuizAttempt
from competitions.submissions.models import Entry
from competitions.voting.models import Vote
from content.models import ArticlePage, SectionPage, VideoPage

pytestmark = pytest.mark.django_db

SIZES = seed.Sizes(
    sections=3,
    articles=30,
    videos=6,
    questions=20,
    questions_per_attempt=5,
    participants=40,
    attempts=55,
    entries=12,
    votes=70,
    quiz_takers=3,
    voters=4,
    votes_per_day=5,
    drift_copies_per_book=20,
    drift_readers=3,
)


@pytest.fixture
def manifest():
    return seed.seed(SIZES, build_index=False, log=lambda *args: None)


def test_seed_creates_the_requested_counts(manifest):
    assert ArticlePage.objects.live().count() == 30
    assert VideoPage.objects.live().count() == 6
    assert SectionPage.objects.count() == 3
    assert QuizAttempt.objects.filter(status="submitted").count() == 55
    assert QuizAttempt.objects.values("participant_key").distinct().count() == 40
    assert AnswerBatch.objects.count() == 55
    assert manifest.counts["answered_in_finished"] == 55 * 5
    assert manifest.counts["item_counter_drawn"] == 55 * 5
    assert LeaderboardEntry.objects.count() == 40
    assert Entry.objects.filter(status="submitted").count() == 12
    assert Vote.objects.count() == 70
    assert len(manifest.quiz_sessions) == 3
    assert len(manifest.voter_sessions) == 4
    assert manifest.counts["votes"] == 70


def test_seeded_scores_match_the_answers_marked_correct(manifest):
    from competitions.quizzes.models import Choice

    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    for attempt in QuizAttempt.objects.all()[:20]:
        assert len({question_id for question_id, _order in attempt.paper}) == 5
        assert attempt.verdicts.count("1") == attempt.score
        for position, (_question_id, order) in enumerate(attempt.paper, start=1):
            [chosen] = attempt.selected(position)
            assert chosen in order
            assert (chosen in right) == (attempt.verdicts[position - 1] == "1")


def test_seeded_counters_are_what_the_submits_would_have_kept(manifest):
    seeded = set(ItemCounter.objects.values_list("question_id", "kind", "key", "n", "hits"))

    counters.rebuild(manifest.quiz_id)

    assert set(ItemCounter.objects.values_list("question_id", "kind", "key", "n", "hits")) == seeded


def test_seeded_pages_form_a_valid_tree_that_wagtail_can_route(manifest, client):
    assert manifest.tree_problems == []
    assert seed.check_page_tree(SectionPage.objects.first()) == []
    for section in SectionPage.objects.all():
        assert section.numchild == section.get_children().count() == 12
    article = ArticlePage.objects.order_by("pk").last()
    assert article.get_parent().specific_class is SectionPage
    assert client.get(article.url).status_code == 200
    assert client.get(manifest.article_urls[0]).status_code == 200
    assert client.get(manifest.section_urls[0]).status_code == 200


def test_a_broken_tree_is_reported(manifest):
    Page.objects.filter(pk=SectionPage.objects.first().pk).update(numchild=99)
    assert any("numchild" in problem for problem in seed.check_page_tree())


def test_seeded_sessions_sign_the_bench_accounts_in(manifest, client, settings):
    session = Session.objects.get(session_key=manifest.voter_sessions[0])
    user_id = session.get_decoded()["_auth_user_id"]
    client.cookies[settings.SESSION_COOKIE_NAME] = manifest.voter_sessions[0]

    response = client.get(f"/vote/{manifest.contest_id}/{manifest.entry_numbers[0]}/")

    assert response.status_code == 200
    assert str(response.wsgi_request.user.pk) == user_id
    assert response.wsgi_request.user.phone_verified
