"""Deleting an account and everything that belongs to it, extensible through a registry.

Rows that reference the user with `on_delete=CASCADE` go with it (profile, guardian
consents and requests, e-mail addresses, social accounts and their tokens, login sessions).
What the database cannot cascade to — files in storage, search-index entries, caches —
each app handles in a deleter:

    from accounts.deletion import register_deleter

    @register_deleter
    def delete_entries(user):
        names = list(Entry.objects.filter(author=user).values_list("file", flat=True))
        Entry.objects.filter(author=user).delete()
        outbox.services.enqueue("submissions.delete_files", names)

Deleters run inside the deletion's transaction, before the user row goes. They must not
cause irreversible side effects directly (the transaction may still roll back): record them
through the outbox or `transaction.on_commit`. If a deleter raises, nothing is deleted.
"""

import logging
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.db import transaction

from .models import LoginSession, User

logger = logging.getLogger(__name__)

Deleter = Callable[[User], None]
_deleters: list[Deleter] = []


def register_deleter(deleter: Deleter) -> Deleter:
    """Adds `deleter` to every account deletion (idempotent; usable as a decorator)."""
    if deleter not in _deleters:
        _deleters.append(deleter)
    return deleter


def deleters() -> list[Deleter]:
    return list(_deleters)


def _end_sessions(session_keys: list[str]) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store(session_key=key).delete()


def delete_account(user: User) -> None:
    """Deletes `user` and everything registered to go with them, atomically.

    Guarantees: every registered deleter runs, then the user row and all rows cascading from
    it are deleted, in one transaction (if anything fails, nothing is deleted); every
    session the user signed in with is ended, so no other device stays signed in. The
    deletion is logged with the user id only.
    """
    user_id = user.pk
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        for deleter in _deleters:
            deleter(user)
        session_keys = list(
            LoginSession.objects.filter(user=user).values_list("session_key", flat=True)
        )
        user.delete()
        transaction.on_commit(lambda: _end_sessions(session_keys))
    logger.info("account deleted", extra={"user_id": user_id})
