"""The 竞赛组织者 group (created by quizzes 0003) also runs submission contests.

Organisers may add, change, delete and view contests (with their groups and award levels),
and view entries and download their files; they cannot change or delete an author's entry.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "竞赛组织者"
CODENAMES = [
    *(f"{action}_contest" for action in ("add", "change", "delete", "view")),
    *(f"{action}_contestgroup" for action in ("add", "change", "delete", "view")),
    *(f"{action}_awardlevel" for action in ("add", "change", "delete", "view")),
    "view_entry",
    "view_entryfile",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("submissions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="submissions", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ORGANISERS).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="submissions", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0001_initial"),
        ("quizzes", "0003_organiser_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
