"""The drawn questions and saved answers now live on the attempt (migration 0007)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_attempt_protocol_item_analysis"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="attemptquestion",
            name="attempt",
        ),
        migrations.RemoveField(
            model_name="attemptquestion",
            name="question",
        ),
        migrations.DeleteModel(
            name="AnswerSave",
        ),
        migrations.DeleteModel(
            name="AttemptQuestion",
        ),
    ]
