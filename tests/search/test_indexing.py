"""Indexing triggers, reconcile, rebuild and failures, through the real outbox delivery.

Transactional tests: the outbox hands its messages to Celery after each commit, and Celery
runs eagerly in the test process, exactly as in the embedded mode.
"""

import socket
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from competitions.submissions.models import ExhibitedEntry
from outbox import services as outbox
from outbox.models import OutboxMessage
from search import indexing
from search.backends.base import SearchQuery
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.pages import ArticlePageFactory, SectionPageFactory
from tests.factories.users import StaffFactory
from tests.search.site_helpers import doc, make_home

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]


@pytest.fixture
def backend(wagtail_tree):
    from search.backends import get_backend, reset_backends

    backend = get_backend("embedded")
    backend.clear()
    yield backend
    backend.clear()
    reset_backends()  # forget backends made for a changed ELASTICSEARCH_URL


@pytest.fixture
def section(backend):
    home = make_home()
    return SectionPageFactory(parent=home, title="健康生活", slug="health")


def found(backend, text: str) -> list[str]:
    return [hit.key for hit in backend.search(SearchQuery(text=text)).hits]


def indexed(backend) -> set[str]:
    return backend.keys()


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_publishing_a_page_indexes_it_after_the_commit(backend, section):
    article = ArticlePageFactory(parent=section, title="流感疫苗接种指南", live=False)
    assert f"page:{article.pk}" not in indexed(backend)

    article.save_revision().publish()

    assert f"page:{article.pk}" in indexed(backend)
    assert f"page:{article.pk}" in found(backend, "流感疫苗")
    message = OutboxMessage.objects.filter(target=indexing.UPDATE_TARGET).latest("pk")
    assert message.completed_at is not None


def test_a_republished_page_is_indexed_with_its_new_text(backend, section):
    article = ArticlePageFactory(parent=section, title="月球旧闻回顾", live=False)
    article.save_revision().publish()

    article.title = "崭新的火星探测标题"
    article.save_revision().publish()

    assert f"page:{article.pk}" in found(backend, "火星探测")
    assert f"page:{article.pk}" not in found(backend, "月球旧闻回顾")


def test_unpublishing_and_deleting_remove_the_document(backend, section):
    first = ArticlePageFactory(parent=section, title="第一篇", live=False)
    second = ArticlePageFactory(parent=section, title="第二篇", live=False)
    first.save_revision().publish()
    second.save_revision().publish()
    assert {f"page:{first.pk}", f"page:{second.pk}"} <= indexed(backend)

    first.refresh_from_db()  # publishing went through a revision, not this object
    first.unpublish()
    second.delete()

    assert f"page:{first.pk}" not in indexed(backend)
    assert f"page:{second.pk}" not in indexed(backend)


def test_a_page_made_private_leaves_the_index(backend, section):
    article = ArticlePageFactory(parent=section, title="内部通知", live=False)
    article.save_revision().publish()

    PageViewRestriction.objects.create(page=section, restriction_type="login")

    assert f"page:{article.pk}" not in indexed(backend)
    assert f"page:{section.pk}" not in indexed(backend)


def test_moving_a_page_updates_its_address(backend, section):
    other = SectionPageFactory(parent=section.get_parent(), title="应急避险", slug="safety")
    article = ArticlePageFactory(parent=section, title="地震自救常识", slug="quake", live=False)
    article.save_revision().publish()

    article.refresh_from_db()
    article.move(other, pos="last-child")

    hits = backend.search(SearchQuery(text="地震自救")).hits
    assert [hit.url for hit in hits] == ["/safety/quake/"]


def test_exhibition_changes_add_and_remove_works(backend):
    contest = ContestFactory(phase="results", title="昆虫记读后感征集")
    entry = EntryFactory(contest=contest, title="蚂蚁王国观察记")
    assert f"work:{entry.pk}" not in indexed(backend)

    chosen = ExhibitedEntry.objects.create(entry=entry)
    assert f"work:{entry.pk}" in found(backend, "蚂蚁王国")

    chosen.delete()
    assert f"work:{entry.pk}" not in indexed(backend)

    ExhibitedEntry.objects.create(entry=entry)
    assert f"work:{entry.pk}" in indexed(backend)
    entry.display_consent = False
    entry.save()
    assert f"work:{entry.pk}" not in indexed(backend)


