"""Judges stop seeing entries an organiser ruled out (submissions/eligibility.py)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from competitions.submissions.models import Ineligibility

from .models import Assignment, Score


@receiver(post_save, sender=Ineligibility, dispatch_uid="judging.drop_unscored_ineligible")
def drop_unscored_assignments(sender, instance, created, **kwargs):
    """Unscored assignments of a ruled-out entry go; submitted scores stay as a record."""
    Assignment.objects.filter(entry_id=instance.entry_id).exclude(
        score__status=Score.Status.SUBMITTED
    ).delete()
