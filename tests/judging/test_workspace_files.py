"""Assigned judges open entry files under a neutral name; other judges cannot."""

import pytest
from django.core.files.base import ContentFile

from competitions.submissions.models import EntryFile, EntryKind
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def test_only_the_assigned_judge_opens_the_file_and_its_name_hides_the_author(client):
    from tests.factories.judging import AssignmentFactory

    assignment = AssignmentFactory()
    entry = assignment.entry
    entry_file = EntryFile(
        entry=entry,
        kind=EntryKind.DOCUMENT,
        original_name="张小明的读后感.pdf",
        content_type="application/pdf",
        size_bytes=9,
    )
    entry_file.file.save("doc.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    entry_file.save()
    url = f"/contest/files/{entry_file.pk}/"

    client.force_login(assignment.judge)
    response = client.get(url)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "%E5%BC%A0" not in disposition and "张" not in disposition
    assert entry.display_number in disposition

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
