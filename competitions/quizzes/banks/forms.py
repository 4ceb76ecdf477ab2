"""The question form of the Wagtail admin: the checks that need the whole form and its choices.

The database enforces what it can (one stem per bank); these checks give organisers a clear
message before saving, and catch what only makes sense across the inline choices. The two
formset helpers are shared with the quiz form (competitions/quizzes/forms.py).
"""

import unicodedata
from collections import Counter

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import Question
from ..models.banks import stem_fingerprint


def live_forms(formset):
    """The inline forms that will be saved: valid, filled in and not marked for deletion."""
    formset.is_valid()  # cleans every form; errors are reported by the formset itself
    return [
        form
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def add_formset_error(formset, message: str) -> None:
    formset.non_form_errors()  # computes the list first
    formset._non_form_errors.append(message)


class QuestionForm(WagtailAdminModelForm):
    """Single and true-or-false questions have one correct choice, multiple choice at least
    two correct and one wrong, true-or-false exactly two choices; choice texts differ; the
    category is the bank's; the stem is not already in the bank."""

    def clean(self):
        cleaned = super().clean()
        bank, category = cleaned.get("bank"), cleaned.get("category")
        kind, stem = cleaned.get("kind"), cleaned.get("stem")
        if bank and category and category.bank_id != bank.pk:
            self.add_error(
                "category",
                _("The category “%(category)s” belongs to another bank.")
                % {"category": category.name},
            )
        if bank and stem:
            same = (
                Question.objects.filter(bank=bank, fingerprint=stem_fingerprint(stem))
                .exclude(pk=self.instance.pk)
                .first()
            )
            if same is not None:
                self.add_error(
                    "stem",
                    _(
                        "This bank already has this question (number %(id)d: “%(stem)s”). "
                        "Edit that question instead, or change the wording."
                    )
                    % {"id": same.pk, "stem": same.stem[:40]},
                )
        formset = self.formsets.get("choices")
        if formset is not None and kind:
            choices = [
                (form.cleaned_data["text"], form.cleaned_data.get("is_correct", False))
                for form in live_forms(formset)
            ]
            for message in choice_problems(kind, choices):
                add_formset_error(formset, message)
        return cleaned


def choice_problems(kind: str, choices: list[tuple[str, bool]]) -> list[str]:
    """What is wrong with a question's choices, as messages (empty if nothing)."""
    problems = []
    correct = sum(1 for _text, is_correct in choices if is_correct)
    texts = Counter(unicodedata.normalize("NFKC", text).strip().casefold() for text, _c in choices)
    repeated = [text for text, count in texts.items() if count > 1]
    if repeated:
        problems.append(
            _("Each choice must be different; “%(text)s” appears more than once.")
            % {"text": repeated[0]}
        )
    if len(choices) < 2:
        problems.append(_("A question needs at least two choices."))
    if kind == Question.Kind.TRUE_FALSE and len(choices) != 2:
        problems.append(_("A true-or-false question has exactly two choices."))
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and correct != 1:
        problems.append(
            _("Mark exactly one choice as correct (now %(count)d are marked).") % {"count": correct}
        )
    if kind == Question.Kind.MULTIPLE:
        if correct < 2:
            problems.append(_("A multiple-choice question needs at least two correct choices."))
        if correct == len(choices):
            problems.append(_("A multiple-choice question needs at least one wrong choice."))
    return problems
