"""The drift's models in the Wagtail admin (menu 图书漂流): books, campaigns, classes,
stations, copies, label layouts and the filtered words; the organisers' desk pages
(organiser/) join the same menu through the `register_bookdrift_menu_item` hook.

Copies are not created or edited here: they are registered in bulk or donated
(catalogue.py) and move only through journey steps (journeys.py); the listing links each
copy to its actions. Imported by wagtail_hooks.py.
"""

from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from competitions.core.models import ModerationWord

from .models import Book, BookCopy, DriftCampaign, LabelLayout, SchoolClass, Station

MENU_HOOK = "register_bookdrift_menu_item"


class LinkColumn(Column):
    """A column whose cell is a link built from the row."""

    def __init__(self, name, *, text, url, **kwargs):
        super().__init__(name, **kwargs)
        self.text, self.url = text, url

    def get_value(self, instance):
        return self.text(instance) if callable(self.text) else self.text

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = format_html('<a href="{}">{}</a>', self.url(instance), context["value"])
        return context


class BookViewSet(SnippetViewSet):
    model = Book
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Books")
    list_display = [
        "title",
        "author",
        Column("isbn", label=gettext_lazy("ISBN")),
        Column("copies", label=gettext_lazy("copies"), accessor="copy_count"),
    ]
    search_fields = ["title", "author", "isbn", "series"]
    search_backend_name = None
    ordering = ["title"]

    def get_queryset(self, request):
        return Book.objects.annotate(
            copy_count=Count("copies", filter=Q(copies__approval=BookCopy.Approval.APPROVED))
        )


class DriftCampaignViewSet(SnippetViewSet):
    model = DriftCampaign
    icon = "calendar-alt"
    menu_label = gettext_lazy("Drift campaigns")
    list_display = [
        "title",
        DateColumn("starts_on", label=gettext_lazy("starts on")),
        DateColumn("ends_on", label=gettext_lazy("ends on")),
        LinkColumn(
            "dashboard",
            label=gettext_lazy("dashboard"),
            text=gettext_lazy("Dashboard"),
            url=lambda c: reverse("bookdrift_desk:dashboard", args=[c.pk]),
        ),
    ]
    search_fields = ["title"]
    search_backend_name = None


class SchoolClassViewSet(SnippetViewSet):
    model = SchoolClass
    icon = "group"
    menu_label = gettext_lazy("Classes")
    list_display = ["name", "school"]
    list_filter = ["school"]
    search_fields = ["name"]
    search_backend_name = None


class StationViewSet(SnippetViewSet):
    model = Station
    icon = "home"
    menu_label = gettext_lazy("Drift stations")
    list_display = [
        "name",
        Column("kind", label=gettext_lazy("kind"), accessor="get_kind_display"),
        "school",
        BooleanColumn("is_active", label=gettext_lazy("open")),
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    search_backend_name = None


class RegisterInsteadView(View):
    """Copies are registered in bulk on the desk, not one by one here."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("bookdrift_desk:register")


class BookCopyViewSet(SnippetViewSet):
    model = BookCopy
    icon = "tag"
    menu_label = gettext_lazy("Drift copies")
    add_view_class = RegisterInsteadView
    list_display = [
        Column("code", label=gettext_lazy("copy code"), accessor="display_code"),
        Column("number", label=gettext_lazy("copy number")),
        Column("book", label=gettext_lazy("book")),
        Column("state", label=gettext_lazy("state"), accessor="get_state_display"),
        Column("approval", label=gettext_lazy("approval"), accessor="get_approval_display"),
        DateColumn("moved_at", label=gettext_lazy("last moved")),
        LinkColumn(
            "actions",
            label=gettext_lazy("journey and actions"),
            text=gettext_lazy("Open"),
            url=lambda c: reverse("bookdrift_desk:copy", args=[c.pk]),
        ),
    ]
    list_filter = ["campaign", "state", "approval", "source"]
    search_fields = ["code", "book__title"]
    search_backend_name = None
    ordering = ["campaign", "number"]
    panels = [FieldPanel("book"), FieldPanel("donor_note")]

    def get_queryset(self, request):
        return BookCopy.objects.select_related("book", "campaign")


class LabelLayoutViewSet(SnippetViewSet):
    model = LabelLayout
    icon = "table"
    menu_label = gettext_lazy("Label layouts")
    list_display = [
        "name",
        "columns",
        "rows",
        "label_width_mm",
        "label_height_mm",
        BooleanColumn("is_default", label=gettext_lazy("default")),
    ]


class ModerationWordViewSet(SnippetViewSet):
    model = ModerationWord
    icon = "warning"
    menu_label = gettext_lazy("Filtered words")
    list_display = ["word", DateColumn("created_at", label=gettext_lazy("added"))]
    search_fields = ["word"]
    search_backend_name = None
    panels = [FieldPanel("word")]


class BookDriftAdminGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Book drift")
    menu_icon = "doc-full-inverse"
    menu_order = 280
    submenu_hook = MENU_HOOK
    items = (
        DriftCampaignViewSet,
        BookViewSet,
        BookCopyViewSet,
        StationViewSet,
        SchoolClassViewSet,
        LabelLayoutViewSet,
        ModerationWordViewSet,
    )


register_snippet(BookDriftAdminGroup)
