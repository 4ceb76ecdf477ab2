"""Public URLs of the reach features (included by kepu/urls.py before Wagtail's pages)."""

from django.urls import path, re_path

from . import views

app_name = "reach"

urlpatterns = [
    re_path(r"^s/(?P<code>[0-9A-Za-z]{4,16})$", views.short_link, name="short_link"),
    path("qr/page/<int:page_id>.svg", views.page_qr_svg, name="page_qr_svg"),
    path("v/<int:page_id>", views.view_beacon, name="view_beacon"),
]
