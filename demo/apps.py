from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for development and tests (`manage.py load_demo`); not installed in
    production (kepu.settings.dev and kepu.settings.test add it)."""

    name = "demo"
    verbose_name = "Demo content"
