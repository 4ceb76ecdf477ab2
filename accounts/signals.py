"""Signal receivers of the accounts app (connected in `AccountsConfig.ready`)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import connections
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import LoginSession, User


@receiver(pre_delete, sender=User)
def allow_consent_records_to_go_with_the_account(sender, instance, using, **kwargs):
    """Tells the PostgreSQL guard (migration 0003) that this user's consents may be deleted.

    Runs inside the deletion's transaction; the setting is transaction-local, so it opens
    nothing beyond this one account deletion.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('kepu.deleting_users', "
            "coalesce(nullif(current_setting('kepu.deleting_users', true), ''), ',') "
            "|| %s || ',', true)",
            [str(instance.pk)],
        )


@receiver(user_logged_in)
def remember_login_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is None or user is None or user.pk is None:
        return
    if session.session_key is None:
        session.save()
    LoginSession.objects.update_or_create(session_key=session.session_key, defaults={"user": user})
    # Sessions that ended without a sign-out (expired, cookie cleared) are forgotten here.
    stale = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    LoginSession.objects.filter(user=user, created_at__lt=stale).delete()


@receiver(user_logged_out)
def forget_login_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        LoginSession.objects.filter(session_key=session.session_key).delete()
