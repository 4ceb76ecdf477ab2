from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "competitions.judging"
    label = "judging"
    verbose_name = _("Expert judging")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import file_access  # noqa: F401  (assigned judges may open entry files)
