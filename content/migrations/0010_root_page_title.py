"""Names Wagtail's root page in Chinese: its migration calls it "Root", and editors read that
title in the page explorer, its search and the page choosers."""

from django.db import migrations

ENGLISH_TITLE = "Root"
CHINESE_TITLE = "根目录"


def rename(apps, old, new):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def forwards(apps, schema_editor):
    rename(apps, ENGLISH_TITLE, CHINESE_TITLE)


def backwards(apps, schema_editor):
    rename(apps, CHINESE_TITLE, ENGLISH_TITLE)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0009_shared_versions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
