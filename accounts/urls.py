from django.urls import path

from . import views_age, views_consent, views_profile
from .phone_reset import views as phone_reset

app_name = "accounts"

urlpatterns = [
    path("me/", views_profile.profile, name="profile"),
    path("me/export/", views_profile.export_data, name="export"),
    path("me/delete/", views_profile.delete, name="delete"),
    path("me/guardian/", views_consent.consent_pending, name="consent"),
    path("me/guardian/display/", views_consent.display_consent, name="display_consent"),
    path("accounts/age/", views_age.age, name="age"),
    path("accounts/password/reset/phone/", phone_reset.request_code, name="phone_reset"),
    path("accounts/password/reset/phone/code/", phone_reset.confirm, name="phone_reset_confirm"),
    path("guardian/<str:token>/", views_consent.guardian, name="guardian"),
]
