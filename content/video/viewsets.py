"""Videos in the Wagtail admin: a snippet with ffprobe-checked upload and a re-process action."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    SnippetViewSet,
    UsageView,
)

from .models import Video
from .probe import validate_upload
from .transcoding import request_transcode


class VideoForm(WagtailAdminModelForm):
    """Checks a newly uploaded video with ffprobe, so a bad file changes nothing."""

    def clean_original(self):
        upload = self.cleaned_data.get("original")
        if upload and "original" in self.changed_data:
            validate_upload(upload)
        return upload


# Contest entry videos (`private_outputs`, often children's work) share the Video model but
# are not editorial material: editors never list, choose, open or delete them here.


class EditorialOnlyObjectMixin:
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if obj.private_outputs:
            raise Http404
        return obj


class EditorialOnlyChoiceMixin:
    def get_object_list(self):
        return super().get_object_list().filter(private_outputs=False)


class VideoChooseView(EditorialOnlyChoiceMixin, ChooseView):
    pass


class VideoChooseResultsView(EditorialOnlyChoiceMixin, ChooseResultsView):
    pass


class VideoChooserViewSet(SnippetChooserViewSet):
    choose_view_class = VideoChooseView
    choose_results_view_class = VideoChooseResultsView


class TranscodeOnSaveMixin:
    def save_instance(self):
        instance = super().save_instance()
        if "original" in self.form.changed_data:
            request_transcode(instance)
        return instance


class VideoCreateView(TranscodeOnSaveMixin, CreateView):
    pass


class VideoDeleteView(EditorialOnlyObjectMixin, DeleteView):
    pass


class VideoUsageView(EditorialOnlyObjectMixin, UsageView):
    pass


class VideoHistoryView(EditorialOnlyObjectMixin, HistoryView):
    pass


class VideoEditView(EditorialOnlyObjectMixin, TranscodeOnSaveMixin, EditView):
    reprocess_url_name = None

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("change"):
            buttons.append(
                Button(
                    _("Re-process"),
                    url=reverse(self.reprocess_url_name, args=[self.object.pk]),
                    icon_name="rotate",
                    priority=30,
                )
            )
        return buttons


class VideoViewSet(SnippetViewSet):
    model = Video
    icon = "media"
    menu_label = gettext_lazy("Videos")
    add_to_admin_menu = True
    menu_order = 250
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            # A plain file input: the default widget's "currently: <link>" needs a URL, and
            # the original has none (private storage).
            FieldPanel("original", widget=forms.FileInput),
            FieldPanel("subtitles"),
            MultiFieldPanel(
                [
                    FieldPanel("status", read_only=True),
                    FieldPanel("failure_reason", read_only=True),
                    FieldPanel("duration_seconds", read_only=True),
                    FieldPanel("width", read_only=True),
                    FieldPanel("height", read_only=True),
                    FieldPanel("size_bytes", read_only=True),
                ],
                heading=gettext_lazy("Processing"),
            ),
        ],
        base_form_class=VideoForm,
    )
    add_view_class = VideoCreateView
    edit_view_class = VideoEditView
    delete_view_class = VideoDeleteView
    usage_view_class = VideoUsageView
    history_view_class = VideoHistoryView
    chooser_viewset_class = VideoChooserViewSet
    list_display = [
        "title",
        StatusTagColumn("get_status_display", label=gettext_lazy("status"), sort_key="status"),
        Column("duration_display", label=gettext_lazy("duration")),
        Column("size_display", label=gettext_lazy("file size")),
        Column("failure_reason", label=gettext_lazy("processing problem")),
        "updated_at",
    ]
    list_filter = ["status"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return Video.objects.filter(private_outputs=False)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            reprocess_url_name=self.get_url_name("reprocess"), **kwargs
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("reprocess/<str:pk>/", self.reprocess_view, name="reprocess"),
        ]

    def reprocess_view(self, request, pk):
        """Confirm (GET), then queue a fresh transcode of the current original (POST)."""
        video = get_object_or_404(Video, pk=pk, private_outputs=False)
        if not self.permission_policy.user_has_permission_for_instance(
            request.user, "change", video
        ):
            raise PermissionDenied
        edit_url = reverse(self.get_url_name("edit"), args=[video.pk])
        if request.method == "POST":
            request_transcode(video, force=True)
            messages.success(
                request,
                _("The video “%(title)s” will be processed again.") % {"title": video.title},
            )
            return redirect(edit_url)
        return TemplateResponse(
            request,
            "content/admin/video_reprocess.html",
            {
                "video": video,
                "edit_url": edit_url,
                "header_icon": self.icon,
                "page_title": _("Re-process"),
                "page_subtitle": video.title,
            },
        )
