from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Content")

    def ready(self):
        from kepu import checks  # noqa: F401  (register the configuration checks)

        # Cache invalidation; the Celery tasks and outbox jobs of pages, reach and video.
        from . import cache, sites, tasks  # noqa: F401
        from .reach import tasks as reach_tasks  # noqa: F401
        from .video import tasks as video_tasks  # noqa: F401
