"""The drawn questions and saved answers now live on the attempt (migration 0007)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0008_attempt_protocol_item_analysis"),
    ]

    # Only the deletions: removing the fields first made SQLite rebuild the table with its
    # constraints still naming them, which failed (the embedded default could not migrate).
    operations = [
        migrations.DeleteModel(
            name="AnswerSave",
        ),
        migrations.DeleteModel(
            name="AttemptQuestion",
        ),
    ]
