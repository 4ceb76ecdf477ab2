"""Participant-facing quiz URLs, under /quiz/ (see kepu/urls.py)."""

from django.urls import path

from . import views
from .prize_urls import urlpatterns as prize_urlpatterns

app_name = "quizzes"

urlpatterns = [
    path("<int:quiz_id>/start/", views.start, name="start"),
    path("<int:quiz_id>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("a/<uuid:public_id>/", views.attempt_view, name="attempt"),
    path("a/<uuid:public_id>/save/", views.save, name="save"),
    path("a/<uuid:public_id>/submit/", views.submit, name="submit"),
    path("a/<uuid:public_id>/result/", views.result, name="result"),
]

# --- prize draw (抽奖) and winners' claims: competitions/quizzes/prize_urls.py ---------------
urlpatterns += prize_urlpatterns
