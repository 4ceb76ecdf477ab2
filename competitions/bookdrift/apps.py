from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookDriftConfig(AppConfig):
    name = "competitions.bookdrift"
    label = "bookdrift"
    verbose_name = _("Book drift")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Page cache invalidation, search registration, personal data (see each module).
        from . import page_cache, personal_data, search_sources  # noqa: F401

        page_cache.connect()
        search_sources.register()
