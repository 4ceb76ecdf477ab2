from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookDriftConfig(AppConfig):
    name = "competitions.bookdrift"
    label = "bookdrift"
    verbose_name = _("Book drift")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Page cache invalidation, personal data (see each module); the outbox jobs in labels,
        # notices and reminders. (The search app imports search.py itself.)
        from . import (  # noqa: F401
            labels,
            notices,
            page_cache,
            personal_data,
            reminders,
        )

        page_cache.connect()
