"""Guardian consent: the child's waiting page and the guardian's decision page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kepu.http import client_ip

from .consent import (
    ConsentError,
    InvalidLink,
    WrongCode,
    latest_open_request,
    open_request,
    record_guardian_decision,
    request_guardian_consent,
)
from .forms import GuardianDecisionForm, GuardianPhoneForm
from .masking import mask_email, mask_phone
from .models import User


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
                build_link=lambda token: request.build_absolute_uri(
                    reverse("accounts:guardian", args=[token])
                ),
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
            "policy_version": settings.KEPU_CONSENT_POLICY_VERSION,
        },
    )
