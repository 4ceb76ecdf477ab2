"""Wagtail's per-save background work, done once in bulk at the end of the demo load.

Every save of a page, image, question or copy asks Wagtail to refresh that object's
reference-index rows and its admin-search entry, each as a separate background task (through
the outbox, one message per save: about 1,100 for the demo, many for the same object). The
demo load is one transaction that saves thousands of rows, so inside `bulk_indexing()` those
per-save tasks are not queued; the saved objects are collected instead and, when the block
ends without an error, each distinct object is indexed once, in its final state: the same
rows Wagtail's tasks would have written after the commit.
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save
from modelsearch import index as model_search
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler as search_on_save
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

DISPATCH_UID = "demo-bulk-indexing"


class _Collected:
    def __init__(self):
        self.referencing: dict[type, set] = defaultdict(set)
        self.searchable: dict[type, set] = defaultdict(set)
        self.deleted: list = []

    def saved(self, sender, instance, raw=False, **kwargs):
        if raw:
            return
        if sender in ReferenceIndex.tracked_models:
            self.referencing[sender].add(instance.pk)
        if sender in self.search_models:
            self.searchable[sender].add(instance.pk)

    def removed(self, sender, instance, **kwargs):
        if sender in ReferenceIndex.tracked_models:
            self.deleted.append(instance)


@contextmanager
def bulk_indexing():
    """Runs the block without Wagtail's per-save reference-index and admin-search tasks, then
    indexes every object the block saved, once each, in bulk.

    Guarantees: afterwards the reference index and the admin search hold the same rows as
    if each save had queued its own task; nothing is indexed if the block raises (its
    transaction rolls back). Wagtail's handlers are back in place when the block ends.
    Deleting rows keeps working as usual (admin-search removal is immediate in Wagtail too).
    """
    collected = _Collected()
    collected.search_models = [
        model
        for model in model_search.get_indexed_models()
        if getattr(model, "search_auto_update", True)
    ]
    for model in collected.search_models:
        post_save.disconnect(search_on_save, sender=model)
    post_save.connect(collected.saved, dispatch_uid=DISPATCH_UID, weak=False)
    post_delete.connect(collected.removed, dispatch_uid=DISPATCH_UID, weak=False)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        post_save.disconnect(dispatch_uid=DISPATCH_UID)
        post_delete.disconnect(dispatch_uid=DISPATCH_UID)
        for model in collected.search_models:
            post_save.connect(search_on_save, sender=model)
    _index_references(collected)
    _index_for_admin_search(collected)


def _index_references(collected: _Collected) -> None:
    for instance in collected.deleted:
        ReferenceIndex.remove_for_object(instance)
        ReferenceIndex.remove_references_to(instance)
    for model, pks in collected.referencing.items():
        meta = model._meta
        for pk in model.objects.filter(pk__in=pks).values_list("pk", flat=True):
            # Wagtail's own task: it indexes a ParentalKey child's parent instead.
            update_reference_index_task.call(meta.app_label, meta.model_name, str(pk))


def _index_for_admin_search(collected: _Collected) -> None:
    backends = list(get_search_backends(with_auto_update=True))
    for model, pks in collected.searchable.items():
        instances = [
            indexed
            for instance in model.get_indexed_objects().filter(pk__in=pks)
            if (indexed := instance.get_indexed_instance()) is not None
        ]
        if not instances:
            continue
        by_model = defaultdict(list)
        for instance in instances:
            by_model[type(instance)].append(instance)
        for backend in backends:
            for indexed_model, objects in by_model.items():
                backend.add_bulk(indexed_model, objects)
