"""Masking of personal data for staff screens (DESIGN.md rule 8: masked by default)."""

from .phones import national_number


def mask_phone(phone: str | None) -> str:
    """Shows the first three and last four digits: "+8613812345678" → "138****5678"."""
    if not phone:
        return ""
    digits = national_number(phone)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 2, 1) + digits[-2:]


def mask_name(name: str | None) -> str:
    """ "张三丰" → "张**", "Ada Lovelace" → "A***********": only the first character shows."""
    if not name:
        return ""
    name = name.strip()
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def mask_email(email: str | None) -> str:
    """ "zhang.san@example.org" → "z***@example.org"."""
    if not email:
        return ""
    local, _, domain = email.partition("@")
    if not domain:
        return mask_name(email)
    return f"{local[:1]}***@{domain}"
