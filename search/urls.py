"""Search URLs, included under /search/ (URL names stay global: `search`, `search_suggest`,
`search_click`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.search, name="search"),
    path("suggest/", views.suggest, name="search_suggest"),
    path("click/", views.click, name="search_click"),
]
