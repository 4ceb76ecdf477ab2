"""The organisers' desk in the Wagtail admin, under /admin/bookdrift/ (wagtail_hooks.py)."""

from django.urls import path
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import copies, dashboard, labels, moderation
from .access import only_organisers

app_name = "bookdrift_desk"

_pages = [
    path("", dashboard.CampaignsView.as_view(), name="campaigns"),
    path("<int:campaign_id>/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("<int:campaign_id>/remind/", dashboard.remind, name="remind"),
    path("<int:campaign_id>/awards/<str:kind>/", dashboard.award_action, name="award"),
    path("<int:campaign_id>/export.xlsx", dashboard.export, name="export"),
    path("<int:campaign_id>/labels/", labels.LabelsView.as_view(), name="labels"),
    path("<int:campaign_id>/reviews/", moderation.ReviewsView.as_view(), name="reviews"),
    path("<int:campaign_id>/reviews/show/", moderation.show_reviews, name="show_reviews"),
    path("labels/<int:sheet_id>.pdf", labels.download, name="label_sheet"),
    path("register/", copies.RegisterView.as_view(), name="register"),
    path("copies/<int:pk>/", copies.CopyView.as_view(), name="copy"),
    path("copies/<int:pk>/action/", copies.copy_action, name="copy_action"),
    path("copies/<int:pk>/label.png", copies.copy_label, name="copy_label"),
    path("notes/", moderation.NotesView.as_view(), name="notes"),
    path("notes/decide/", moderation.decide_notes, name="decide_notes"),
    path("donations/", moderation.DonationsView.as_view(), name="donations"),
    path("donations/<int:pk>/", moderation.decide_donation, name="decide_donation"),
]

urlpatterns = decorate_urlpatterns(_pages, only_organisers)
