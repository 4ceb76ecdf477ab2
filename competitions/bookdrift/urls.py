"""Public drift URLs (included at the site root by kepu/urls.py).

- /d/<code>: a copy's page, the address its QR label holds (short, so the code stays small
  and easy to scan), and its actions;
- /drift/…: campaigns, books, stations, reviews, awards, certificates;
- /me/books/: the reader's own drift page.
"""

from django.urls import path, re_path

from .views import campaigns, copies, reader, reviews

app_name = "bookdrift"

urlpatterns = [
    path("d/<str:code>", copies.copy_page, name="copy"),
    path("d/<str:code>/journey", copies.journey_page, name="journey"),
    path("d/<str:code>/catch", copies.catch, name="catch"),
    path("d/<str:code>/release", copies.release, name="release"),
    path("d/<str:code>/review", reviews.write_review, name="write_review"),
    path("drift/", campaigns.campaign_index, name="campaigns"),
    path("drift/book/<int:pk>/", campaigns.book_page, name="book"),
    path("drift/station/<int:pk>/", campaigns.station_page, name="station"),
    path("drift/review/<int:pk>/", reviews.review_page, name="review"),
    re_path(
        r"^drift/certificate/(?P<code>[A-Za-z0-9-]{1,40})\.(?P<file_format>png|pdf)$",
        campaigns.certificate_file,
        name="certificate_file",
    ),
    path(
        "drift/certificate/<str:code>/",
        campaigns.certificate_verify,
        name="certificate_verify",
    ),
    path(
        "drift/certificate/<str:code>/name/",
        campaigns.choose_certificate_name,
        name="certificate_name",
    ),
    path("drift/<slug:slug>/", campaigns.campaign_page, name="campaign"),
    path("drift/<slug:slug>/find/", campaigns.find, name="find"),
    path("drift/<slug:slug>/donate/", campaigns.donate, name="donate"),
    path("drift/<slug:slug>/awards/", campaigns.awards_page, name="awards"),
    path("me/books/", reader.my_books, name="my_books"),
]
