from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "competitions.judging"
    label = "judging"
    verbose_name = _("Expert judging")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Assigned judges may open entry files; final scores feed published results; the
        # judges' scores go into contest exports; ruled-out entries leave judges' queues; a
        # judge's own data goes into their account export.
        from . import exports, file_access, personal_data, publishing, signals  # noqa: F401
