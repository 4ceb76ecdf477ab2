"""Common Chinese A4 label papers, and the drift's permissions for 竞赛组织者.

Layouts: 3 × 8 labels of 70 × 37 mm (the most common sheet, the default), 3 × 7 of
70 × 42.3 mm and 2 × 7 of 105 × 42.3 mm. Organisers (the group that runs contests) manage
books, campaigns, classes, stations, layouts and the filtered words, and change copies,
journey steps (moderation), reviews' display and awards; copies are never added or
deleted by hand (bulk registration and donations add them).
"""

from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

LAYOUTS = [
    ("A4 3 × 8（70 × 37 mm）", 3, 8, "70", "37", "0", "0.5", True),
    ("A4 3 × 7（70 × 42.3 mm）", 3, 7, "70", "42.3", "0", "0", False),
    ("A4 2 × 7（105 × 42.3 mm）", 2, 7, "105", "42.3", "0", "0", False),
]
ORGANISERS = "竞赛组织者"
ALL = ["add", "change", "delete", "view"]
PERMISSIONS = {
    "bookdrift": {
        "book": ALL,
        "driftcampaign": ALL,
        "schoolclass": ALL,
        "station": ALL,
        "labellayout": ALL,
        "labelsheet": ["add", "view"],
        "bookcopy": ["change", "view"],
        "journeystep": ["change", "view"],
        "bookreview": ["change", "view"],
        "driftaward": ["change", "view"],
        "driftreminder": ["add", "view"],
    },
    "competitions": {"moderationword": ALL},
}


def seed(apps, schema_editor):
    LabelLayout = apps.get_model("bookdrift", "LabelLayout")
    for name, columns, rows, width, height, left, top, default in LAYOUTS:
        LabelLayout.objects.get_or_create(
            name=name,
            defaults={
                "columns": columns,
                "rows": rows,
                "label_width_mm": Decimal(width),
                "label_height_mm": Decimal(height),
                "margin_left_mm": Decimal(left),
                "margin_top_mm": Decimal(top),
                "is_default": default,
            },
        )
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    for label, models in PERMISSIONS.items():
        for model, actions in models.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )


def unseed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=ORGANISERS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label__in=list(PERMISSIONS))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bookdrift", "0001_initial"),
        ("competitions", "0003_default_moderation_words"),
        ("quizzes", "0003_organiser_group"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
