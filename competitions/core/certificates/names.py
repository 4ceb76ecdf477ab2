"""The name a certificate carries (DESIGN.md rule 10): the one its holder chose to print.

Masking belongs on public pages (the verification page reached through the certificate's QR
code shows the masked name), not on the certificate a participant takes home. The holder
chooses, on their own result or entry page, between

- the masked name (the default until they choose: "张**", "138****5678"),
- their nickname (`User.display_name`), and
- their real name (`Profile.real_name`, which they may type in while choosing).

A certificate is meant to be shown around, so for a holder under `KEPU_GUARDIAN_CONSENT_AGE`
the nickname and real name need the guardian's display consent, exactly as their works do
(accounts.consent.needs_guardian_for_display / display_consent_granted). That is checked when
the name is chosen *and* every time the certificate is drawn: after a withdrawal the masked
name is printed again.

Quiz certificates, award certificates and book drift certificates keep `name_choice` and the chosen
`printed_name` (a snapshot: renaming oneself later does not change a printed certificate
silently) beside their masked `holder_name`.
"""

import hashlib
import unicodedata
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.consent import display_consent_granted, needs_guardian_for_display
from accounts.masking import mask_email, mask_name, mask_phone
from accounts.models import Profile

MAX_NAME_LENGTH = 40

# What a verification page says beside the masked name of a holder who chooses theirs.
VERIFICATION_NOTE = gettext_lazy(
    "The holder's name is partly hidden here to protect their privacy; the "
    "certificate itself carries the name its holder chose."
)


class NameChoice(models.TextChoices):
    MASKED = "masked", gettext_lazy("Partly hidden name")
    NICKNAME = "nickname", gettext_lazy("Nickname")
    REAL_NAME = "real_name", gettext_lazy("Real name")


class ChosenName(models.Model):
    """The fields a certificate model adds for its holder's chosen name."""

    name_choice = models.CharField(
        gettext_lazy("name printed"),
        max_length=10,
        choices=NameChoice.choices,
        default=NameChoice.MASKED,
    )
    # Empty while the masked `holder_name` is printed.
    printed_name = models.CharField(
        gettext_lazy("chosen name"), max_length=MAX_NAME_LENGTH, blank=True
    )

    class Meta:
        abstract = True


@dataclass(frozen=True)
class NameOption:
    choice: str
    label: str
    name: str  # what would be printed ("" when the holder has not given one yet)


def masked_name(user) -> str:
    """The name public pages show: the masked nickname, else masked phone or e-mail."""
    if user.display_name.strip():
        return mask_name(user.display_name)
    if user.phone:
        return mask_phone(user.phone)
    if user.email:
        return mask_email(user.email)
    return _("Participant")


def full_names_allowed(user) -> bool:
    """Whether `user`'s nickname or real name may be printed: adults, and children whose
    guardian agreed to public display."""
    return not needs_guardian_for_display(user) or display_consent_granted(user)


def real_name(user) -> str:
    profile = getattr(user, "profile", None) if _has_profile(user) else None
    return (profile.real_name if profile else "").strip()


def _has_profile(user) -> bool:
    try:
        user.profile  # noqa: B018  (a reverse one-to-one raises when missing)
    except user.__class__.profile.RelatedObjectDoesNotExist:
        return False
    return True


def name_options(user) -> list[NameOption]:
    """The names `user` may choose from now, the masked one first."""
    options = [NameOption(NameChoice.MASKED, str(NameChoice.MASKED.label), masked_name(user))]
    if full_names_allowed(user):
        options.append(
            NameOption(NameChoice.NICKNAME, str(NameChoice.NICKNAME.label), user.display_name)
        )
        options.append(
            NameOption(NameChoice.REAL_NAME, str(NameChoice.REAL_NAME.label), real_name(user))
        )
    return options


def name_key(name: str) -> str:
    """A short digest of a printed name, for the cache key of a drawn certificate."""
    return hashlib.sha256(name.encode()).hexdigest()[:16]


def name_to_print(certificate, user) -> str:
    """What the certificate's image shows for its holder `user`: the chosen name while it may
    be printed, else the masked one it was issued with."""
    chosen = certificate.name_choice != NameChoice.MASKED and certificate.printed_name
    if chosen and user is not None and full_names_allowed(user):
        return certificate.printed_name
    return certificate.holder_name


