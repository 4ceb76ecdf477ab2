"""PDFs of entries: a clean copy without author metadata and the text for judges and search,
from real PDFs (tests/factories/pdfs.py and pypdf), made in a bounded child process by the
check worker; hostile or locked PDFs get a clear message."""

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from competitions.submissions import entries
from competitions.submissions.files import checks, inspection, pdf_text, uploads
from competitions.submissions.models import EntryFile
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.judging import AssignmentFactory, JudgingRoundFactory
from tests.factories.pdfs import encrypt_pdf, make_pdf
from tests.factories.uploads import checked, pdf_author_traces, pdf_with_author
from tests.factories.users import UserFactory

REVIEW = ["读《昆虫记》有感\n法布尔观察昆虫很有耐心。", "第二页：我也想养一只螳螂。"]


def pdf_upload(data: bytes, name="读后感-张小明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def draft(db):
    contest = ContestFactory(max_file_mb=2)
    author = UserFactory()
    return entries.save_draft(
        contest, author, {"title": "读后感", "group": contest.groups.first(), "kind": "document"}
    )


def add_pdf(draft, data: bytes) -> EntryFile:
    """Upload a PDF and let the worker check it, as after a real commit."""
    return checked(lambda: entries.add_file(draft, draft.author, pdf_upload(data)))


def assert_refused(stored: EntryFile, code: str) -> None:
    assert stored.state == EntryFile.State.REFUSED
    assert stored.refusal_code == code
    assert not stored.file


@pytest.mark.django_db
def test_an_uploaded_pdf_keeps_its_text_for_the_judges(draft):
    stored = add_pdf(draft, make_pdf(REVIEW))

    assert stored.state == EntryFile.State.ACCEPTED
    assert "法布尔观察昆虫很有耐心" in stored.extracted_text


@pytest.mark.django_db
def test_a_pdf_without_a_text_layer_is_accepted_without_text(draft):
    stored = add_pdf(draft, make_pdf([""]))

    assert stored.state == EntryFile.State.ACCEPTED
    assert stored.extracted_text == ""


@pytest.mark.django_db
def test_a_password_protected_pdf_is_refused_with_a_clear_message(draft):
    stored = add_pdf(draft, encrypt_pdf(make_pdf(REVIEW), "secret"))

    assert_refused(stored, "encrypted_document")
    assert "密码" in stored.refusal_message


@pytest.mark.django_db
def test_a_pdf_that_only_restricts_copying_is_read_and_kept_unrestricted(draft):
    stored = add_pdf(draft, encrypt_pdf(make_pdf(REVIEW), ""))

    assert "法布尔" in stored.extracted_text
    assert not PdfReader(stored.file.open("rb")).is_encrypted


@pytest.mark.django_db
def test_a_broken_pdf_is_refused(draft):
    good = make_pdf(REVIEW)
    broken = good[:60] + b"\x00garbage" * 20 + b"\n%%EOF\n"

    stored = add_pdf(draft, broken)

    assert_refused(stored, "bad_document")
    assert "PDF" in stored.refusal_message


@pytest.mark.django_db
def test_too_many_pages_are_refused(draft):
    stored = add_pdf(draft, make_pdf(["页"] * 101))

    assert_refused(stored, "too_many_pages")
    assert "101" in stored.refusal_message and "100" in stored.refusal_message


@pytest.mark.django_db
def test_a_pdf_whose_text_hits_the_time_bound_is_kept_without_text(draft, monkeypatch):
    hurried = replace(inspection.LIMITS["pdf-text"], seconds=0.001)
    monkeypatch.setitem(inspection.LIMITS, "pdf-text", hurried)

    stored = add_pdf(draft, make_pdf(REVIEW))

    assert stored.state == EntryFile.State.ACCEPTED
    assert stored.extracted_text == ""
    assert stored.content_type == "application/pdf"


@pytest.mark.django_db
def test_a_pdf_too_complex_to_clean_is_refused(draft, monkeypatch):
    hurried = replace(inspection.LIMITS["pdf"], seconds=0.001)
    monkeypatch.setitem(inspection.LIMITS, "pdf", hurried)

    stored = add_pdf(draft, make_pdf(REVIEW))

    assert_refused(stored, "check_limit")


def test_the_clean_copy_has_no_info_xmp_or_comment_author(tmp_path):
    source, output = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(pdf_with_author(REVIEW))
    assert pdf_author_traces(source.read_bytes()) == ["Zhang Xiaoming", "张小明"]

    assert pdf_text.clean_pdf(str(source), str(output)) == {"ok": True, "pages": 2}

    reader = PdfReader(output)
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert pdf_author_traces(output.read_bytes()) == []
    assert "法布尔观察昆虫很有耐心" in reader.pages[0].extract_text()


@pytest.mark.django_db
def test_the_blind_judge_sees_the_pdf_text_but_not_the_author(client):
    round = JudgingRoundFactory()
    author = UserFactory(display_name="张小明")
    entry = EntryFactory(contest=round.contest, author=author, kind="document", text="")
    # Uploaded during the submission phase; the worker checks it whenever it comes.
    uploaded = pdf_upload(make_pdf(REVIEW))
    received = uploads.receive(uploaded, allowed_kinds=["document"], max_file_mb=2)
    pending = uploads.store_pending(entry, uploaded, received, sort_order=0)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert checks.check_entry_file(pending.pk) == "accepted"
    assignment = AssignmentFactory(round=round, entry=entry)
    client.force_login(assignment.judge)

    page = client.get(reverse("judging:entry", args=[assignment.pk])).content.decode()

    assert "法布尔观察昆虫很有耐心。" in page and "我也想养一只螳螂" in page
    assert "张小明" not in page
