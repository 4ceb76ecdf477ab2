from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "competitions.submissions"
    label = "submissions"
    verbose_name = _("Submission contests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Deletes an entry file's stored file (and video) whenever its row goes, in every
        # process (web, worker, management commands); entries in account exports and deletion;
        # the outbox jobs in files/checks.py and results/tasks.py.
        from . import personal_data  # noqa: F401
        from .files import checks, uploads  # noqa: F401
        from .results import tasks  # noqa: F401
