"""Demo quizzes: a 防疫知识竞答 and a science-literacy quiz, both open.

Quizzes are described in demo/data/quizzes.toml; each one's question bank is a CSV file in
the organisers' import format (demo/data/quizzes/<slug>.csv), imported through the real
importer (competitions/quizzes/importing.py) with all its checks, as an upload would be.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.tasks import update_reference_index_task

from competitions.core.models import Unit
from competitions.quizzes.banks.importing import import_questions
from competitions.quizzes.models import QuestionBank, Quiz, QuizDrawRule, QuizPage

from .datafiles import DATA, toml


class DemoBankError(ValueError):
    """A demo question file the importer refused (it names each row and column)."""


def load_bank(name: str, slug: str) -> QuestionBank:
    """The bank called `name`, filled from demo/data/quizzes/<slug>.csv when it is new.

    Raises DemoBankError, and nothing is created, if the importer finds a problem."""
    bank, created = QuestionBank.objects.get_or_create(name=name)
    if not created:
        return bank
    path = DATA / "quizzes" / f"{slug}.csv"
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    result = import_questions(bank, upload)
    if not result.ok:
        problems = "; ".join(f"row {e.row} {e.column}: {e.message}" for e in result.errors)
        raise DemoBankError(f"{path}: {problems}")
    # Inside the demo's bulk indexing Wagtail's per-object tasks are off and bulk-created rows
    # send no post_save: give the questions their reference-index rows (category usage) here.
    for pk in bank.questions.values_list("pk", flat=True):
        update_reference_index_task.call("quizzes", "question", str(pk))
    return bank


@transaction.atomic
def load(home, report: list[str]) -> None:
    data = toml("quizzes")
    for order, name in enumerate(data["regions"]):
        Unit.objects.get_or_create(kind=Unit.Kind.REGION, name=name, defaults={"sort_order": order})
    created = 0
    for spec in data["quizzes"]:
        if QuizPage.objects.filter(slug=spec["slug"]).exists():
            continue
        bank = load_bank(spec["bank"], spec["slug"])
        now = timezone.now()
        quiz = Quiz.objects.create(
            title=spec["title"],
            bank=bank,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=120),
            **spec["settings"],
        )
        if "per_category" in spec:
            for category in bank.categories.all():
                quiz.draw_rules.add(QuizDrawRule(category=category, count=spec["per_category"]))
            quiz.save()  # a cluster's child rows are written when the quiz is saved
        page = QuizPage(
            title=spec["title"],
            slug=spec["slug"],
            quiz=quiz,
            summary=spec["summary"],
            intro=spec["intro"],
            show_in_menus=False,
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    report.append(f"quizzes: {created} created, {len(data['quizzes']) - created} kept")
