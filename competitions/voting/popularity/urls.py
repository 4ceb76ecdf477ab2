"""Public popularity URLs, under /popularity/ (see kepu/urls.py)."""

from django.urls import path

from . import views

app_name = "popularity"

urlpatterns = [
    path("<int:contest_id>/", views.ranking, name="ranking"),
    path("<int:contest_id>/<int:number>/s", views.share, name="share"),
    path("<int:contest_id>/<int:number>/comment/", views.comment, name="comment"),
]
