"""The database check that pending outbox messages name registered jobs (outbox/checks.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from outbox.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def pending(target, **fields):
    return OutboxMessage.objects.create(target=target, available_at=timezone.now(), **fields)


def test_a_pending_message_naming_no_registered_job_fails_the_database_check():
    pending("quizzes.moved_away", args=[1])
    pending("quizzes.moved_away", args=[2])
    pending("quizzes.issue_certificate", args=[3])

    with pytest.raises(SystemCheckError) as failure:
        call_command("check", "--database", "default")

    assert "outbox.E001" in str(failure.value)
    assert "2 pending background job(s) name 'quizzes.moved_away'" in str(failure.value)
    assert "issue_certificate" not in str(failure.value)


def test_finished_and_given_up_messages_do_not_count():
    pending("quizzes.moved_away", completed_at=timezone.now())
    pending("quizzes.gone_too", failed_at=timezone.now())
    pending("search.update", args=["page:1"])

    call_command("check", "--database", "default")


def test_messages_an_old_process_wrote_with_an_import_path_pass_the_check():
    pending("competitions.quizzes.certificates.issue_certificate", args=[1])
    pending("wagtail.tasks.update_reference_index_task", args=["wagtailcore", "page", "1"])

    call_command("check", "--database", "default")


def test_the_check_reads_no_database_unless_asked():
    pending("quizzes.moved_away")

    call_command("check")