def _clean_typed_name(value: str) -> str:
    name = " ".join((value or "").split())
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("A name may have at most %(limit)s characters.") % {"limit": MAX_NAME_LENGTH},
            code="too_long",
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError(_("The name contains characters that cannot be printed."))
    return name


def choose_name(certificate, user, choice: str, typed_real_name: str = "") -> None:
    """Record the name `user` chose for their `certificate` (see the module docstring).

    A real name typed here is also kept in the holder's profile. Refuses, changing nothing,
    a choice the holder may not make (a child without the guardian's display consent) or a
    name that is empty, too long or unprintable. Idempotent.
    """
    allowed = {option.choice: option for option in name_options(user)}
    if choice not in allowed:
        if choice in NameChoice.values:
            raise ValidationError(
                _(
                    "Your guardian has not agreed to show your name publicly, so the "
                    "certificate can only carry the partly hidden name."
                ),
                code="needs_guardian",
            )
        raise ValidationError(_("Choose one of the names offered."), code="invalid")
    name = allowed[choice].name
    with transaction.atomic():
        if choice == NameChoice.REAL_NAME:
            typed = _clean_typed_name(typed_real_name)
            if typed and typed != name:
                Profile.objects.update_or_create(user=user, defaults={"real_name": typed})
                name = typed
        if not name.strip():
            raise ValidationError(
                _("Enter your real name first.")
                if choice == NameChoice.REAL_NAME
                else _(
                    "You have no nickname yet: set one in your profile, or choose another name."
                ),
                code="empty",
            )
        certificate.name_choice = choice
        certificate.printed_name = "" if choice == NameChoice.MASKED else name
        certificate.save(update_fields=["name_choice", "printed_name"])


def _label(option: NameOption) -> str:
    if option.name:
        return f"{option.label}：{option.name}"
    if option.choice == NameChoice.REAL_NAME:
        return _("Real name (type it in below)")
    return option.label


class CertificateNameForm(forms.Form):
    """The holder's choice of the printed name, offered on their own pages."""

    choice = forms.ChoiceField(
        label=gettext_lazy("Name on the certificate"), widget=forms.RadioSelect
    )
    real_name = forms.CharField(
        label=gettext_lazy("Real name to print"),
        required=False,
        max_length=MAX_NAME_LENGTH,
        help_text=gettext_lazy("As it should be printed, e.g. 张小明."),
    )

    def __init__(self, *args, user, certificate, **kwargs):
        options = name_options(user)
        initial = {"choice": certificate.name_choice, "real_name": real_name(user)}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["choice"].choices = [(option.choice, _label(option)) for option in options]
        self.only_masked = len(options) == 1


def choose_name_view(find_certificate, *, redirect_to, cache_keys):
    """A POST view through which a certificate's holder chooses its printed name.

    `find_certificate(code)` returns the certificate or None; `redirect_to(certificate)` is
    where the holder goes back to (their result or entry page); `cache_keys(certificate)`
    are the keys its drawn images are cached under, dropped when the name changes so that
    an image with the previous name does not outlive the choice. Only the holder may choose.
    """

    @never_cache
    @login_required
    @require_POST
    def view(request, code: str):
        certificate = find_certificate(code)
        if certificate is None:
            raise Http404
        if certificate.holder_user is None or certificate.holder_user.pk != request.user.pk:
            raise PermissionDenied
        form = CertificateNameForm(request.POST, user=request.user, certificate=certificate)
        if not form.is_valid():
            messages.error(request, _("Choose one of the names offered."))
            return HttpResponseRedirect(redirect_to(certificate))
        stale = cache_keys(certificate)
        try:
            choose_name(
                certificate,
                request.user,
                form.cleaned_data["choice"],
                form.cleaned_data["real_name"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            cache.delete_many(stale)
            messages.success(
                request,
                _("The certificate now carries “%(name)s”. Download it again to print it.")
                % {"name": name_to_print(certificate, request.user)},
            )
        return HttpResponseRedirect(redirect_to(certificate))

    return view
