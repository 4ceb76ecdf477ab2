"""Assigned judges open entry files under a neutral name, without their authors' metadata;
other judges cannot, and nobody gets a file that is still being checked."""

import io
import zipfile

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
        state=EntryFile.State.ACCEPTED,
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


def assigned_upload(name: str, data: bytes, kind: str = "document"):
    """An entry file its author (张小明) uploaded during the submission phase, as the check
    worker accepted it, and the judge assigned to its entry."""
    from django.test import TestCase

    from competitions.submissions.files import checks, uploads
    from tests.factories.contests import EntryFactory
    from tests.factories.judging import AssignmentFactory, JudgingRoundFactory
    from tests.factories.uploads import AUTHOR, upload

    round = JudgingRoundFactory(rubric__contest__entry_kinds=["text", "document", "video"])
    author = UserFactory(display_name=AUTHOR)
    entry = EntryFactory(contest=round.contest, author=author, kind=kind, text="")
    uploaded = upload(name, data)
    received = uploads.receive(uploaded, allowed_kinds=[kind], max_file_mb=10)
    pending = uploads.store_pending(entry, uploaded, received, sort_order=0)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert checks.check_entry_file(pending.pk) == "accepted"
    pending.refresh_from_db()
    return pending, AssignmentFactory(round=round, entry=entry).judge


def test_the_docx_a_judge_downloads_carries_no_trace_of_its_author(client, file_storage):
    from tests.factories.uploads import docx_author_traces, docx_with_author
    from tests.storage import fetch

    original = docx_with_author()
    assert docx_author_traces(original)
    entry_file, judge = assigned_upload("张小明的读后感.docx", original)
    client.force_login(judge)

    response = fetch(client, f"/contest/files/{entry_file.pk}/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "张" not in response["Content-Disposition"]
    assert response["Content-Type"] == entry_file.content_type
    downloaded = response.content
    assert docx_author_traces(downloaded) == {}
    with zipfile.ZipFile(io.BytesIO(downloaded)) as archive:
        assert b"creator" not in archive.read("docProps/core.xml")
        assert "法布尔观察昆虫很有耐心" in archive.read("word/document.xml").decode()


def test_the_pdf_a_judge_downloads_carries_no_trace_of_its_author(client):
    from pypdf import PdfReader

    from tests.factories.uploads import pdf_author_traces, pdf_with_author

    original = pdf_with_author()
    assert pdf_author_traces(original)
    entry_file, judge = assigned_upload("张小明的读后感.pdf", original)
    client.force_login(judge)

    response = client.get(f"/contest/files/{entry_file.pk}/")

    downloaded = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(downloaded))
    assert reader.metadata is None and reader.xmp_metadata is None
    assert pdf_author_traces(downloaded) == []
    assert "张" not in response["Content-Disposition"]


def test_a_judge_gets_an_entrys_video_transcoded_never_its_original(client, tmp_path):
    from django.urls import reverse

    from tests.factories.videos import make_clip

    clip = make_clip(tmp_path / "experiment.mp4", 320, 240, 1.0)
    entry_file, judge = assigned_upload("实验.mp4", clip.read_bytes(), kind="video")
    assert entry_file.video.is_ready  # transcoded after the check (eager in tests)
    client.force_login(judge)

    page = client.get(reverse("judging:entry", args=[judge.judging_assignments.get().pk]))
    video_url = reverse("contests:entry_file_video", args=[entry_file.pk])

    assert video_url in page.content.decode()
    assert client.get(video_url).status_code == 200
    assert client.get(reverse("contests:entry_file", args=[entry_file.pk])).status_code == 404
