"""Version numbers that every process of one site shares, kept in the database.

The page cache and the site memo keep their values per process and a version number in the
shared cache (kepu/memo.py). With Redis every process reads the same number. The embedded
default has no shared cache: each process's local-memory cache holds its own number, so a
page that `publish_scheduled` (another process) publishes stayed invisible to readers until
the cached copy expired. There the number lives in this table instead: one row per memo,
read by each process at most once a second, and given a new number in the transaction
that changed the content, so no process can see the new number before the change it
announces.
"""

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import IntegrityError, models, transaction


class SharedVersion(models.Model):
    name = models.CharField(max_length=100, unique=True)
    value = models.BigIntegerField()

    class Meta:
        verbose_name = "shared version"

    def __str__(self):
        return f"{self.name}={self.value}"


class DatabaseVersionStore:
    """The part of Django's cache API that VersionedMemo uses, on SharedVersion rows."""

    def get(self, key: str) -> int | None:
        return SharedVersion.objects.filter(name=key).values_list("value", flat=True).first()

    def add(self, key: str, value: int, timeout=None) -> bool:
        try:
            with transaction.atomic():
                SharedVersion.objects.create(name=key, value=value)
        except IntegrityError:  # another process added it first: theirs counts
            return False
        return True

    def set(self, key: str, value: int, timeout=None) -> None:
        SharedVersion.objects.update_or_create(name=key, defaults={"value": value})


_DATABASE_STORE = DatabaseVersionStore()


def shared_version_store() -> DatabaseVersionStore | None:
    """The database store while the default cache lives inside each process (the embedded
    default: local memory), else None: the cache itself (Redis) is shared."""
    if isinstance(caches["default"], LocMemCache | DummyCache):
        return _DATABASE_STORE
    return None
