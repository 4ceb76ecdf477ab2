import pytest

from competitions.bookdrift import catalogue
from competitions.bookdrift.models import BookReview, ReaderNotice
from tests.bookdrift.helpers import catch, release
from tests.factories.bookdrift import CopyFactory
from tests.factories.contests import EntryFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_the_readers_page_lists_their_books_reviews_donations_and_messages(client):
    user = UserFactory()
    holding, read = CopyFactory(book__title="大桥的骨头"), CopyFactory(book__title="冰芯里的秘密")
    catch(holding, user)
    catch(read, user)
    release(read, user)
    BookReview.objects.create(
        entry=EntryFactory(author=user, title="读《冰芯》有感"), book=read.book
    )
    catalogue.donate_copy(read.campaign, user, title="小小气象站")
    ReaderNotice.objects.create(
        reader=user, kind="reminder", text="记得放漂", created_at=read.moved_at
    )
    client.force_login(user)

    html = client.get("/me/books/").content.decode()

    assert "大桥的骨头" in html and "冰芯里的秘密" in html
    assert html.count("在我手上") == 1
    assert "读《冰芯》有感" in html and "小小气象站" in html and "记得放漂" in html
    assert ReaderNotice.objects.get().read_at is not None


def test_the_my_page_lists_a_readers_drift_books_with_a_link_to_them_all(client):
    user = UserFactory()
    copy = CopyFactory(book__title="大桥的骨头")
    catch(copy, user)
    client.force_login(user)

    html = client.get("/me/").content.decode()

    assert "你已经读过 1 本漂流书" in html and "/me/books/" in html
    assert "大桥的骨头" in html and 'href="#my-drift"' in html


def test_the_my_page_has_no_drift_section_for_people_who_never_drifted(client):
    client.force_login(UserFactory())

    assert "/me/books/" not in client.get("/me/").content.decode()


def test_the_readers_page_needs_signing_in(client):
    response = client.get("/me/books/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
