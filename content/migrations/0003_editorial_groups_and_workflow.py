"""Editorial groups 编辑 / 审核员 and the review workflow 内容审核, on by default.

Wagtail's initial data creates "Editors" and "Moderators" groups and a "Moderators
approval" workflow on the root page; they are renamed and given the permissions this site
needs: editors write and submit, reviewers approve (publish) or reject with a comment.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS, REVIEWERS = "编辑", "审核员"
WORKFLOW, TASK = "内容审核", "审核员审核"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "lock_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
MODEL_PERMISSIONS = {
    EDITORS: [("wagtailadmin", "access_admin"), ("content", "add_topic"), ("content", "change_topic")],
    REVIEWERS: [
        ("wagtailadmin", "access_admin"),
        ("content", "add_topic"),
        ("content", "change_topic"),
        ("content", "delete_topic"),
    ],
}


def _group(Group, new_name, old_name):
    group = Group.objects.filter(name=new_name).first()
    if group is None:
        group = Group.objects.filter(name=old_name).first() or Group(name=new_name)
        group.name = new_name
        group.save()
    return group


def _permission(Permission, app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def setup(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    groups = {EDITORS: _group(Group, EDITORS, "Editors"), REVIEWERS: _group(Group, REVIEWERS, "Moderators")}
    root = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    for name, group in groups.items():
        GroupPagePermission.objects.filter(group=group).delete()
        if root is not None:
            for codename in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.create(
                    group=group, page=root, permission=_permission(Permission, "wagtailcore", codename)
                )
        if root_collection is not None:
            for app_label, codename in COLLECTION_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(Permission, app_label, codename),
                )
        group.permissions.add(
            *(_permission(Permission, app, codename) for app, codename in MODEL_PERMISSIONS[name])
        )

    task = GroupApprovalTask.objects.filter(name__in=[TASK, "Moderators approval"]).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK,
            active=True,
            content_type=ContentType.objects.get_for_model(GroupApprovalTask),
        )
    task.name = TASK
    task.active = True
    task.save()
    task.groups.set([groups[REVIEWERS]])

    workflow = Workflow.objects.filter(name__in=[WORKFLOW, "Moderators approval"]).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    workflow.name = WORKFLOW
    workflow.active = True
    workflow.save()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_pages"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
