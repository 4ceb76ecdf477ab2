"""Public voting URLs, under /vote/ (see kepu/urls.py)."""

from django.urls import path

from . import views

app_name = "voting"

urlpatterns = [
    path("<int:contest_id>/", views.ranking, name="ranking"),
    path("<int:contest_id>/<int:number>/", views.entry_page, name="entry"),
    path("<int:contest_id>/<int:number>/vote/", views.vote, name="vote"),
    path("<int:contest_id>/<int:number>/card.png", views.share_card, name="share_card"),
]
