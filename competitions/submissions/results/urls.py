"""Results, exhibition and award-certificate URLs, included from urls.py under /contest/."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:contest_id>/results/", views.results, name="results"),
    path("<int:contest_id>/exhibition/", views.exhibition, name="exhibition"),
    path("<int:contest_id>/exhibition/<int:number>/", views.work, name="exhibition_work"),
    path(
        "award-certificate/<slug:code>/",
        views.certificate_verify,
        name="award_certificate_verify",
    ),
    path(
        "award-certificate/<slug:code>/name/",
        views.choose_certificate_name,
        name="award_certificate_name",
    ),
    path(
        "award-certificate/<slug:code>.png",
        views.certificate_download,
        {"file_format": "png"},
        name="award_certificate_png",
    ),
    path(
        "award-certificate/<slug:code>.pdf",
        views.certificate_download,
        {"file_format": "pdf"},
        name="award_certificate_pdf",
    ),
]
