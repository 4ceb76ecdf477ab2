"""竞赛组织者 (contest organisers) also run expert judging: rounds, rubrics, panels and
judges, and may view assignments, score sheets and results (never change a judge's score)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "竞赛组织者"
MANAGED = ["judginground", "rubric", "criterion", "judgingpanel", "judge"]
VIEWED = ["assignment", "score", "criterionscore", "entryresult"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("judging")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    codenames = [
        f"{action}_{model}" for model in MANAGED for action in ("add", "change", "delete", "view")
    ]
    codenames += [f"view_{model}" for model in VIEWED]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="judging", codename__in=codenames)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ORGANISERS).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="judging"))


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0001_initial"),
        ("quizzes", "0003_organiser_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
