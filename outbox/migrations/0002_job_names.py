"""Stored messages name their job (outbox/jobs.py) instead of an import path.

Frozen copies of the mappings, as of this migration: later renames of jobs need their own
migration. Wagtail's django-tasks keep their paths, as the first argument of the job that
runs them. Reversible: the reverse writes the import paths back.
"""

from django.db import migrations
from django.db.models import Case, Value, When

RENAMED = {
    "competitions.bookdrift.labels.build_sheet": "bookdrift.build_label_sheet",
    "competitions.bookdrift.notices.notify_previous_readers": "bookdrift.notify_previous_readers",
    "competitions.bookdrift.reminders.send_reminder": "bookdrift.send_reminder",
    "competitions.judging.reminders.send_reminder": "judging.send_reminder",
    "competitions.quizzes.certificates.issue_certificate": "quizzes.issue_certificate",
    "competitions.quizzes.tasks.build_quiz_export": "quizzes.build_export",
    "competitions.submissions.file_checks.check_entry_file": "submissions.check_entry_file",
    "competitions.submissions.tasks.build_contest_export": "submissions.build_contest_export",
    "content.tasks.transcode_video": "content.transcode_video",
    "notifications.services.deliver_pending": "notifications.deliver_pending",
    "search.tasks.reconcile": "search.reconcile",
    "search.tasks.refresh_suggestions": "search.refresh_suggestions",
    "search.tasks.update": "search.update",
}
DJANGO_TASK = "outbox.run_django_task"
DJANGO_TASKS = [
    "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task",
    "wagtail.images.tasks.set_image_focal_point_task",
    "wagtail.tasks.delete_file_from_storage_task",
    "wagtail.tasks.update_reference_index_task",
]
BATCH = 500


def _rename(messages, mapping: dict[str, str]) -> None:
    messages.filter(target__in=mapping).update(
        target=Case(*(When(target=old, then=Value(new)) for old, new in mapping.items()))
    )


def _rewrite_in_batches(messages, change) -> None:
    store = messages.model.objects.db_manager(messages.db)
    batch = []
    for message in messages.only("pk", "target", "args").iterator(chunk_size=BATCH):
        change(message)
        batch.append(message)
        if len(batch) == BATCH:
            store.bulk_update(batch, ["target", "args"])
            batch = []
    store.bulk_update(batch, ["target", "args"])


def forwards(apps, schema_editor):
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    messages = OutboxMessage.objects.using(schema_editor.connection.alias)
    _rename(messages, RENAMED)

    def name_the_task(message):
        message.args = [message.target, *message.args]
        message.target = DJANGO_TASK

    _rewrite_in_batches(messages.filter(target__in=DJANGO_TASKS), name_the_task)


def backwards(apps, schema_editor):
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    messages = OutboxMessage.objects.using(schema_editor.connection.alias)
    _rename(messages, {new: old for old, new in RENAMED.items()})

    def path_the_task(message):
        message.target, *message.args = message.args

    _rewrite_in_batches(messages.filter(target=DJANGO_TASK), path_the_task)


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
