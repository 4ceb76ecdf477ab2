"""The admin's sign-in: one guarded entry for the Wagtail admin and the Django admin."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
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
    signed in who may use the Django admin goes straight there; anyone else signed in arrives
    only because the Django admin refused them: a 403 says so (a redirect would loop).
    """
    if request.user.is_authenticated:
        if not admin.site.has_permission(request):
            raise PermissionDenied
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:index")
        return HttpResponseRedirect(target)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(reverse("wagtailadmin_login") + (f"?{query}" if query else ""))
