"""Organisers (竞赛组织者) set popularity weights and moderate comments."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "竞赛组织者"
CODENAMES = [
    "add_popularityrule",
    "change_popularityrule",
    "delete_popularityrule",
    "view_popularityrule",
    "change_entrycomment",
    "view_entrycomment",
    "view_shareopen",
    "view_popularityauditlog",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("popularity")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="popularity", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ORGANISERS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="popularity", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("popularity", "0001_initial"),
        ("voting", "0002_organiser_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
