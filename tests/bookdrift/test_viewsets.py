"""The drift's models in the Wagtail admin: forms refuse bad input in Chinese."""

import pytest

from competitions.bookdrift.models import Book, LabelLayout
from tests.factories.bookdrift import CopyFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_organisers_find_the_drift_menu_in_the_admin(client, organiser):
    client.force_login(organiser)

    html = client.get("/admin/").content.decode()

    # The sidebar menu is JSON for the admin's script, with the menu labels escaped.
    assert "/admin/bookdrift/" in html and "/admin/snippets/bookdrift/book/" in html
    assert "\\u56fe\\u4e66\\u6f02\\u6d41" in html  # 图书漂流


def test_a_book_with_a_wrong_isbn_check_digit_is_refused_and_not_saved(client, organiser):
    client.force_login(organiser)

    response = client.post(
        "/admin/snippets/bookdrift/book/add/",
        {"title": "大桥的骨头", "isbn": "978-7-5322-4765-4", "summary": ""},
    )

    assert response.status_code == 200
    assert "ISBN 的校验位不对" in response.content.decode()
    assert not Book.objects.exists()


def test_a_book_with_an_isbn_10_is_saved_as_isbn_13(client, organiser):
    client.force_login(organiser)

    response = client.post(
        "/admin/snippets/bookdrift/book/add/",
        {"title": "大桥的骨头", "isbn": "7-5322-4765-1", "summary": ""},
    )

    assert response.status_code == 302
    assert Book.objects.get().isbn == "9787532247653"


def test_a_label_layout_too_big_for_a4_is_refused_with_the_reason(client, organiser):
    client.force_login(organiser)

    response = client.post(
        "/admin/snippets/bookdrift/labellayout/add/",
        {
            "name": "3 × 8 太宽",
            "columns": 3,
            "rows": 8,
            "label_width_mm": "72",
            "label_height_mm": "37",
            "margin_left_mm": "0",
            "margin_top_mm": "0",
            "gap_x_mm": "0",
            "gap_y_mm": "0",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "超出了 A4 纸的范围" in html and "216" in html
    assert not LabelLayout.objects.filter(name="3 × 8 太宽").exists()


def test_adding_a_copy_by_hand_leads_to_bulk_registration(client, organiser):
    client.force_login(organiser)

    response = client.get("/admin/snippets/bookdrift/bookcopy/add/")

    assert response.status_code == 302 and response["Location"] == "/admin/bookdrift/register/"


def test_the_copies_listing_links_each_copy_to_its_journey(client, organiser):
    copy = CopyFactory()
    client.force_login(organiser)

    html = client.get("/admin/snippets/bookdrift/bookcopy/").content.decode()

    assert copy.display_code in html and f"/admin/bookdrift/copies/{copy.pk}/" in html


def test_people_without_drift_permissions_do_not_see_the_books(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get("/admin/snippets/bookdrift/book/")

    assert response.status_code in (302, 403)
