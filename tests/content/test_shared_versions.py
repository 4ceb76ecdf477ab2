"""content/shared_versions.py: memo versions in the database while the cache is per process."""

import pytest

from content.shared_versions import DatabaseVersionStore, SharedVersion, shared_version_store
from kepu.memo import VersionedMemo

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_the_database_keeps_the_version_while_the_cache_is_local_memory(settings):
    settings.CACHES = LOCAL_MEMORY

    assert isinstance(shared_version_store(), DatabaseVersionStore)


def test_a_shared_cache_keeps_the_version_itself(settings):
    settings.CACHES = {
        "default": {"BACKEND": "kepu.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }

    assert shared_version_store() is None


def test_two_processes_memos_stay_in_step_through_the_database(settings):
    settings.CACHES = LOCAL_MEMORY
    # Two memos of one name with their own local caches: what two processes hold.
    here = VersionedMemo("test-db", recheck_seconds=0, store=shared_version_store)
    there = VersionedMemo("test-db", recheck_seconds=0, store=shared_version_store)
    values = {"title": "旧"}
    assert here.get("k", lambda: values["title"]) == "旧"
    assert there.get("k", lambda: values["title"]) == "旧"

    values["title"] = "新"
    here.invalidate()

    assert there.get("k", lambda: values["title"]) == "新"
    assert SharedVersion.objects.get(name=here.version_key).value == here.version()


def test_the_first_process_to_add_a_version_wins_and_a_new_number_replaces_it():
    store = DatabaseVersionStore()

    assert store.get("memo:nothing:version") is None
    assert store.add("memo:nothing:version", 7) is True
    assert store.add("memo:nothing:version", 9) is False  # the first one counts
    assert store.get("memo:nothing:version") == 7
    store.set("memo:nothing:version", 11)
    assert store.get("memo:nothing:version") == 11
