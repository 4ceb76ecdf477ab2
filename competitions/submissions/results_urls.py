"""Results, exhibition and award-certificate URLs, included from urls.py under /contest/."""

from django.urls import path

from . import results_views

urlpatterns = [
    path("<int:contest_id>/results/", results_views.results, name="results"),
    path("<int:contest_id>/exhibition/", results_views.exhibition, name="exhibition"),
    path("<int:contest_id>/exhibition/<int:number>/", results_views.work, name="exhibition_work"),
    path(
        "award-certificate/<slug:code>/",
        results_views.certificate_verify,
        name="award_certificate_verify",
    ),
    path(
        "award-certificate/<slug:code>/name/",
        results_views.choose_certificate_name,
        name="award_certificate_name",
    ),
    path(
        "award-certificate/<slug:code>.png",
        results_views.certificate_download,
        {"file_format": "png"},
        name="award_certificate_png",
    ),
    path(
        "award-certificate/<slug:code>.pdf",
        results_views.certificate_download,
        {"file_format": "pdf"},
        name="award_certificate_pdf",
    ),
]
