"""Template filters for the admin's page-type report."""

from django import template
from django.apps import apps

register = template.Library()


@register.filter
def app_verbose_name(content_type) -> str:
    """The translated name of the app a content type belongs to ("内容"), never its label."""
    return apps.get_app_config(content_type.app_label).verbose_name
