import pytest
from django.contrib.auth.models import Permission

from competitions.judging.models import Score
from tests.factories.users import UserFactory


def staff_with(*names):
    """A user who may use the admin and holds these permissions (app_label.codename)."""
    user = UserFactory(is_staff=True)
    for name in ("wagtailadmin.access_admin", *names):
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def submitted(assignment, total):
    """A submitted score sheet with this total (0–100), as save_score would leave it."""
    from django.utils import timezone

    return Score.objects.create(
        assignment=assignment,
        status=Score.Status.SUBMITTED,
        total=total,
        submitted_at=timezone.now(),
    )


@pytest.fixture
def organiser(db):
    return staff_with("judging.change_judginground")
