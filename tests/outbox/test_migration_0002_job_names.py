"""The data migration that gives stored messages job names (outbox/migrations/0002_job_names.py)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sqlite]

BEFORE = [("outbox", "0001_initial")]
AFTER = [("outbox", "0002_job_names")]


def migrate(targets):
    """Migrate the outbox to `targets`; returns its model as of there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps.get_model("outbox", "OutboxMessage")


@pytest.fixture
def back_to_import_paths():
    """The outbox as it was before job names; migrated forward again afterwards."""
    yield migrate(BEFORE)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes("outbox"))


def test_stored_import_paths_become_job_names(back_to_import_paths):
    Message = back_to_import_paths
    now = timezone.now()
    certificate = Message.objects.create(
        target="competitions.quizzes.certificates.issue_certificate", args=[7], available_at=now
    )
    done = Message.objects.create(
        target="search.tasks.update", args=["page:3"], available_at=now, completed_at=now
    )
    wagtail = Message.objects.create(
        target="wagtail.tasks.update_reference_index_task",
        args=["content", "homepage", "3"],
        available_at=now,
    )
    unknown = Message.objects.create(target="elsewhere.tasks.job", args=[1], available_at=now)

    Message = migrate(AFTER)

    renamed = {m.pk: (m.target, m.args) for m in Message.objects.all()}
    assert renamed == {
        certificate.pk: ("quizzes.issue_certificate", [7]),
        done.pk: ("search.update", ["page:3"]),
        wagtail.pk: (
            "outbox.run_django_task",
            ["wagtail.tasks.update_reference_index_task", "content", "homepage", "3"],
        ),
        unknown.pk: ("elsewhere.tasks.job", [1]),  # left for the system check to report
    }


def test_migrating_back_restores_the_import_paths(back_to_import_paths):
    Message = migrate(AFTER)
    now = timezone.now()
    export = Message.objects.create(
        target="submissions.build_contest_export", args=[5], available_at=now
    )
    focal_point = Message.objects.create(
        target="outbox.run_django_task",
        args=["wagtail.images.tasks.set_image_focal_point_task", "wagtailimages", "image", "9"],
        available_at=now,
    )

    Message = migrate(BEFORE)

    restored = {m.pk: (m.target, m.args) for m in Message.objects.all()}
    assert restored == {
        export.pk: ("competitions.submissions.tasks.build_contest_export", [5]),
        focal_point.pk: (
            "wagtail.images.tasks.set_image_focal_point_task",
            ["wagtailimages", "image", "9"],
        ),
    }
