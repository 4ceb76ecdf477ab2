"""Editors (编辑) and reviewers (审核员) manage uploaded videos, as they do images."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "编辑": ["add_video", "change_video"],
    "审核员": ["add_video", "change_video", "delete_video"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("content")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("content", "0004_video")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
