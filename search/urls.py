"""Search URLs, included under /search/ (URL names stay global: `search`, `search_suggest`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="search_suggest"),
]
