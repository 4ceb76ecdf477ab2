"""Wagtail's per-save indexing replaced by one bulk pass at the end of the demo load."""

import pytest
from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from demo.background import bulk_indexing
from demo.content import illustration
from outbox.models import OutboxMessage
from tests.factories.pages import ArticlePageFactory, HomePageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

WAGTAIL_TASKS = (
    "wagtail.tasks.update_reference_index_task",
    "modelsearch.tasks.insert_or_update_object_task",
)


def queued_wagtail_tasks() -> int:
    messages = OutboxMessage.objects.values_list("args", flat=True)
    return sum(1 for args in messages if args and args[0] in WAGTAIL_TASKS)


def admin_search_has(instance) -> bool:
    return IndexEntry.objects.filter(object_id=str(instance.pk), title=instance.title).exists()


def test_saves_in_the_block_queue_nothing_and_are_indexed_once_at_its_end(db):
    with bulk_indexing():
        image = illustration("bulk-test", "批量索引测试图")
        article = ArticlePageFactory(
            parent=HomePageFactory(parent=Page.get_first_root_node()),
            title="批量索引测试文章",
            lead_image=image,
        )
        article.title = "批量索引测试文章（改）"
        article.save()
        assert not ReferenceIndex.get_references_for_object(article).exists()

    assert queued_wagtail_tasks() == 0
    references = ReferenceIndex.get_references_for_object(article)
    assert references.filter(to_object_id=str(image.pk)).exists()
    assert admin_search_has(article) and admin_search_has(image)


def test_wagtail_queues_its_tasks_again_after_a_block_that_failed(db):
    with pytest.raises(RuntimeError), bulk_indexing():
        illustration("failed-block", "失败块里的图")
        raise RuntimeError

    illustration("after-block", "块之后的图")

    assert queued_wagtail_tasks() == 2
