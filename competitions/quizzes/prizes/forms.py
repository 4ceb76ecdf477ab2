"""Forms of the prize draw: the winners' claim form and the organisers' prize list."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.phones import national_number, parse_phone

from .services import PRIZE_NAME_FORBIDDEN, ClaimDetails

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value).strip()


class ClaimForm(forms.Form):
    """Where a winner's prize goes: recipient, mainland mobile number and postal address."""

    recipient_name = forms.CharField(
        label=_("Recipient"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter the recipient's name.")},
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=24,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"},
        ),
        help_text=_("A mainland China mobile number, for example 138 1234 5678."),
        error_messages={"required": _("Enter a mobile number the courier can call.")},
    )
    address = forms.CharField(
        label=_("Postal address"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("Province, city, district, street and house number."),
        error_messages={"required": _("Enter the address the prize should be sent to.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(),
    )

    def clean_recipient_name(self):
        name = _one_line(self.cleaned_data["recipient_name"])
        if len(name) < 2 or _CONTROL.search(name) or name.isdigit():
            raise ValidationError(_("Enter the recipient's real name."), code="invalid_name")
        return name

    def clean_phone(self):
        phone = parse_phone(self.cleaned_data["phone"])
        if phone is None:
            raise ValidationError(
                _("Enter a valid mainland China mobile number, for example 138 1234 5678."),
                code="invalid_phone",
            )
        return phone

    def clean_address(self):
        address = _one_line(self.cleaned_data["address"])
        # A courier in mainland China needs the address in Chinese, province to house number.
        if len(address) < 8 or not _CJK.search(address) or _CONTROL.search(address):
            raise ValidationError(
                _(
                    "Enter the full address: province, city, district, street and house "
                    "number, so the courier can find it."
                ),
                code="incomplete_address",
            )
        return address

    def clean_note(self):
        return _one_line(self.cleaned_data["note"])

    def details(self) -> ClaimDetails:
        data = self.cleaned_data
        return ClaimDetails(data["recipient_name"], data["phone"], data["address"], data["note"])

    @classmethod
    def initial_from(cls, claim) -> dict:
        return {
            "recipient_name": claim.recipient_name,
            "phone": national_number(claim.phone),
            "address": claim.address,
            "note": claim.note,
        }


class PrizeForm(forms.Form):
    name = forms.CharField(label=_("Prize"), max_length=40, required=False)
    count = forms.IntegerField(
        label=_("Number of winners"), min_value=1, max_value=10000, required=False
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if PRIZE_NAME_FORBIDDEN.search(name):
            raise ValidationError(_("A prize name cannot contain “:” or “,”."), code="bad_name")
        return name

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("count"):
            self.add_error("count", _("How many of this prize?"))
        if data.get("count") and not data.get("name"):
            self.add_error("name", _("Name the prize."))
        return data


class BasePrizeFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        names = [name for name, _count in self.prizes()]
        if len(names) != len(set(names)):
            raise ValidationError(_("Each prize needs its own name."), code="duplicate")

    def prizes(self) -> list[tuple[str, int]]:
        """(name, count) of the filled rows, in row order."""
        return [
            (form.cleaned_data["name"], form.cleaned_data["count"])
            for form in self.forms
            if form.cleaned_data.get("name")
        ]


PrizeFormSet = forms.formset_factory(PrizeForm, formset=BasePrizeFormSet, extra=3, max_num=20)
