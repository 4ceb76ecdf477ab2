"""The Celery application.

Workers: `celery -A kepu worker`; the outbox relay schedule: `celery -A kepu beat`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kepu.settings.dev")

app = Celery("kepu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
