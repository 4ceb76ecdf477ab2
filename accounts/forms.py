"""Forms of the accounts app, including the extended allauth sign-in and sign-up forms."""

from math import ceil

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core.internal.ratelimit import parse_rates
from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from .age import validate_birth_month
from .lockout import policy as lockout
from .lockout.forms import PasswordGuardMixin
from .models import Profile, User
from .phones import PhoneField


class LoginForm(PasswordGuardMixin, AllauthLoginForm):
    """allauth's sign-in form, saying plainly what goes into the login field, and guarded
    against password guessing (accounts/lockout/)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Mobile number or e-mail address")
        # The label says it all; a long placeholder would only be cut off on a phone.
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autocomplete"] = "username"
        typed = self.data.get(self.add_prefix("login"), "") if self.is_bound else ""
        self.setup_guard(self.request, lockout.account_for_login(typed))

    def clean(self):
        if self._errors or not self.cleaned_data.get("password"):
            return super().clean()
        return self.guarded(super().clean)


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """Asking for a sign-in code. allauth refuses a request beyond its limit with its sign-in
    lockout wording (this says what actually happened, and for how long), and it makes both
    the phone and the e-mail field optional when both are sign-in methods, then fails (a 500)
    on a form with neither."""

    def clean_phone(self):
        return self._with_accurate_limit_message(super().clean_phone)

    def clean_email(self):
        # The same check of the address as everywhere else (AccountAdapter.clean_email).
        if self.cleaned_data.get("email"):
            get_adapter().clean_email(self.cleaned_data["email"])
        return self._with_accurate_limit_message(super().clean_email)

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not (cleaned_data.get("phone") or cleaned_data.get("email")):
            raise ValidationError(
                _("Enter a mobile number or an e-mail address (at least one of them).")
            )
        return cleaned_data

    def _with_accurate_limit_message(self, clean):
        try:
            return clean()
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                message = _(
                    "Codes were requested too often. Please wait %(minutes)d minutes and try again."
                ) % {"minutes": _code_request_wait_minutes()}
                raise ValidationError(message, code="too_many_code_requests") from error
            raise


def _code_request_wait_minutes() -> int:
    """The longest window of allauth's limits on code requests, in whole minutes."""
    rates = parse_rates(allauth_settings.RATE_LIMITS.get("request_login_code"))
    return max([1, *(ceil(rate.duration / 60) for rate in rates)])


class SignupForm(AllauthSignupForm):
    """Sign-up with a mobile number, an e-mail address or both: at least one is required."""

    field_order = ["phone", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "phone" in self.fields:
            self.fields["phone"].label = _("Mobile number")
            self.fields["phone"].help_text = _("Enter a mobile number, an e-mail address, or both.")
        if "email" in self.fields:
            self.fields["email"].label = _("E-mail address")

    def clean(self):
        cleaned_data = super().clean()
        contact_errors = self.has_error("phone") or self.has_error("email")
        if not contact_errors and not cleaned_data.get("phone") and not cleaned_data.get("email"):
            raise ValidationError(
                _("Enter a mobile number or an e-mail address (at least one of them)."),
                code="no_contact",
            )
        return cleaned_data


class BirthMonthForm(forms.Form):
    """The age step: birth year and month, nothing else."""

    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        error_messages={
            "required": _("Enter the year you were born."),
            "invalid": _("Enter the year in digits, for example 2012."),
        },
        widget=forms.NumberInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "bday-year",
                "placeholder": _("e.g. 2012"),
            }
        ),
    )
    birth_month = forms.TypedChoiceField(
        label=_("Month of birth"),
        coerce=int,
        error_messages={"required": _("Choose the month you were born.")},
        choices=[("", _("Choose a month"))] + [(n, MONTHS[n]) for n in range(1, 13)],
        widget=forms.Select(attrs={"autocomplete": "bday-month"}),
    )

    def clean(self):
        cleaned_data = super().clean()
        year, month = cleaned_data.get("birth_year"), cleaned_data.get("birth_month")
        if year is not None and month is not None:
            try:
                validate_birth_month(year, month)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned_data


class ProfileForm(forms.ModelForm):
    """The profile page: the name others see plus the optional personal details."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=40,
        required=False,
        help_text=_("Shown next to your quiz results and entries. A nickname is fine."),
    )

    class Meta:
        model = Profile
        fields = ["real_name", "region", "school", "grade"]
        widgets = {
            "real_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "region": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "school": forms.TextInput(attrs={"autocomplete": "organization"}),
        }

    field_order = ["display_name", "real_name", "region", "school", "grade"]

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["display_name"].initial = user.display_name
        self.fields["grade"].choices = [("", _("Choose a grade")), *Profile.Grade.choices]

    def save(self, commit=True):
        profile = super().save(commit=False)
        profile.user = self.user
        self.user.display_name = self.cleaned_data["display_name"].strip()
        if commit:
            self.user.save(update_fields=["display_name"])
            profile.save()
        return profile


class GuardianPhoneForm(forms.Form):
    phone = PhoneField(label=_("Your parent's or guardian's mobile number"))


class GuardianDecisionForm(forms.Form):
    """The guardian's page: the code from their text message, and the button they press."""

    code = forms.CharField(
        label=_("Verification code from the text message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
            }
        ),
    )
    decision = forms.ChoiceField(
        choices=[("agree", _("Agree")), ("refuse", _("Refuse"))],
        error_messages={"required": _("Press “Agree” or “Refuse”.")},
    )


class DeleteAccountForm(PasswordGuardMixin, forms.Form):
    """Confirms an account deletion: the password (checked like a sign-in, see
    accounts/lockout/), or a typed phrase for password-less accounts."""

    def __init__(self, *args, user: User, request, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=_("Your password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
            )
            self.setup_guard(request, lockout.account_for_user(user))
        else:
            self.fields["confirmation"] = forms.CharField(
                label=_("Type “%(phrase)s” to confirm") % {"phrase": self.phrase()},
                widget=forms.TextInput(attrs={"autocomplete": "off"}),
            )

    @staticmethod
    def phrase() -> str:
        return str(_("delete my account"))

    def clean_password(self):
        return self.guarded(self._check_password)

    def _check_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."), code="wrong_password")
        return password

    def clean_confirmation(self):
        value = " ".join(self.cleaned_data["confirmation"].split())
        if value != self.phrase():
            raise ValidationError(
                _("Type the words exactly as shown to confirm."), code="wrong_phrase"
            )
        return value
