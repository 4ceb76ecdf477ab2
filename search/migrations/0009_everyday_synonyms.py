"""Synonym groups for words people type about everyday safety and health, where the way a
question is asked (家里着火了怎么办, 小孩发烧怎么办) differs from the way an article is written
(火灾, 儿童发热). Editable by organisers afterwards (搜索 → 同义词)."""

from django.db import migrations

EVERYDAY_GROUPS = [
    ("着火, 起火, 失火, 火灾", "口语与书面语"),
    ("打雷, 雷电", "口语与书面语"),
    ("发烧, 发热", "口语与书面语"),
    ("小孩, 孩子, 儿童", "口语与书面语"),
]


def add_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms, note in EVERYDAY_GROUPS:
        if not SynonymGroup.objects.filter(terms=terms).exists():
            SynonymGroup.objects.create(terms=terms, note=note)


def remove_groups(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(terms__in=[terms for terms, _note in EVERYDAY_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0008_fulltext_clause_tables")]

    operations = [migrations.RunPython(add_groups, remove_groups)]
