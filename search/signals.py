"""When the index must change: the apps' `visibility_changed` signal and Wagtail's page signals.

Every receiver only records which keys to refresh (`indexing.request_update`, through the
outbox, after the commit); the task re-reads the objects when it runs. Connected in
`SearchConfig.ready()`. Which of an app's changes matter is the app's to say (its
`search.py` sends `documents.visibility_changed`); the page tree is Wagtail's, so publishing,
unpublishing, moving, deleting and restricting pages are listened to here.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search import documents, pages
from search.constants import MAX_SUBTREE_KEYS
from search.indexing import request_update


def _visibility_changed(sender, pks, **kwargs):
    source = documents.source_of(sender)
    request_update([source.key(pk) for pk in pks[:MAX_SUBTREE_KEYS]])


def _page_changed(sender, instance, **kwargs):
    # A section's title appears in its pages' documents.
    keys = pages.subtree_keys(instance) if pages.names_section(instance) else []
    request_update([f"page:{instance.pk}", *keys])


def _page_moved(sender, instance, **kwargs):
    # Every address below the moved page changed.
    request_update(pages.subtree_keys(instance))


def _page_deleted(sender, instance, **kwargs):
    # Connected for the base Page row, which every page type has: one key per page.
    request_update([f"page:{instance.pk}"])


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        request_update(pages.subtree_keys(page))


def connect() -> None:
    documents.visibility_changed.connect(_visibility_changed, dispatch_uid="search_visibility")
    page_published.connect(_page_changed, dispatch_uid="search_page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="search_page_unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="search_page_moved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="search_page_deleted")
    post_save.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="search_pvr_saved"
    )
    post_delete.connect(
        _restriction_changed, sender=PageViewRestriction, dispatch_uid="search_pvr_deleted"
    )
