"""allauth's one-time code field, as Chinese sites present it.

Every allauth form that asks for a code sent by text or e-mail (sign-in, phone and e-mail
verification, password reset) shares one field object from `BaseConfirmCodeForm`. Its label,
"Code", is also Wagtail's name for inline code in the rich-text editor, so it cannot be
retranslated in a catalogue: the field itself is relabelled 验证码 here, once, at start-up,
and asks phones for the numeric keypad and to offer the code from the text message.
"""

from allauth.account.forms import BaseConfirmCodeForm
from django.utils.translation import gettext_lazy as _


def present_code_field() -> None:
    """Relabels the shared code field (called from AccountsConfig.ready)."""
    field = BaseConfirmCodeForm.base_fields["code"]
    field.label = _("Verification code")
    field.widget.attrs.pop("placeholder", None)
    field.widget.attrs.update({"inputmode": "numeric", "autocomplete": "one-time-code"})
