"""The holder's choice of the name on a certificate (competitions/core/certificates/names.py)."""

from django import template

from competitions.core.certificates.names import CertificateNameForm, name_to_print

register = template.Library()


@register.inclusion_tag("competitions/includes/certificate_name_form.html", takes_context=True)
def certificate_name_form(context, certificate, action: str):
    """The form that lets the certificate's holder choose the printed name; nothing for
    anyone else (a teacher's certificate has no holder account)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    holder = certificate.holder_user
    if user is None or holder is None or holder.pk != user.pk:
        return {"show": False}
    return {
        "show": True,
        "form": CertificateNameForm(user=user, certificate=certificate),
        "action": action,
        "printed": name_to_print(certificate, user),
        "csrf_token": context.get("csrf_token"),
        "certificate": certificate,
    }
