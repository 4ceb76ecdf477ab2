"""Quiz forms: the participant's start form, and the quiz form of the Wagtail admin.

The admin form's checks need the whole form and its inlines. The database enforces what it
can (quizzes closing after they open); these checks give organisers a clear message before
saving, and catch what only makes sense across the quotas and fixed questions.
"""

from collections import Counter
from itertools import combinations

from django import forms
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from competitions.core.models import Unit

from .banks.forms import add_formset_error, live_forms
from .models import Difficulty, Question, Quiz

# Beyond this many quotas, only each quota alone and all together are checked (checking
# every combination grows as 2^n).
MAX_QUOTAS_CHECKED_EXACTLY = 12


class StartForm(forms.Form):
    """Starting a quiz: the participant's unit, when the quiz asks for one (the list is the
    same for everyone, so the cached quiz page can show it)."""

    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=gettext_lazy("Your unit"),
        empty_label=gettext_lazy("Choose…"),
        error_messages={
            "required": gettext_lazy("Choose your unit."),
            "invalid_choice": gettext_lazy("Choose a unit from the list."),
        },
    )

    def __init__(self, *args, quiz: Quiz, unit: str | None = None, **kwargs):
        """`unit`: a unit chosen before (the start page's `?unit=`, kept across the sign-in),
        shown chosen in an unbound form if it is one of the quiz's; anything else is ignored."""
        super().__init__(*args, **kwargs)
        if quiz.unit_kind:
            self.fields["unit"].queryset = Unit.objects.filter(kind=quiz.unit_kind, is_active=True)
            self.fields["unit"].label = Unit.Kind(quiz.unit_kind).label
            if unit and not self.is_bound:
                self.initial["unit"] = self.known_unit(unit)
        else:
            del self.fields["unit"]

    def known_unit(self, value: str) -> int | None:
        """The id of a unit this form offers, read from untrusted text (a query string, a
        posted field); None for anything else (not a number, unknown, another kind of unit,
        inactive) and for a quiz without units."""
        if (
            "unit" not in self.fields
            or not (value.isascii() and value.isdigit())
            or len(value) > 18
        ):
            return None
        return (
            self.fields["unit"].queryset.filter(pk=int(value)).values_list("pk", flat=True).first()
        )


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
            rules = [form.cleaned_data for form in live_forms(rules_formset)]
        if fixed_formset is not None:
            fixed = [form.cleaned_data["question"] for form in live_forms(fixed_formset)]
        active = Question.objects.filter(bank=bank, is_active=True)

        for problem in self._fixed_problems(bank, fixed):
            add_formset_error(fixed_formset, problem)
        for problem in quota_problems(active, rules, bank):
            add_formset_error(rules_formset, problem)
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
