"""The review workflow (审核) that a migration sets up: editors submit, reviewers decide."""

import datetime
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from content.models import ArticlePage
from content.tasks import publish_scheduled
from tests.factories.pages import ArticlePageFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def reviewer():
    user = UserFactory(is_staff=False)
    user.groups.add(Group.objects.get(name="审核员"))
    return user


@pytest.fixture
def draft(section):
    page = ArticlePageFactory(parent=section, title="待审核的文章")
    page.unpublish()
    page.save_revision()
    return page


def test_editors_may_write_but_not_publish_and_reviewers_may_publish(section, editor, reviewer):
    assert section.permissions_for_user(editor).can_add_subpage()
    assert not section.permissions_for_user(editor).can_publish_subpage()
    assert section.permissions_for_user(reviewer).can_publish_subpage()


def test_every_page_is_under_the_review_workflow(section):
    workflow = section.get_workflow()

    assert workflow is not None and workflow.name == "内容审核"
    assert [task.name for task in workflow.tasks] == ["审核员审核"]


def submit(page, user):
    """What the admin's "submit for review" button does."""
    workflow_state = page.get_workflow().start(page, user)
    return workflow_state.current_task_state


def test_submit_then_approve_publishes_the_page(client, draft, editor, reviewer):
    task_state = submit(draft, editor)
    assert not Page.objects.get(pk=draft.pk).live

    client.force_login(reviewer)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": "内容准确，同意发布。"},
    )

    assert response.status_code in (200, 302)
    assert ArticlePage.objects.get(pk=draft.pk).live
    assert client.get("/health/").content.decode().count("待审核的文章") == 1


def test_reject_with_a_comment_keeps_the_page_unpublished(client, draft, editor, reviewer):
    task_state = submit(draft, editor)

    client.force_login(reviewer)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "reject", task_state.pk]),
        {"comment": "数据来源不清楚，请补充。"},
    )

    task_state.refresh_from_db()
    assert task_state.status == "rejected"
    assert task_state.comment == "数据来源不清楚，请补充。"
    assert WorkflowState.objects.get(pk=task_state.workflow_state_id).status == "needs_changes"
    assert not Page.objects.get(pk=draft.pk).live


def test_an_editor_cannot_approve_their_own_submission(client, draft, editor):
    task_state = submit(draft, editor)

    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk]),
        {"comment": ""},
    )

    assert not Page.objects.get(pk=draft.pk).live


def test_scheduled_publishing_goes_live_when_its_time_comes(draft):
    draft.go_live_at = timezone.now() + datetime.timedelta(seconds=2)
    draft.save_revision().publish()  # scheduled, not live yet
    publish_scheduled()
    assert not Page.objects.get(pk=draft.pk).live

    time.sleep(2.2)
    publish_scheduled()

    assert Page.objects.get(pk=draft.pk).live


def test_editors_and_reviewers_may_upload_videos(editor, reviewer):
    assert editor.has_perm("content.add_video") and editor.has_perm("content.change_video")
    assert not editor.has_perm("content.delete_video")
    assert reviewer.has_perm("content.delete_video")
