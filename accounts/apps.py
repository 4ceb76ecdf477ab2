from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import exports, signals  # noqa: F401  (receivers and built-in exporters)
        from .code_field import present_code_field
        from .lockout import signals as lockout_signals  # noqa: F401

        present_code_field()
