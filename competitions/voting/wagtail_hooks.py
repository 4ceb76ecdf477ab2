"""Public voting administration in Wagtail: fraud monitoring and voiding (fraud_admin.py)."""

from . import fraud_admin  # noqa: F401
