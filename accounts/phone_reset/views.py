"""Pages of the phone password reset (accounts/phone_reset/__init__.py says what holds)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from kepu import ratelimit

from . import flow
from .forms import PhoneResetConfirmForm, PhoneResetRequestForm


def _start_again(request):
    flow.forget(request)
    messages.error(
        request,
        _("The code has expired or was entered wrongly too often. Ask for a new one."),
    )
    return redirect("accounts:phone_reset")


@never_cache
def request_code(request):
    """Step 1: the mobile number. The answer is the same whether an account uses it or not."""
    form = PhoneResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            flow.start(request, form.cleaned_data["phone"])
        except (flow.TooManyRequests, ratelimit.RateLimitUnavailable) as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("accounts:phone_reset_confirm")
    return render(request, "accounts/phone_reset_request.html", {"form": form})


@never_cache
@sensitive_post_parameters("password1", "password2", "code")
def confirm(request):
    """Step 2: the code from the text message and the new password, in one form."""
    reset = flow.current(request)
    if reset is None:
        return _start_again(request)
    user = reset.user()
    form = PhoneResetConfirmForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        if flow.check_code(request, reset, form.cleaned_data["code"]) and user is not None:
            flow.finish(request, user, form.cleaned_data["password1"])
            messages.success(
                request, _("Your password has been changed. Sign in with the new password.")
            )
            return redirect(reverse("account_login"))
        if flow.current(request) is None:
            return _start_again(request)
        form.add_error("code", _("The code is not correct. Check the message and try again."))
    return render(
        request,
        "accounts/phone_reset_confirm.html",
        {"form": form, "phone": reset.phone, "minutes": flow.TIMEOUT_SECONDS // 60},
    )
