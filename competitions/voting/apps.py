from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "competitions.voting"
    label = "voting"
    verbose_name = _("Public voting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import publishing  # noqa: F401  (valid votes feed published results)
