from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "competitions.core"
    label = "competitions"
    verbose_name = _("Competitions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The moderation word list follows organisers' edits (text_checks.py).
        from . import text_checks  # noqa: F401
