"""The group 竞赛组织者 (quiz organisers): manage question banks, questions, quizzes and units.

They sign in to the Wagtail admin, may add, change, delete and view banks, categories,
questions, quizzes and organising units, and may upload and choose images for question
stems. Page editing stays with 编辑 and 审核员; those groups get no quiz permissions, so
correct answers are seen only by organisers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISERS = "竞赛组织者"
ACTIONS = ["add", "change", "delete", "view"]
MODELS = {
    "quizzes": ["questionbank", "questioncategory", "question", "quiz"],
    "competitions": ["unit"],
}
IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]


def create_group(apps, schema_editor):
    for label in ["quizzes", "competitions", "wagtailadmin", "wagtailimages"]:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _ = Group.objects.get_or_create(name=ORGANISERS)
    permissions = [
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    ]
    for app_label, models in MODELS.items():
        for model in models:
            permissions += Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model}" for action in ACTIONS],
            )
    group.permissions.add(*permissions)

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for codename in IMAGE_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
                ),
            )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ORGANISERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_quizpage"),
        ("competitions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
