"""Fixtures and helpers of the search-site tests (documents, indexing, page, suggestions).

Imported explicitly by those test modules (the backend tests of search-core have their own).
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from search.backends.base import SearchDocument
from search.text.pinyin import suggest_inputs
from tests.factories.pages import HomePageFactory, SectionPageFactory


def make_home():
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home-search")
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    return home


@pytest.fixture(name="home")
def home_fixture(db):
    return make_home()


@pytest.fixture(name="section")
def section_fixture(home):
    return SectionPageFactory(parent=home, title="健康生活", slug="health")


@pytest.fixture(name="embedded")
def embedded_fixture(db):
    """The embedded backend, empty at the start and the end of the test."""
    from search.backends import get_backend

    backend = get_backend("embedded")
    backend.clear()
    yield backend
    backend.clear()


def doc(key: str, title: str, **fields) -> SearchDocument:
    """A document for page tests that need no page behind it."""
    fields.setdefault("kind", "article")
    fields.setdefault("url", f"/{key.replace(':', '-')}/")
    fields.setdefault("date", timezone.now())
    if "suggest" not in fields:
        fields["suggest"] = suggest_inputs(title)
    return SearchDocument(key=key, title=title, **fields)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
