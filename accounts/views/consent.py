"""Guardian consent: the child's waiting page, the child's display-consent page and the
guardian's decision page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kepu.http import client_ip
from kepu.public_url import public_url

from ..consent import (
    ConsentError,
    InvalidLink,
    WrongCode,
    display_consent_granted,
    latest_open_request,
    needs_guardian_for_display,
    open_request,
    record_guardian_decision,
    request_guardian_consent,
    withdraw_display_consent,
)
from ..forms import GuardianDecisionForm, GuardianPhoneForm
from ..masking import mask_email, mask_phone
from ..models import GuardianConsent, User


@never_cache
@login_required
def consent_pending(request):
    """What an account waiting for consent sees: its status and where to send the request."""
    user = request.user
    if not user.is_waiting_for_guardian:
        return HttpResponseRedirect(reverse("accounts:profile"))
    pending = user.consent_status == User.ConsentStatus.PENDING
    form = (
        GuardianPhoneForm(request.POST if request.method == "POST" else None) if pending else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            request_guardian_consent(
                user,
                form.cleaned_data["phone"],
                build_link=lambda token: public_url(reverse("accounts:guardian", args=[token])),
            )
        except ConsentError as error:
            form.add_error("phone", error.message)
        else:
            messages.success(
                request,
                _("We have sent a text message to your guardian. Ask them to open the link in it."),
            )
            return HttpResponseRedirect(reverse("accounts:consent"))
    open_req = latest_open_request(user) if pending else None
    return render(
        request,
        "accounts/consent_pending.html",
        {
            "form": form,
            "refused": user.consent_status == User.ConsentStatus.REFUSED,
            "open_request": open_req,
            "open_request_phone": mask_phone(open_req.guardian_phone) if open_req else "",
        },
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:display_consent")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def display_consent(request):
    """A child under 14: ask the guardian (by a code sent to their phone) to allow public
    display of contest works, see the status, or withdraw it."""
    user = request.user
    needed = needs_guardian_for_display(user)
    if request.method == "POST" and needed:
        action = request.POST.get("action")
        try:
            if action == "withdraw":
                withdraw_display_consent(user, ip_address=client_ip(request))
                messages.success(
                    request, _("Public display is withdrawn. Your works are no longer shown.")
                )
            elif action == "request":
                request_guardian_consent(
                    user,
                    build_link=lambda token: public_url(reverse("accounts:guardian", args=[token])),
                    scope=GuardianConsent.Scope.DISPLAY,
                )
                messages.success(
                    request,
                    _(
                        "We have sent a text message to your guardian. Ask them to open the "
                        "link in it."
                    ),
                )
            else:
                messages.error(request, _("This request cannot be completed."))
        except ConsentError as error:
            messages.error(request, error.message)
        return HttpResponseRedirect(_safe_next(request))
    open_req = latest_open_request(user, scope=GuardianConsent.Scope.DISPLAY) if needed else None
    return render(
        request,
        "accounts/display_consent.html",
        {
            "needed": needed,
            "granted": needed and display_consent_granted(user),
            "can_request": user.consent_status == User.ConsentStatus.GRANTED,
            "open_request": open_req,
            "open_request_phone": mask_phone(open_req.guardian_phone) if open_req else "",
            "policy_version": settings.KEPU_CONSENT_POLICY_VERSION,
        },
    )


def _unavailable(request, error: ConsentError):
    return render(
        request,
        "accounts/guardian_unavailable.html",
        {"message": error.message},
        status=404 if isinstance(error, InvalidLink) else 410,
    )


@never_cache
def guardian(request, token):
    """The guardian's page: enter the code from the text, read the terms, agree or refuse."""
    try:
        consent_request = open_request(token)
    except ConsentError as error:
        return _unavailable(request, error)
    form = GuardianDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            consent = record_guardian_decision(
                token,
                form.cleaned_data["code"],
                form.cleaned_data["decision"],
                ip_address=client_ip(request),
            )
        except WrongCode as error:
            form.add_error("code", error.message)
        except ConsentError as error:
            return _unavailable(request, error)
        else:
            return render(request, "accounts/guardian_done.html", {"consent": consent})
    display = consent_request.scope == GuardianConsent.Scope.DISPLAY
    child = consent_request.child
    return render(
        request,
        "accounts/guardian.html",
        {
            "form": form,
            "child_contact": mask_phone(child.phone) if child.phone else mask_email(child.email),
            "child": child,
            "expires_at": consent_request.expires_at,
            "token": token,
            "display": display,
            "policy_version": settings.KEPU_CONSENT_POLICY_VERSION,
        },
    )
