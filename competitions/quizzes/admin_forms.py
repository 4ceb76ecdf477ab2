"""Admin forms for questions and quizzes: the checks that need the whole form and its inlines.

The database enforces what it can (one stem per bank, quizzes closing after they open);
these checks give organisers a clear message before saving, and catch what only makes sense
across the inline choices or quotas.
"""

import unicodedata
from collections import Counter
from itertools import combinations

from django.db.models import Count
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Difficulty, Question
from .models.banks import stem_fingerprint

# Beyond this many quotas, only each quota alone and all together are checked (checking
# every combination grows as 2^n).
MAX_QUOTAS_CHECKED_EXACTLY = 12


def _live_forms(formset):
    """The inline forms that will be saved: valid, filled in and not marked for deletion."""
    formset.is_valid()  # cleans every form; errors are reported by the formset itself
    return [
        form
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _add_formset_error(formset, message: str) -> None:
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
                for form in _live_forms(formset)
            ]
            for message in choice_problems(kind, choices):
                _add_formset_error(formset, message)
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


class QuizForm(WagtailAdminModelForm):
    """Quotas can be filled from the bank's questions in use; fixed questions come from the
    quiz's bank and are in use; without either, the bank has enough questions in use.

    (The quiz closing after it opens is checked by Quiz.clean.)
    """

    def clean(self):
        cleaned = super().clean()
        bank = cleaned.get("bank")
        if bank is None:
            return cleaned
        rules_formset = self.formsets.get("draw_rules")
        fixed_formset = self.formsets.get("fixed_question_links")
        rules, fixed = [], []
        if rules_formset is not None:
            rules = [form.cleaned_data for form in _live_forms(rules_formset)]
        if fixed_formset is not None:
            fixed = [form.cleaned_data["question"] for form in _live_forms(fixed_formset)]
        active = Question.objects.filter(bank=bank, is_active=True)

        for problem in self._fixed_problems(bank, fixed):
            _add_formset_error(fixed_formset, problem)
        for problem in quota_problems(active, rules, bank):
            _add_formset_error(rules_formset, problem)
        if not rules and not fixed:
            wanted = cleaned.get("questions_per_attempt")
            available = active.count()
            if wanted is not None and wanted < 1:
                self.add_error("questions_per_attempt", _("At least one question per attempt."))
            elif wanted and wanted > available:
                self.add_error(
                    "questions_per_attempt",
                    _(
                        "The bank “%(bank)s” has only %(available)d questions in use, fewer "
                        "than %(wanted)d."
                    )
                    % {"bank": bank, "available": available, "wanted": wanted},
                )
        return cleaned

    @staticmethod
    def _fixed_problems(bank, questions) -> list[str]:
        problems = []
        for question in questions:
            if question.bank_id != bank.pk:
                problems.append(
                    _("“%(question)s” is from another bank, not “%(bank)s”.")
                    % {"question": question, "bank": bank}
                )
            elif not question.is_active:
                problems.append(_("“%(question)s” is not in use.") % {"question": question})
        repeated = [q for q, count in Counter(questions).items() if count > 1]
        if repeated:
            problems.append(
                _("“%(question)s” is in the list more than once.") % {"question": repeated[0]}
            )
        return problems


def quota_problems(active_questions, rules: list[dict], bank) -> list[str]:
    """Whether every quota can be drawn at once, each question counting for one quota only.

    A set of quotas can be filled exactly when every group of quotas together asks for no
    more questions than match at least one of them (Hall's theorem); questions are counted
    per (category, difficulty) cell, so this needs no query per combination.
    """
    problems = []
    for rule in rules:
        category = rule.get("category")
        if category is not None and category.bank_id != bank.pk:
            problems.append(
                _("The category “%(category)s” belongs to another bank.")
                % {"category": category.name}
            )
        if not rule.get("count"):
            problems.append(_("Each quota draws at least one question."))
    if problems:
        return problems
    cells = {
        (row["category_id"], row["difficulty"]): row["n"]
        for row in active_questions.values("category_id", "difficulty").annotate(n=Count("id"))
    }

    def matches(rule, cell):
        category, difficulty = rule.get("category"), rule.get("difficulty")
        return (category is None or category.pk == cell[0]) and (
            not difficulty or difficulty == cell[1]
        )

    def available(group):
        return sum(n for cell, n in cells.items() if any(matches(r, cell) for r in group))

    for rule in rules:
        if rule["count"] > available([rule]):
            problems.append(
                _(
                    "The quota “%(quota)s” asks for %(count)d questions, but only "
                    "%(available)d questions in use match it."
                )
                % {
                    "quota": _quota_label(rule),
                    "count": rule["count"],
                    "available": available([rule]),
                }
            )
    if problems:
        return problems
    if len(rules) <= MAX_QUOTAS_CHECKED_EXACTLY:
        groups = (g for size in range(2, len(rules) + 1) for g in combinations(rules, size))
    else:
        groups = iter([rules])
    for group in groups:
        wanted = sum(rule["count"] for rule in group)
        if wanted > available(group):
            problems.append(
                _(
                    "The quotas %(quotas)s together ask for %(count)d questions, but only "
                    "%(available)d questions in use match them. Lower a count or add questions."
                )
                % {
                    "quotas": "、".join(f"“{_quota_label(rule)}”" for rule in group),
                    "count": wanted,
                    "available": available(group),
                }
            )
            break
    return problems


def _quota_label(rule) -> str:
    category = rule.get("category")
    difficulty = rule.get("difficulty")
    return "·".join(
        [
            category.name if category else _("any category"),
            str(Difficulty(difficulty).label) if difficulty else _("any difficulty"),
        ]
    )
