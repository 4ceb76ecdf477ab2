"""The 竞赛组织者 group runs prize draws (until now only administrators could).

Organisers define prizes, publish the commitment, draw and lock claims
(`quizzes.change_prizedraw`), and see winners' claims to send the prizes
(`quizzes.view_prizeclaim`: masked in lists, each full view logged).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "竞赛组织者"
CODENAMES = ["view_prizedraw", "change_prizedraw", "view_prizeclaim"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("quizzes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="quizzes", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ORGANISERS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="quizzes", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("quizzes", "0009_remove_attemptquestion_answersave")]

    operations = [migrations.RunPython(grant, revoke)]
