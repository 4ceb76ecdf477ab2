"""Participant-facing quiz URLs, under /quiz/ (see kepu/urls.py)."""

from django.urls import path

app_name = "quizzes"

urlpatterns = []

# --- Certificates and share cards (competitions/quizzes/certificate_views.py) -------------------
from . import certificate_views  # noqa: E402

urlpatterns += [
    path(
        "certificate/<slug:code>/",
        certificate_views.certificate_verify,
        name="certificate_verify",
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
