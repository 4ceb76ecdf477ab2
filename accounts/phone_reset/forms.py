"""The two forms of a phone password reset: the number, then the code and a new password."""

from allauth.account.fields import PasswordField, SetPasswordField
from allauth.account.forms import PasswordVerificationMixin
from django import forms
from django.utils.translation import gettext_lazy as _

from ..phones import PhoneField


class PhoneResetRequestForm(forms.Form):
    phone = PhoneField(help_text=_("The mobile number you signed up with."))


class PhoneResetConfirmForm(PasswordVerificationMixin, forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 20}
        ),
    )
    password1 = SetPasswordField(label=_("New password"))
    password2 = PasswordField(label=_("New password (again)"), autocomplete="new-password")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The password rules compare the new password with the account's details.
        self.fields["password1"].user = user
