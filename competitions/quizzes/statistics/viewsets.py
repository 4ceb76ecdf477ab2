"""Wagtail admin for quiz organisers: live statistics per quiz, .xlsx exports and downloads.

Only users who may change quizzes see these pages (403 otherwise; anonymous visitors are
sent to the admin sign-in). The statistics are cached for KEPU_QUIZ_STATS_CACHE_SECONDS,
so many organisers refreshing the page during a launch cost the database one set of
queries per quiz and minute. Imported by competitions/quizzes/wagtail_hooks.py.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.utils.urlpatterns import decorate_urlpatterns

from competitions.core.exports import downloads
from competitions.core.spreadsheets import XLSX_CONTENT_TYPE
from kepu.days import local_day
from kepu.forbidden import explained_403

from .. import papers
from ..item_analysis import counters, figures, spreadsheet
from ..models import Quiz, QuizExport
from . import exports
from . import services as statistics

ITEMS_SHOWN = 100
UNITS_SHOWN = 100
RANKING_SHOWN = 20


# Refusals answer 403 with the reason (Wagtail would redirect to the dashboard).
forbidden_as_403 = explained_403(
    gettext_lazy("Only people who may edit quizzes can see their statistics.")
)


def changeable_quiz(request, quiz_id: int) -> Quiz:
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    if not exports.user_can_change_quiz(request.user, quiz):
        raise PermissionDenied
    return quiz


# --- cached statistics ----------------------------------------------------------------------


def cached_statistics(quiz: Quiz) -> dict:
    """Everything on the statistics page except the hourly chart, cached per quiz.

    The dict holds when it was computed ("computed_at"), so the page can say how old it is.
    """

    def compute():
        scores = statistics.scores(quiz)
        units = statistics.by_unit(quiz)
        return {
            "computed_at": timezone.now(),
            # Questions' texts from the quiz version's material, counters from ItemCounter.
            "summary": statistics.summary(quiz),
            "by_day": statistics.participations_by_day(quiz),
            "scores": statistics.score_distribution(quiz, scores),
            # Over the attempts the counters hold (the worker adds each within a minute).
            "items": figures.analyse(
                quiz,
                counters.counted_histogram(quiz.pk, scores.histogram),
                papers.material_for(quiz),
            ),
            "ranking": statistics.unit_ranking(quiz, limit=RANKING_SHOWN, units=units),
            "units": units[:UNITS_SHOWN],
        }

    return cache.get_or_set(
        f"quizzes:stats:{quiz.pk}", compute, settings.KEPU_QUIZ_STATS_CACHE_SECONDS
    )


def cached_hours(quiz: Quiz, day: datetime.date) -> list[dict]:
    return cache.get_or_set(
        f"quizzes:stats:{quiz.pk}:hours:{day.isoformat()}",
        lambda: statistics.participations_by_hour(quiz, day),
        settings.KEPU_QUIZ_STATS_CACHE_SECONDS,
    )


def with_bars(rows: list[dict], key: str) -> list[dict]:
    """Copies of `rows`, each with "bar_max", the largest `key`, for a <meter> bar."""
    top = max((row[key] or 0 for row in rows), default=0) or 1
    return [{**row, "bar_max": top} for row in rows]


# --- views ----------------------------------------------------------------------------------


class QuizStatisticsIndexView(WagtailAdminTemplateMixin, TemplateView):
    """The quizzes, newest first, each linking to its statistics."""

    template_name = "quizzes/admin/statistics_index.html"
    header_icon = "table"
    page_title = gettext_lazy("Quiz statistics")

    def dispatch(self, request, *args, **kwargs):
        if not exports.user_can_change_quiz(request.user, None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(Quiz.objects.order_by("-opens_at", "-pk"), 50)
        context["quizzes"] = paginator.get_page(self.request.GET.get("p"))
        return context


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Contents"),
        choices=QuizExport.Kind.choices,
        widget=forms.RadioSelect,
        initial=QuizExport.Kind.ATTEMPTS,
        error_messages={"required": gettext_lazy("Choose what to export.")},
    )
    personal_data = forms.BooleanField(
        label=gettext_lazy("Include full names, phone numbers and e-mail addresses"),
        help_text=gettext_lazy(
            "Only for delivering prizes. The request and every download are recorded."
        ),
        required=False,
    )

    def __init__(self, *args, allow_personal_data: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_personal_data:
            del self.fields["personal_data"]


class QuizStatisticsView(WagtailAdminTemplateMixin, TemplateView):
    """One quiz's statistics (cached briefly) and its exports."""

    template_name = "quizzes/admin/statistics.html"
    header_icon = "table"
    page_title = gettext_lazy("Quiz statistics")

    def dispatch(self, request, quiz_id: int):
        self.quiz = changeable_quiz(request, quiz_id)
        return super().dispatch(request, quiz_id)

    def get_page_subtitle(self):
        return str(self.quiz)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("quiz_statistics:index"), "label": _("Quiz statistics")},
            {"url": "", "label": str(self.quiz)},
        ]

    def chosen_day(self, by_day: list[dict]) -> datetime.date:
        """The ?day= asked for, else today if it has attempts, else the last day that has."""
        today = local_day()
        default = today
        if by_day and not any(row["day"] == today for row in by_day):
            default = by_day[-1]["day"]
        asked = self.request.GET.get("day")
        if not asked:
            return default
        try:
            return datetime.date.fromisoformat(asked)
        except ValueError:
            messages.error(
                self.request, _("“%(day)s” is not a date like 2026-03-15.") % {"day": asked[:20]}
            )
            return default

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stats = cached_statistics(self.quiz)
        day = self.chosen_day(stats["by_day"])
        summary = stats["summary"]
        allow_personal = exports.can_export_personal_data(self.request.user)
        context.update(
            quiz=self.quiz,
            computed_at=stats["computed_at"],
            cache_seconds=settings.KEPU_QUIZ_STATS_CACHE_SECONDS,
            summary=summary,
            pass_percent=round(100 * summary.pass_rate) if summary.pass_rate is not None else None,
            by_day=with_bars(stats["by_day"], "attempts"),
            day=day,
            hours=with_bars(cached_hours(self.quiz, day), "attempts"),
            scores=with_bars(stats["scores"], "attempts"),
            items=stats["items"],
            items_shown=ITEMS_SHOWN,
            fair_play=bool(
                self.quiz.count_page_leaves
                or self.quiz.idle_timeout_seconds
                or self.quiz.one_device
                or summary.left_page
                or summary.auto_submitted
                or summary.moved_device
            ),
            ranking=with_bars(stats["ranking"], "participants"),
            units=with_bars(stats["units"], "participants"),
            units_shown=UNITS_SHOWN,
            export_form=kwargs.get("export_form") or ExportForm(allow_personal_data=allow_personal),
            exports=list(exports.exports_visible_to(self.quiz, self.request.user)),
        )
        return context


