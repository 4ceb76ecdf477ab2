"""The admin's sign-in: one guarded entry for the Wagtail admin and the Django admin."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from wagtail.admin.views.account import LoginView as WagtailLoginView


class AdminLoginView(WagtailLoginView):
    """Wagtail's admin sign-in with the guarded form (`WAGTAILADMIN_USER_LOGIN_FORM`,
    accounts/lockout/), answering 429 while the lockout refuses the attempt."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_locked_out():
            response.status_code = 429
        return response


def django_admin_login(request):
    """The Django admin has no sign-in of its own: it sends people to the admin's guarded one.

    The query string (`next`) is kept, so people land back where they were going. Someone
    already signed in arrives here only because the Django admin refused them: a 403 says so
    (a redirect would send them round in a loop).
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("wagtailadmin_login") + (f"?{query}" if query else ""))
