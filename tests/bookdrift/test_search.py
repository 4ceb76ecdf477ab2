import pytest

from competitions.bookdrift import catalogue
from competitions.bookdrift.models import BookReview
from competitions.bookdrift.search import BOOKS
from search import documents
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.contests import EntryFactory
from tests.factories.users import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_books_reviews_and_campaigns_are_registered_search_sources():
    assert {"book", "review", "drift"} <= set(documents.sources())


def test_a_book_of_a_public_drift_is_a_document_with_its_suggestions():
    copy = CopyFactory(book__title="冰芯里的秘密", book__summary="科考队员钻取冰芯。")

    (doc,) = documents.documents_for_keys([f"book:{copy.book_id}"])

    assert doc.kind == "book" and doc.title == "冰芯里的秘密"
    assert doc.url == f"/drift/book/{copy.book_id}/" and "冰芯" in doc.summary
    assert doc.suggest  # pinyin inputs added by the search app
    assert copy.code not in repr(doc)


def test_a_book_with_only_a_pending_donation_is_not_searchable():
    copy = catalogue.donate_copy(CampaignFactory(), UserFactory(), title="小小气象站")

    assert documents.document_for_key(f"book:{copy.book_id}") is None


def test_only_reviews_shown_and_publicly_displayable_are_searchable():
    copy = CopyFactory()
    shown = BookReview.objects.create(
        entry=EntryFactory(title="想去看海"), book=copy.book, shown=True
    )
    child = BookReview.objects.create(
        entry=EntryFactory(author=PupilFactory()), book=copy.book, shown=True
    )

    doc = documents.document_for_key(f"review:{shown.pk}")

    assert doc.kind == "work" and doc.title == "想去看海" and doc.section == copy.book.title
    assert documents.document_for_key(f"review:{child.pk}") is None


def test_public_campaigns_are_campaign_documents():
    public, hidden = CampaignFactory(title="春季漂流"), CampaignFactory(is_public=False)

    assert documents.document_for_key(f"drift:{public.pk}").kind == "campaign"
    assert documents.document_for_key(f"drift:{hidden.pk}") is None


def test_saving_a_book_asks_for_its_document_to_be_refreshed(django_capture_on_commit_callbacks):
    from outbox.models import OutboxMessage

    copy = CopyFactory()
    OutboxMessage.objects.all().delete()

    copy.book.save()

    (message,) = OutboxMessage.objects.filter(target="search.update")
    assert f"book:{copy.book_id}" in message.args


def test_the_book_source_names_its_documents_by_the_book_prefix():
    assert BOOKS.key(7) == "book:7"
    assert documents.sources()["book"].model is BOOKS.model
