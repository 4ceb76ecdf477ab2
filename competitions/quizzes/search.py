"""Quiz pages in the site search (registered with search/documents.py at start-up).

A quiz page is searchable while live and unrestricted, open or closed (its page says which);
its date is the quiz's opening. Changing a quiz's settings refreshes its pages' documents.
"""

from django.db.models.signals import post_save

from competitions.quizzes.models import Quiz, QuizPage
from search.documents import (
    PageContent,
    PageType,
    html_text,
    register_page_type,
    visibility_changed,
)


def _quiz_page(page: QuizPage) -> PageContent:
    return PageContent(
        summary=page.summary,
        body=" ".join(filter(None, [page.quiz.title, html_text(page.intro)])),
        date=page.quiz.opens_at,
        image=page.lead_image,
    )


register_page_type(PageType(QuizPage, "quiz", _quiz_page, select_related=("quiz", "lead_image")))


def _quiz_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        visibility_changed.send(sender=QuizPage, pks=instance.pages.values_list("pk", flat=True))


post_save.connect(_quiz_saved, sender=Quiz, dispatch_uid="quizzes_search_quiz_saved")
