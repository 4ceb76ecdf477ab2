from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "competitions.quizzes"
    label = "quizzes"
    verbose_name = _("Quizzes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts.exports import register_exporter

        # personal_data registers the account-export section; certificates and tasks their
        # outbox jobs.
        from . import papers, personal_data, tasks  # noqa: F401
        from .certificates import services  # noqa: F401
        from .prizes.services import export_prize_wins

        register_exporter(export_prize_wins)
        papers.connect_signals()
