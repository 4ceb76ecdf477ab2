from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "competitions.voting"
    label = "voting"
    verbose_name = _("Public voting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Valid votes feed published results; votes go into account exports and deletion.
        from . import personal_data, publishing  # noqa: F401
