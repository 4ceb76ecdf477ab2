"""Staff as a 科协 would set them up: organisers (竞赛组织者) and editors (编辑) in the admin."""

import factory
from django.contrib.auth.models import Group

from .users import UserFactory

ORGANISERS = "竞赛组织者"
EDITORS = "编辑"


class OrganiserFactory(UserFactory):
    """A member of the group the migrations create for organisers, and nothing else;
    `groups=[…]` adds more groups by name (e.g. 编辑 for one who also edits pages)."""

    username = factory.Sequence(lambda n: f"organiser{n}")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            names = [ORGANISERS, *(extracted or [])]
            self.groups.add(*Group.objects.filter(name__in=names))