def test_a_guardians_display_decision_adds_and_removes_a_childs_work(backend):
    from accounts import consent
    from tests.factories.users import GuardianConsentFactory

    child = GuardianConsentFactory(guardian_phone="+8613700000002").child
    contest = ContestFactory(phase="results", title="昆虫记读后感征集")
    entry = EntryFactory(contest=contest, author=child, title="萤火虫的灯笼")
    ExhibitedEntry.objects.create(entry=entry)
    assert f"work:{entry.pk}" not in indexed(backend)

    GuardianConsentFactory(
        child=child, guardian_phone="+8613700000002", scope="display", decision="agree"
    )
    assert f"work:{entry.pk}" in found(backend, "萤火虫")

    consent.withdraw_display_consent(child)
    assert f"work:{entry.pk}" not in indexed(backend)


def test_quiz_changes_and_topic_renames_refresh_their_pages(backend, section):
    from competitions.quizzes.models import QuizPage
    from tests.factories.pages import TopicFactory
    from tests.factories.quizzes import QuizFactory

    quiz = QuizFactory(title="防疫知识竞答")
    page = section.add_child(
        instance=QuizPage(title="有奖竞答", slug="quiz", quiz=quiz, summary="答题", live=False)
    )
    page.save_revision().publish()
    topic = TopicFactory(name="防汛")
    article = ArticlePageFactory(parent=section, title="汛期出行", topics=[topic], live=False)
    article.save_revision().publish()

    quiz.title = "垃圾分类知识竞答"
    quiz.save()
    topic.name = "防洪"
    topic.save()

    assert f"page:{page.pk}" in found(backend, "垃圾分类")
    hits = backend.search(SearchQuery(text="汛期出行")).hits
    assert [hit.topics for hit in hits if hit.key == f"page:{article.pk}"] == [("防洪",)]


def test_reconcile_adds_a_missed_document_and_removes_a_stale_one(backend, section):
    # Created without a publish signal, as if its update had been lost.
    missed = ArticlePageFactory(parent=section, title="被遗漏的文章")
    backend.index([doc("page:987654", "早已删除的文章")])

    result = indexing.reconcile(backend)

    assert result.added >= 1 and result.removed == 1
    assert f"page:{missed.pk}" in found(backend, "被遗漏")
    assert "page:987654" not in indexed(backend)
    assert indexing.reconcile(backend) == indexing.ReconcileResult(added=0, removed=0)


def test_rebuild_command_indexes_everything_and_reports_progress(backend, section):
    for n in range(3):
        ArticlePageFactory(parent=section, title=f"重建测试文章{n}")
    backend.index([doc("page:987654", "早已删除的文章")])
    out = StringIO()

    call_command("rebuild_search_index", stdout=out)

    output = out.getvalue()
    assert "Indexed 4 documents" in output  # 3 articles and their section
    assert backend.keys() == {f"page:{section.pk}"} | {
        f"page:{pk}" for pk in section.get_children().values_list("pk", flat=True)
    }


def test_an_unreachable_backend_never_breaks_publishing_and_warns_in_the_admin(
    backend, section, settings, client
):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{unused_port()}"
    article = ArticlePageFactory(parent=section, title="离线时发布的文章", live=False)

    article.save_revision().publish()

    article.refresh_from_db()
    assert article.live
    message = OutboxMessage.objects.filter(target=indexing.UPDATE_TARGET).latest("pk")
    assert message.completed_at is None and message.last_error
    assert message.available_at > message.created_at  # retried later, with back-off
    client.force_login(StaffFactory())
    dashboard = client.get("/admin/").content.decode()
    assert "data-search-indexing-failures" in dashboard

    # The search service is back: the outbox's retry indexes the page, the warning goes.
    settings.ELASTICSEARCH_URL = ""
    assert outbox.run(message.pk) is True
    assert f"page:{article.pk}" in indexed(backend)
    assert "data-search-indexing-failures" not in client.get("/admin/").content.decode()
