from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.views.account import LoginView as WagtailLoginView

from kepu import ratelimit
from kepu.http import client_ip

ADMIN_LOGIN_SCOPE = "admin-login"


class AdminLoginView(WagtailLoginView):
    """Wagtail's admin sign-in with a lockout after repeated failures.

    Failures are counted per client IP and per username; while either is over the limit,
    sign-in is refused without checking the password, so guessing gains nothing. During a
    Redis outage each web process counts for itself (ratelimit.PER_PROCESS): staff can still
    sign in, and guessing stays bounded.
    """

    def _idents(self):
        username = self.request.POST.get("username", "").strip().lower()
        idents = [f"ip:{client_ip(self.request)}"]
        if username:
            idents.append(f"user:{username}")
        return idents

    def _locked(self) -> bool:
        limit = settings.KEPU_ADMIN_LOGIN_MAX_FAILURES
        return any(
            ratelimit.count(ADMIN_LOGIN_SCOPE, i, on_outage=ratelimit.PER_PROCESS) >= limit
            for i in self._idents()
        )

    def post(self, request, *args, **kwargs):
        if self._locked():
            message = _(
                "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again."
            ) % {"minutes": settings.KEPU_ADMIN_LOGIN_WINDOW_SECONDS // 60}

            class LockedForm(self.get_form_class()):
                def clean(self):
                    # Refuse before authenticate(): the password is never checked.
                    raise ValidationError(message)

            form = LockedForm(request=request, data=request.POST)
            form.is_valid()
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        for ident in self._idents():
            ratelimit.increment(
                ADMIN_LOGIN_SCOPE,
                ident,
                settings.KEPU_ADMIN_LOGIN_WINDOW_SECONDS,
                on_outage=ratelimit.PER_PROCESS,
            )
        return super().form_invalid(form)
