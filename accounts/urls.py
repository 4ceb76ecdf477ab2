from django.urls import path

from .phone_reset import views as phone_reset
from .views import age, consent, profile

app_name = "accounts"

urlpatterns = [
    path("me/", profile.profile, name="profile"),
    path("me/export/", profile.export_data, name="export"),
    path("me/delete/", profile.delete, name="delete"),
    path("me/guardian/", consent.consent_pending, name="consent"),
    path("me/guardian/display/", consent.display_consent, name="display_consent"),
    path("accounts/age/", age.age, name="age"),
    path("accounts/password/reset/phone/", phone_reset.request_code, name="phone_reset"),
    path("accounts/password/reset/phone/code/", phone_reset.confirm, name="phone_reset_confirm"),
    path("guardian/<str:token>/", consent.guardian, name="guardian"),
]
