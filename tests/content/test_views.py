"""Site views of the content app: Wagtail's password forms behind a return address that cannot
fail."""

import pytest
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from tests.factories.pages import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("return_url", ["abc", "科普", "", "https://evil.example/"])
def test_a_restricted_page_unlocks_whatever_the_return_address(client, section, return_url):
    # Found by the generative tests (tests/fuzz/): Wagtail redirected to "abc" as a view name.
    article = ArticlePageFactory(parent=section, title="会员专享", slug="members")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="kexue"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk])

    response = client.post(url, {"password": "kexue", "return_url": return_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_restricted_page_still_returns_to_a_path_on_this_site(client, section):
    article = ArticlePageFactory(parent=section, title="会员专享", slug="members")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="kexue"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, article.pk])

    response = client.post(url, {"password": "kexue", "return_url": article.url})

    assert response["Location"] == article.url
    assert client.get(article.url).status_code == 200


def test_a_restricted_document_collection_unlocks_whatever_the_return_address(client):
    restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="kexue",
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])

    response = client.post(url, {"password": "kexue", "return_url": "abc"})

    assert response.status_code == 302
    assert response["Location"] == "/"