@require_POST
def request_export(request, quiz_id: int):
    """Queues an export; a bad choice gets a message and records nothing."""
    quiz = changeable_quiz(request, quiz_id)
    allow_personal = exports.can_export_personal_data(request.user)
    form = ExportForm(request.POST, allow_personal_data=allow_personal)
    target = reverse("quiz_statistics:quiz", args=[quiz.pk]) + "#exports"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    export = exports.request_export(
        quiz,
        request.user,
        form.cleaned_data["kind"],
        personal_data=form.cleaned_data.get("personal_data", False),
    )
    messages.success(
        request,
        _("The “%(kind)s” export is being prepared. Reload this page to download it.")
        % {"kind": export.get_kind_display()},
    )
    return redirect(target)


def download_item_analysis(request, quiz_id: int):
    """The quiz's item analysis as an .xlsx attachment (no personal data in it)."""
    quiz = changeable_quiz(request, quiz_id)
    analysis = cached_statistics(quiz)["items"]
    content = spreadsheet.workbook_bytes(analysis, quiz.title)
    day = local_day().strftime("%Y%m%d")
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{downloads.filename_part(quiz.title)}-{_('Item analysis')}-{day}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def download_export(request, export_id: int):
    """The export's .xlsx file as an attachment, for those allowed to download it."""
    return downloads.download(
        request, exports.lifecycle, export_id, filename=exports.download_filename
    )


urlpatterns = decorate_urlpatterns(
    [
        path("", QuizStatisticsIndexView.as_view(), name="index"),
        path("<int:quiz_id>/", QuizStatisticsView.as_view(), name="quiz"),
        path("<int:quiz_id>/exports/", request_export, name="request_export"),
        path("exports/<int:export_id>/download/", download_export, name="download"),
        path("<int:quiz_id>/item-analysis.xlsx", download_item_analysis, name="item_analysis"),
    ],
    forbidden_as_403,
)


def statistics_url(quiz: Quiz) -> str:
    return reverse("quiz_statistics:quiz", args=[quiz.pk])


def statistics_header_button(quiz: Quiz, user) -> HeaderButton | None:
    """A "统计" button for the quiz edit view's header, or None for users who may not see it."""
    if not exports.user_can_change_quiz(user, quiz):
        return None
    return HeaderButton(_("Statistics"), url=statistics_url(quiz), icon_name="table")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("quiz-statistics/", include((urlpatterns, "quiz_statistics")))]


@hooks.register("register_snippet_listing_buttons")
def quiz_listing_buttons(snippet, user, next_url=None):
    """ "统计" next to each quiz in its snippet listing."""
    if isinstance(snippet, Quiz) and exports.user_can_change_quiz(user, snippet):
        yield ListingButton(
            _("Statistics"),
            url=statistics_url(snippet),
            icon_name="table",
            attrs={"aria-label": _("Statistics of “%(quiz)s”") % {"quiz": snippet}},
            priority=15,
        )


class QuizStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return exports.user_can_change_quiz(request.user, None)


@hooks.register("register_reports_menu_item")
def register_reports_menu_item():
    return QuizStatisticsMenuItem(
        gettext_lazy("Quiz statistics"),
        reverse("quiz_statistics:index"),
        name="quiz-statistics",
        icon_name="table",
        order=960,
    )


@hooks.register("register_permissions")
def register_permissions():
    """Settings → Groups offers the personal-data export permission (rule 8)."""
    return Permission.objects.filter(
        content_type__app_label="quizzes", codename="export_personal_data"
    )
