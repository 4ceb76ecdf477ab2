from django.urls import path

from . import views_profile

app_name = "accounts"

urlpatterns = [
    path("", views_profile.profile, name="profile"),
]
