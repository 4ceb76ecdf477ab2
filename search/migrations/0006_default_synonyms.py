"""Starting synonym groups, editable by organisers afterwards (搜索 → 同义词)."""

from django.db import migrations

DEFAULT_GROUPS = [
    ("新冠, 新型冠状病毒, 新冠病毒", "常见简称"),
    ("科协, 科学技术协会", "机构简称"),
    ("科普, 科学普及", "常见简称"),
    ("人工智能, AI", "中英文写法"),
]


def add_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in DEFAULT_GROUPS:
        if not SynonymGroup.objects.filter(terms=terms).exists():
            SynonymGroup.objects.create(terms=terms, note=note)


def remove_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(terms__in=[terms for terms, _note in DEFAULT_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0005_query_log")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
