"""The signed-in person's own pages: profile, data export, account deletion."""

import tempfile

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kepu import ratelimit

from ..deletion import delete_account
from ..exports import write_export
from ..forms import DeleteAccountForm, ProfileForm
from ..models import Profile
from ..my_page import my_sections

EXPORT_SCOPE = "data-export"
EXPORTS_PER_DAY = 5


def _needs_age(user) -> bool:
    return not user.has_birth_month


@never_cache
@login_required
def profile(request):
    """The 我的 page: the person's quizzes, entries, votes … (accounts/my_page.py), then their
    account and profile form. Personal details only after the age step."""
    user = request.user
    if _needs_age(user):
        return HttpResponseRedirect(reverse("accounts:age"))
    instance = Profile.objects.filter(user=user).first() or Profile(user=user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, instance=instance, user=user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return HttpResponseRedirect(reverse("accounts:profile"))
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "email_addresses": EmailAddress.objects.filter(user=user).order_by("-primary", "pk"),
            "social_accounts": SocialAccount.objects.filter(user=user),
            "my_sections": my_sections(request),
        },
    )


@never_cache
@login_required
@require_POST
def export_data(request):
    """Downloads everything we hold about the signed-in person as a ZIP (rate limited)."""
    ident = str(request.user.pk)
    if ratelimit.count(EXPORT_SCOPE, ident) >= EXPORTS_PER_DAY:
        return render(
            request,
            "accounts/rate_limited.html",
            {
                "message": _(
                    "You have downloaded your data several times today. Try again tomorrow."
                )
            },
            status=429,
        )
    ratelimit.increment(EXPORT_SCOPE, ident, 24 * 3600)
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    write_export(request.user, archive)
    archive.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d")
    filename = f"{settings.WAGTAIL_SITE_NAME}-my-data-{stamp}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename)
    response["Content-Type"] = "application/zip"
    return response


@never_cache
@login_required
def delete(request):
    """Asks for confirmation, then deletes the account and signs out. The password is checked
    like a sign-in (accounts/lockout/): a stolen session cannot use this page to guess it."""
    user = request.user
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None, user=user, request=request
    )
    if request.method == "POST":
        if form.is_valid():
            delete_account(user)
            logout(request)
            messages.success(request, _("Your account and its data have been deleted."))
            return HttpResponseRedirect("/")
        if form.is_locked_out():
            return render(request, "accounts/delete.html", {"form": form}, status=429)
    return render(request, "accounts/delete.html", {"form": form})
