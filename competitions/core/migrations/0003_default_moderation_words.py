"""A starting list of words that readers' public texts (drift notes, comments) may not hold.

Mild insults a pupil might write about a classmate; organisers extend the list in the admin
(图书漂流 → 过滤词). Removing the migration leaves words organisers added alone.
"""

from django.db import migrations

WORDS = ["傻瓜", "笨蛋", "白痴", "蠢货", "去死", "滚开", "神经病", "废物", "垃圾人", "丑八怪"]


def add_words(apps, schema_editor):
    ModerationWord = apps.get_model("competitions", "ModerationWord")
    for word in WORDS:
        ModerationWord.objects.get_or_create(word=word)


def remove_words(apps, schema_editor):
    apps.get_model("competitions", "ModerationWord").objects.filter(word__in=WORDS).delete()


class Migration(migrations.Migration):
    dependencies = [("competitions", "0002_moderationword")]

    operations = [migrations.RunPython(add_words, remove_words)]
