"""Participant-facing quiz URLs, under /quiz/ (see kepu/urls.py)."""

from django.urls import path

from . import views
from .certificates import views as certificate_views
from .prizes.urls import urlpatterns as prize_urlpatterns

app_name = "quizzes"

urlpatterns = [
    path("<int:quiz_id>/start/", views.start, name="start"),
    path("<int:quiz_id>/leaderboard/", views.leaderboard, name="leaderboard"),
    path("a/<uuid:public_id>/", views.attempt_view, name="attempt"),
    path("a/<uuid:public_id>/save/", views.save, name="save"),
    path("a/<uuid:public_id>/submit/", views.submit, name="submit"),
    path("a/<uuid:public_id>/result/", views.result, name="result"),
]

# --- prize draw (抽奖) and winners' claims: competitions/quizzes/prizes/urls.py --------------
urlpatterns += prize_urlpatterns

# --- certificates and share cards: competitions/quizzes/certificates/views.py -----------------
urlpatterns += [
    path(
        "certificate/<slug:code>/",
        certificate_views.certificate_verify,
        name="certificate_verify",
    ),
    path(
        "certificate/<slug:code>/name/",
        certificate_views.choose_certificate_name,
        name="certificate_name",
    ),
    path(
        "certificate/<slug:code>.png",
        certificate_views.certificate_download,
        {"file_format": "png"},
        name="certificate_png",
    ),
    path(
        "certificate/<slug:code>.pdf",
        certificate_views.certificate_download,
        {"file_format": "pdf"},
        name="certificate_pdf",
    ),
    path("share/<uuid:public_id>.png", certificate_views.share_card, name="share_card"),
]
