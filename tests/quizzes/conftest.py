import pytest
from django.contrib.auth.models import Group

from tests.factories.users import UserFactory


@pytest.fixture
def organiser(db):
    """A member of 竞赛组织者, the group the quizzes migration creates, and nothing else."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="竞赛组织者"))
    return user


@pytest.fixture
def editor(db):
    """A content editor (编辑): may use the admin, but not quizzes."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def privacy_officer(db):
    """May edit quizzes and export unmasked personal data."""
    from .stats_data import staff_with

    return staff_with("quizzes.change_quiz", "quizzes.export_personal_data")
