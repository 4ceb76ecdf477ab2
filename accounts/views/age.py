"""The age step: before sign-up, and for accounts created without it."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..forms import BirthMonthForm
from ..signup import record_birth_month, remember_birth_month, remembered_birth_month


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
def age(request):
    """Asks for the birth year and month, and nothing else.

    Before sign-up the answer waits in the session; for a signed-in account that has none
    yet (WeChat, staff) it is stored once and decides whether a guardian must consent.
    """
    user = request.user
    if user.is_authenticated and user.has_birth_month:
        return HttpResponseRedirect(reverse("accounts:profile"))
    initial = {}
    remembered = None if user.is_authenticated else remembered_birth_month(request)
    if remembered:
        initial = {"birth_year": remembered[0], "birth_month": remembered[1]}
    form = BirthMonthForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["birth_year"], form.cleaned_data["birth_month"]
        if user.is_authenticated:
            user = record_birth_month(user, year, month)
            if user.is_waiting_for_guardian:
                messages.info(
                    request, _("You are under 14, so a parent or guardian needs to agree first.")
                )
                return HttpResponseRedirect(reverse("accounts:consent"))
            return HttpResponseRedirect(_safe_next(request, reverse("accounts:profile")))
        remember_birth_month(request, year, month)
        return HttpResponseRedirect(_safe_next(request, reverse("account_signup")))
    return render(
        request,
        "accounts/age.html",
        {"form": form, "next": _safe_next(request, "")},
    )
