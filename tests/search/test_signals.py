"""An app's `visibility_changed` signal asks for its objects' documents after the commit."""

import pytest

from content.models import Topic
from outbox.models import OutboxMessage
from search.documents import visibility_changed

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def requested_keys() -> list[str]:
    return [
        key
        for message in OutboxMessage.objects.filter(target="search.update").order_by("pk")
        for key in message.args
    ]


def test_a_registered_models_objects_are_requested_by_their_keys():
    visibility_changed.send(sender=Topic, pks=[3, 4])

    assert requested_keys() == ["topic:3", "topic:4"]


def test_a_page_types_objects_are_requested_as_pages():
    from content.models import ArticlePage

    visibility_changed.send(sender=ArticlePage, pks=[12])

    assert requested_keys() == ["page:12"]


def test_a_model_nobody_registered_is_a_programming_error():
    with pytest.raises(LookupError):
        visibility_changed.send(sender=OutboxMessage, pks=[1])
    assert requested_keys() == []
