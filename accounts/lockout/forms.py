"""Forms that check a password, all through one guard (see accounts/lockout/policy.py).

The site's sign-in form (`accounts.forms.LoginForm`) and the account deletion form use the
mixin too; the admin's sign-in, allauth's re-authentication and password change are here.
"""

from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.core import context
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from kepu.captcha import CaptchaField

from . import policy

CAPTCHA_FIELD = "captcha"


class PasswordGuardMixin:
    """For a form that checks a password.

    The form calls `setup_guard(request, account)` at the end of `__init__` (account None
    while the form does not name one yet) and wraps the call that checks the password in
    `guarded()`. Guarantees: while the guard refuses, the password is not checked at all (so
    guessing learns nothing); when a captcha is due, it is answered before the password is
    checked; every checked password is reported to the policy; and whenever a captcha is due
    the form shows a fresh question, right after the field `captcha_after`.
    """

    captcha_after = "password"

    def setup_guard(self, request, account: str | None) -> None:
        self.guard_request = request
        self.guard_account = account
        self.guard_verdict = policy.assess(request, account)
        if self.guard_verdict.captcha:
            self._add_captcha()

    def guarded(self, check):
        """Runs `check()` — which checks the password and raises ValidationError when it is
        wrong — if the guard allows it now, and reports the outcome. Returns what `check`
        returns; raises ValidationError (code "locked" or "captcha") when refused."""
        verdict = self.guard_verdict
        if verdict.locked:
            raise ValidationError(verdict.message, code="locked")
        if verdict.captcha:
            self._require_captcha()
        attempt = policy.begin_attempt(self.guard_request, self.guard_account)
        if attempt.locked:
            raise ValidationError(attempt.message, code="locked")
        try:
            result = check()
        except ValidationError:
            policy.record_failure(self.guard_request, self.guard_account)
            if policy.assess(self.guard_request, self.guard_account).captcha:
                self._add_captcha()
            raise
        policy.record_success(self.guard_request, self.guard_account)
        return result

    def is_locked_out(self) -> bool:
        """Whether the form was refused by a lockout (views answer 429 then)."""
        return any(
            error.code == "locked" for errors in self.errors.as_data().values() for error in errors
        )

    def _require_captcha(self) -> None:
        field = self.fields.get(CAPTCHA_FIELD)
        name = self.add_prefix(CAPTCHA_FIELD)
        answer, token = field.widget.value_from_datadict(self.data, self.files, name)
        if field.solved((answer, token)):
            return
        if answer.strip():
            message = _("That answer is not right. Please answer the new question.")
        else:
            message = _("Please answer the question below first.")
        raise ValidationError(message, code="captcha")

    def _add_captcha(self) -> None:
        if CAPTCHA_FIELD in self.fields:
            return
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == self.captcha_after:
                fields[CAPTCHA_FIELD] = CaptchaField()
        fields.setdefault(CAPTCHA_FIELD, CaptchaField())
        self.fields = fields


class AdminLoginForm(PasswordGuardMixin, WagtailLoginForm):
    """The Wagtail admin's sign-in (`WAGTAILADMIN_USER_LOGIN_FORM`), guarded."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Wagtail's field has no label of its own, so it showed the untranslated field name.
        self.fields["password"].label = _("Password")
        login = self.data.get(self.add_prefix("username"), "") if self.is_bound else ""
        self.setup_guard(request, policy.account_for_login(login))

    def clean(self):
        if not (self.cleaned_data.get("username") and self.cleaned_data.get("password")):
            return super().clean()
        return self.guarded(super().clean)


class ReauthenticateForm(PasswordGuardMixin, AllauthReauthenticateForm):
    """allauth's "confirm your password" step, guarded like a sign-in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_guard(context.request, policy.account_for_user(self.user))

    def clean_password(self):
        return self.guarded(super().clean_password)


class ChangePasswordForm(PasswordGuardMixin, AllauthChangePasswordForm):
    """allauth's password change: the current password is checked like a sign-in."""

    captcha_after = "oldpassword"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_guard(context.request, policy.account_for_user(self.user))

    def clean_oldpassword(self):
        return self.guarded(super().clean_oldpassword)
