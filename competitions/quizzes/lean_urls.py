"""The quiz requests kepu.middleware.LeanViewMiddleware may serve on the lean path (the same
addresses as urls.py's, under kepu/urls.py's /quiz/): those carrying their attempt token."""

from django.urls import path

from . import views

urlpatterns = [
    path("quiz/a/<uuid:public_id>/save/", views.lean_save),
    path("quiz/a/<uuid:public_id>/submit/", views.lean_submit),
]
