"""System checks of the site's configuration (run by `manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

from kepu.public_url import is_local_address, public_base_url


@checks.register(checks.Tags.security, deploy=True)
def public_address_check(app_configs, **kwargs):
    """Rule 9: a deployed site must hand out links that phones can open."""
    if is_local_address():
        return [
            checks.Error(
                f"KEPU_BASE_URL is {public_base_url()!r}, an address only this machine can open.",
                hint="Set KEPU_BASE_URL to the public address, e.g. https://kepu.example.org; "
                "QR codes, certificates, share cards and text messages are built from it.",
                id="kepu.E001",
            )
        ]
    if not settings.DEBUG and not public_base_url().startswith("https://"):
        return [
            checks.Warning(
                f"KEPU_BASE_URL is {public_base_url()!r}, not an https:// address.",
                hint="Printed QR codes outlive configuration changes: print the https address.",
                id="kepu.W001",
            )
        ]
    return []
