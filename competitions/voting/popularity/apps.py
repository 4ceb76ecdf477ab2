from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopularityConfig(AppConfig):
    """The popularity score (人气) of contest entries: votes, share opens and comments."""

    name = "competitions.voting.popularity"
    label = "popularity"
    verbose_name = _("Popularity")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The popularity award follows the score where a contest has a rule (publishing.py).
        from . import publishing  # noqa: F401
