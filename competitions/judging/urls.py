"""The judge workspace, under /judge/ (see kepu/urls.py)."""

from django.urls import path

from . import views

app_name = "judging"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:assignment_id>/", views.score_sheet, name="entry"),
]
