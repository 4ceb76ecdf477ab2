"""Results administration: the exhibition snippet and export downloads need permissions."""

import pytest
from django.urls import reverse

from competitions.submissions import contest_exports
from competitions.submissions.models import ContestExport, ExhibitedEntry
from tests.factories.users import StaffFactory, UserFactory
from tests.submissions.results_helpers import published_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_export(django_capture_on_commit_callbacks):
    contest, *_ = published_contest()
    with django_capture_on_commit_callbacks(execute=True):
        export = contest_exports.request_export(contest, StaffFactory())
    export.refresh_from_db()
    assert export.status == ContestExport.Status.READY
    return export


def test_an_organiser_downloads_the_export(client, ready_export):
    client.force_login(StaffFactory())

    response = client.get(reverse("contest_export_download", args=[ready_export.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_others_may_not_download_the_export(client, ready_export):
    url = reverse("contest_export_download", args=[ready_export.pk])
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code in (302, 403)
    client.force_login(UserFactory())
    assert client.get(url).status_code in (302, 403)


def test_an_organiser_lists_and_adds_exhibited_entries(client):
    _contest, entries, *_ = published_contest()
    client.force_login(StaffFactory())
    index = reverse("wagtailsnippets_submissions_exhibitedentry:list")
    add = reverse("wagtailsnippets_submissions_exhibitedentry:add")

    assert client.get(index).status_code == 200
    response = client.post(add, {"entry": entries[1].pk, "note": "构思新颖"})

    assert response.status_code == 302
    assert ExhibitedEntry.objects.filter(entry=entries[1], note="构思新颖").exists()


def test_people_without_permission_cannot_open_the_exhibition_admin(client):
    client.force_login(UserFactory())

    response = client.get(reverse("wagtailsnippets_submissions_exhibitedentry:list"))

    assert response.status_code in (302, 403)
