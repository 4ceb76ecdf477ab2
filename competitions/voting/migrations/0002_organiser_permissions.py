"""Organisers (竞赛组织者) monitor and void votes and keep the vote shortlist."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "竞赛组织者"
CODENAMES = [
    "view_vote",
    "change_vote",
    "view_voteauditlog",
    "add_shortlist",
    "change_shortlist",
    "delete_shortlist",
    "view_shortlist",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("voting")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="voting", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ORGANISERS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="voting", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0001_initial"),
        ("quizzes", "0003_organiser_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
