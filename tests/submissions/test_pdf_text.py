"""PDF text for judges and search: real PDFs (made by tests/factories/pdfs.py and pypdf),
read in a bounded child process; hostile or locked PDFs get a clear message."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competitions.submissions import entries, pdf_text, uploads
from competitions.submissions.models import EntryFile
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.judging import AssignmentFactory, JudgingRoundFactory
from tests.factories.pdfs import encrypt_pdf, make_pdf
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


def test_the_text_of_every_page_is_extracted():
    result = pdf_text.extract_pdf_text(make_pdf(REVIEW))

    assert result.status == "ok" and result.pages == 2
    assert "法布尔观察昆虫很有耐心。" in result.text
    assert "我也想养一只螳螂" in result.text


def test_extracted_text_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setattr(pdf_text, "MAX_TEXT_CHARS", 50)
    result = pdf_text.extract_pdf_text(make_pdf(["科" * 40, "普" * 40, "学" * 40]))

    assert result.status == "ok"
    assert len(result.text) == 50


def test_a_pdf_that_takes_too_long_is_stopped():
    result = pdf_text.extract_pdf_text(make_pdf(REVIEW), timeout=0.001)

    assert result.status == "unreadable" and result.text == ""


@pytest.mark.django_db
def test_an_uploaded_pdf_keeps_its_text_for_the_judges(draft):
    stored = entries.add_file(draft, draft.author, pdf_upload(make_pdf(REVIEW)))

    assert "法布尔观察昆虫很有耐心" in EntryFile.objects.get(pk=stored.pk).extracted_text


@pytest.mark.django_db
def test_a_pdf_without_a_text_layer_is_accepted_without_text(draft):
    blank = make_pdf([""])

    stored = entries.add_file(draft, draft.author, pdf_upload(blank))

    assert stored.extracted_text == ""


@pytest.mark.django_db
def test_a_password_protected_pdf_is_refused_with_a_clear_message(draft):
    locked = encrypt_pdf(make_pdf(REVIEW), "secret")

    with pytest.raises(ValidationError) as caught:
        entries.add_file(draft, draft.author, pdf_upload(locked))

    assert caught.value.code == "encrypted_document"
    assert "密码" in caught.value.messages[0]
    assert not EntryFile.objects.exists()


@pytest.mark.django_db
def test_a_pdf_that_only_restricts_copying_is_read(draft):
    restricted = encrypt_pdf(make_pdf(REVIEW), "")

    stored = entries.add_file(draft, draft.author, pdf_upload(restricted))

    assert "法布尔" in stored.extracted_text


@pytest.mark.django_db
def test_a_broken_pdf_is_refused(draft):
    good = make_pdf(REVIEW)
    broken = good[:60] + b"\x00garbage" * 20 + b"\n%%EOF\n"

    with pytest.raises(ValidationError) as caught:
        entries.add_file(draft, draft.author, pdf_upload(broken))

    assert caught.value.code == "bad_document"
    assert not EntryFile.objects.exists()


@pytest.mark.django_db
def test_too_many_pages_are_refused(draft):
    many = make_pdf(["页"] * 101)

    with pytest.raises(ValidationError) as caught:
        entries.add_file(draft, draft.author, pdf_upload(many))

    assert caught.value.code == "too_many_pages"
    assert "101" in caught.value.messages[0] and "100" in caught.value.messages[0]


@pytest.mark.django_db
def test_a_pdf_that_hits_the_time_bound_is_kept_without_text(draft, monkeypatch):
    monkeypatch.setattr(pdf_text, "PDF_TEXT_SECONDS", 0.001)

    stored = entries.add_file(draft, draft.author, pdf_upload(make_pdf(REVIEW)))

    assert stored.extracted_text == ""
    assert stored.content_type == "application/pdf"


@pytest.mark.django_db
def test_the_blind_judge_sees_the_pdf_text_but_not_the_author(client):
    round = JudgingRoundFactory()
    entry = EntryFactory(
        contest=round.contest, author=UserFactory(display_name="张小明"), kind="document", text=""
    )
    checked = uploads.check_file(
        pdf_upload(make_pdf(REVIEW)), allowed_kinds=["document"], max_file_mb=2
    )
    uploads.store_file(entry, pdf_upload(make_pdf(REVIEW)), checked)
    assignment = AssignmentFactory(round=round, entry=entry)
    client.force_login(assignment.judge)

    page = client.get(reverse("judging:entry", args=[assignment.pk])).content.decode()

    assert "法布尔观察昆虫很有耐心。" in page and "我也想养一只螳螂" in page
    assert "张小明" not in page
