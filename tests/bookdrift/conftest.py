import pytest


@pytest.fixture(autouse=True)
def moderation_words(request):
    """The filtered words migration 0003 seeds (transactional tests flush them away)."""
    if "django_db" not in {mark.name for mark in request.node.iter_markers()}:
        return
    from competitions.core.models import ModerationWord

    for word in ("笨蛋", "傻瓜", "去死"):
        ModerationWord.objects.get_or_create(word=word)


@pytest.fixture
def organiser(db):
    """A member of 竞赛组织者, with the drift permissions migration 0002 gives the group."""
    from django.contrib.auth.models import Group

    from tests.factories.users import UserFactory

    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="竞赛组织者"))
    return user
