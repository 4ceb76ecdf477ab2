import pytest
from django.core.cache import cache

from competitions.bookdrift import page_cache
from tests.bookdrift.helpers import catch
from tests.factories.bookdrift import CopyFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_a_step_makes_the_copy_and_book_pages_stale_but_not_other_copies(
    client, django_capture_on_commit_callbacks
):
    copy, other = CopyFactory(), CopyFactory()
    same_book = CopyFactory(book=copy.book, campaign=copy.campaign)
    paths = (f"/d/{copy.code}", f"/drift/book/{copy.book_id}/", f"/d/{other.code}")
    for path in (*paths, f"/d/{same_book.code}"):
        client.get(path)

    with django_capture_on_commit_callbacks(execute=True):
        catch(copy, UserFactory())

    assert client.get(f"/d/{copy.code}")["X-Page-Cache"] == "miss"
    assert client.get(f"/drift/book/{copy.book_id}/")["X-Page-Cache"] == "miss"
    assert client.get(f"/d/{other.code}")["X-Page-Cache"] == "hit"
    assert client.get(f"/d/{same_book.code}")["X-Page-Cache"] == "hit"


def test_showing_a_review_makes_the_pages_of_every_copy_of_its_book_stale(
    client, django_capture_on_commit_callbacks
):
    from competitions.bookdrift import reviews
    from competitions.bookdrift.models import BookReview
    from tests.factories.contests import EntryFactory

    copy = CopyFactory()
    sibling = CopyFactory(book=copy.book, campaign=copy.campaign)
    review = BookReview.objects.create(entry=EntryFactory(), book=copy.book)
    for path in (f"/d/{copy.code}", f"/d/{sibling.code}"):
        client.get(path)

    with django_capture_on_commit_callbacks(execute=True):
        reviews.set_shown(BookReview.objects.filter(pk=review.pk), True, by=UserFactory())

    assert client.get(f"/d/{copy.code}")["X-Page-Cache"] == "miss"
    assert client.get(f"/d/{sibling.code}")["X-Page-Cache"] == "miss"


def test_an_organisers_edit_of_a_book_makes_every_drift_page_stale(client):
    copy = CopyFactory()
    client.get(f"/d/{copy.code}")

    copy.book.title = "新书名"
    copy.book.save()

    response = client.get(f"/d/{copy.code}")
    assert response["X-Page-Cache"] == "miss" and "新书名" in response.content.decode()


def test_publishing_anything_on_the_site_makes_drift_pages_stale(client):
    from content.cache import invalidate

    copy = CopyFactory()
    client.get(f"/d/{copy.code}")

    invalidate()

    assert client.get(f"/d/{copy.code}")["X-Page-Cache"] == "miss"


def test_query_strings_other_than_page_are_never_cached(client):
    copy = CopyFactory()

    client.get(f"/d/{copy.code}?utm=wx")
    response = client.get(f"/d/{copy.code}?utm=wx")

    assert "X-Page-Cache" not in response


def test_pages_are_rendered_when_the_cache_is_unreachable(client, monkeypatch):
    copy = CopyFactory()

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)

    response = client.get(f"/d/{copy.code}")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_moving_a_version_survives_a_missing_key():
    cache.delete("bookdrift:v:copy:999")

    page_cache.bump(("copy", 999))

    assert cache.get("bookdrift:v:copy:999") is not None


def test_withdrawing_a_shown_review_takes_it_off_the_cached_book_page(
    client, django_capture_on_commit_callbacks
):
    from competitions.bookdrift.models import BookReview
    from tests.factories.contests import EntryFactory

    copy = CopyFactory()
    entry = EntryFactory(title="想去看海")
    BookReview.objects.create(entry=entry, book=copy.book, shown=True)
    assert "想去看海" in client.get(f"/drift/book/{copy.book_id}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        entry.status = entry.Status.WITHDRAWN
        entry.save()

    assert "想去看海" not in client.get(f"/drift/book/{copy.book_id}/").content.decode()
