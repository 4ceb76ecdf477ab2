from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")

    def ready(self):
        from kepu import checks  # noqa: F401  (register the configuration checks)

        # Cache invalidation; the outbox jobs in tasks.py.
        from . import cache, sites, tasks  # noqa: F401
