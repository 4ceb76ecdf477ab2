"""Edits after submission: every change to a submitted entry passes the same checks as the
first submission, is undone if it does not, and keeps the entry number; a replacement keeps
the old file until the check worker accepts the new one."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from competitions.submissions import entries
from competitions.submissions.files import checks
from competitions.submissions.models import Entry, EntryFile, EntryKind
from content.video.models import Video
from outbox.models import OutboxMessage
from tests.factories.contests import ContestFactory
from tests.factories.pdfs import make_pdf
from tests.factories.uploads import checked
from tests.factories.users import UserFactory
from tests.factories.videos import make_clip

pytestmark = pytest.mark.django_db

KINDS = [EntryKind.TEXT, EntryKind.DOCUMENT, EntryKind.IMAGE, EntryKind.VIDEO]


def stored_private_files(settings) -> set[str]:
    root = Path(settings.KEPU_PRIVATE_MEDIA_ROOT)
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def pdf(text="法布尔观察昆虫很有耐心。", name="review.pdf"):
    return SimpleUploadedFile(name, make_pdf([text]), content_type="application/pdf")


def submitted(kind="text", **contest_kwargs):
    contest = ContestFactory(entry_kinds=KINDS, max_words=50, **contest_kwargs)
    author = UserFactory()
    entry = entries.save_draft(
        contest,
        author,
        {"title": "我的作品", "group": contest.groups.first(), "kind": kind, "text": "好书。"},
    )
    if kind == "document":
        checked(lambda: entries.add_file(entry, author, pdf()))
    return entries.submit_entry(entry, author)


def test_a_valid_edit_keeps_the_entry_submitted_with_its_number():
    entry = submitted()
    number, submitted_at = entry.number, entry.submitted_at

    edited = entries.save_draft(
        entry.contest, entry.author, {"text": "改过的读后感。"}, entry=entry
    )

    edited.refresh_from_db()
    assert edited.status == Entry.Status.SUBMITTED
    assert (edited.number, edited.submitted_at) == (number, submitted_at)
    assert edited.text == "改过的读后感。"
    again = entries.submit_entry(edited, edited.author)
    assert again.number == number


def test_an_edit_over_the_word_limit_is_refused_and_changes_nothing():
    entry = submitted()

    with pytest.raises(ValidationError) as caught:
        entries.save_draft(entry.contest, entry.author, {"text": "长" * 51}, entry=entry)

    assert "最多" in str(caught.value)
    entry.refresh_from_db()
    assert entry.text == "好书。" and entry.status == Entry.Status.SUBMITTED


def test_emptying_the_text_of_a_submitted_entry_is_refused():
    entry = submitted()

    with pytest.raises(ValidationError):
        entries.save_draft(entry.contest, entry.author, {"text": "  "}, entry=entry)

    entry.refresh_from_db()
    assert entry.text == "好书。"


def test_switching_a_submitted_entry_to_a_kind_without_its_file_is_refused():
    entry = submitted()

    with pytest.raises(ValidationError) as caught:
        entries.save_draft(entry.contest, entry.author, {"kind": "video"}, entry=entry)

    assert caught.value.code == "empty"
    entry.refresh_from_db()
    assert entry.kind == "text"


def test_the_last_file_of_a_submitted_entry_cannot_be_removed_only_replaced(settings):
    entry = submitted("document")
    only = entry.files.get()
    before = stored_private_files(settings)
    assert before

    with pytest.raises(ValidationError) as caught:
        entries.remove_file(only, entry.author)

    assert caught.value.code == "last_file"
    assert list(EntryFile.objects.filter(entry=entry)) == [EntryFile.objects.get(entry=entry)]
    assert stored_private_files(settings) == before


def test_a_replacement_file_is_checked_and_extracted_like_the_first():
    entry = submitted("document")
    old = entry.files.get()
    old_path = old.file.path

    new = checked(
        lambda: entries.replace_file(old, entry.author, pdf("第二版：螳螂的捕食。", "v2.pdf"))
    )

    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED and entry.number == 1
    assert list(entry.files.all()) == [new]
    assert new.state == EntryFile.State.ACCEPTED and new.replaces is None
    assert "螳螂的捕食" in new.extracted_text
    assert not Path(old_path).exists()


def test_the_old_file_stays_and_counts_until_its_replacement_is_accepted():
    entry = submitted("document")
    old = entry.files.get()

    new = entries.replace_file(old, entry.author, pdf("第二版。", "v2.pdf"))

    assert new.state == EntryFile.State.PENDING and new.replaces == old
    assert list(entry.files.accepted()) == [old]
    entries.check_complete(entry)  # still complete with the old file
    assert Path(old.file.path).exists()


def test_a_replacement_refused_by_the_check_keeps_the_old_file_and_says_why(settings):
    entry = submitted("document")
    old = entry.files.get()
    before = stored_private_files(settings)
    broken = SimpleUploadedFile("v2.pdf", make_pdf(["第二版"])[:200])

    refused = checked(lambda: entries.replace_file(old, entry.author, broken))

    assert refused.state == EntryFile.State.REFUSED and "PDF" in refused.refusal_message
    assert list(entry.files.accepted()) == [old]
    assert stored_private_files(settings) == before  # the refused upload left nothing
    entry.refresh_from_db()
    assert entry.status == Entry.Status.SUBMITTED
    assert entries.submit_entry(entry, entry.author).number == 1


def test_a_new_replacement_supersedes_one_still_being_checked(settings):
    entry = submitted("document")
    old = entry.files.get()
    first = entries.replace_file(old, entry.author, pdf("第二版。", "v2.pdf"))

    second = checked(lambda: entries.replace_file(old, entry.author, pdf("第三版。", "v3.pdf")))

    assert not EntryFile.objects.filter(pk=first.pk).exists()
    assert list(entry.files.all()) == [second]
    assert "第三版" in second.extracted_text


def test_a_replacement_that_no_longer_fits_the_contest_is_refused_and_the_old_one_stays():
    entry = submitted("document")
    old = entry.files.get()
    new = entries.replace_file(old, entry.author, pdf("第二版。", "v2.pdf"))
    contest = entry.contest
    contest.entry_kinds = [EntryKind.TEXT, EntryKind.IMAGE]  # the organiser changed the rules
    contest.save(update_fields=["entry_kinds"])

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert checks.check_entry_file(new.pk) == "refused"

    new.refresh_from_db()
    assert new.refusal_code == "incomplete"
    assert new.refusal_message == "本次征集不接收这种类型的作品。"
    assert list(entry.files.accepted()) == [old]


def test_a_hostile_replacement_is_refused_and_the_old_file_stays(settings):
    entry = submitted("document")
    old = entry.files.get()
    before = stored_private_files(settings)
    renamed_exe = SimpleUploadedFile("review.pdf", b"MZ\x90\x00" + b"\x00" * 100)

    with pytest.raises(ValidationError) as caught:
        entries.replace_file(old, entry.author, renamed_exe)

    assert caught.value.code == "unsupported_type"
    assert list(entry.files.all()) == [old]
    assert stored_private_files(settings) == before


def test_a_replacement_of_a_kind_that_breaks_the_entry_is_refused_at_once(settings):
    entry = submitted("document")
    old = entry.files.get()
    before = stored_private_files(settings)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(buffer, format="PNG")
    picture = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")

    with pytest.raises(ValidationError) as caught:
        entries.replace_file(old, entry.author, picture)

    assert caught.value.code == "replacement_kind"  # a document entry keeps a document
    assert "文档" in caught.value.messages[0]
    assert list(entry.files.all()) == [old]
    assert stored_private_files(settings) == before  # the new picture was not left behind


def test_a_replaced_video_goes_through_transcoding_again(tmp_path):
    contest = ContestFactory(entry_kinds=[EntryKind.VIDEO], max_file_mb=5, max_files=1)
    author = UserFactory()
    entry = entries.save_draft(
        contest, author, {"title": "实验", "group": contest.groups.first(), "kind": "video"}
    )
    first = make_clip(tmp_path / "a.mp4", 320, 240, 1.0)
    old = checked(
        lambda: entries.add_file(entry, author, SimpleUploadedFile("a.mp4", first.read_bytes()))
    )
    entry = entries.submit_entry(entry, author)
    OutboxMessage.objects.all().delete()
    second = make_clip(tmp_path / "b.mp4", 240, 320, 1.0)

    new = checked(
        lambda: entries.replace_file(old, author, SimpleUploadedFile("b.mp4", second.read_bytes()))
    )

    assert new.video is not None and new.video.private_outputs
    assert new.video.status == Video.Status.READY  # transcoded after the check (eager here)
    assert (new.video.width, new.video.height) == (240, 320)
    queued = OutboxMessage.objects.filter(target="content.transcode_video")
    assert [message.args for message in queued] == [[new.video_id]]
    assert not Video.objects.filter(pk=old.video_id).exists()
    entry.refresh_from_db()
    assert entry.number == 1 and entry.status == Entry.Status.SUBMITTED


def test_resubmitting_checks_the_contests_current_limits():
    entry = submitted()
    contest = entry.contest
    contest.max_words = 2
    contest.save(update_fields=["max_words"])

    with pytest.raises(ValidationError):
        entries.submit_entry(entry, entry.author)
    with pytest.raises(ValidationError):
        entries.save_draft(contest, entry.author, {"title": "新标题"}, entry=entry)

    entry.refresh_from_db()
    assert entry.title == "我的作品" and entry.number == 1


def test_a_failed_video_blocks_submission_until_replaced(tmp_path):
    contest = ContestFactory(entry_kinds=[EntryKind.VIDEO], max_file_mb=5)
    author = UserFactory()
    entry = entries.save_draft(
        contest, author, {"title": "实验", "group": contest.groups.first(), "kind": "video"}
    )
    clip = make_clip(tmp_path / "a.mp4", 320, 240, 1.0)
    stored = checked(
        lambda: entries.add_file(entry, author, SimpleUploadedFile("a.mp4", clip.read_bytes()))
    )
    Video.objects.filter(pk=stored.video_id).update(status="failed", failure_reason="坏了")

    with pytest.raises(ValidationError) as caught:
        entries.submit_entry(entry, author)

    assert caught.value.code == "video_failed"


def test_replacing_over_http_keeps_the_receipt_number(client):
    entry = submitted("document")
    old = entry.files.get()
    client.force_login(entry.author)

    response = client.post(
        reverse("contests:entry_file_replace", args=[entry.public_id, old.pk]),
        {"file": pdf("新的读后感。", "new.pdf")},
        follow=True,
    )

    assert "新文件已上传，正在检查" in response.content.decode()
    new = entry.files.pending().get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        checks.check_entry_file(new.pk)
    entry.refresh_from_db()
    assert entry.number == 1 and entry.status == Entry.Status.SUBMITTED
    assert list(entry.files.all()) == [new]
    receipt = client.get(reverse("contests:entry_receipt", args=[entry.public_id]))
    assert entry.display_number in receipt.content.decode()


def test_a_refused_edit_over_http_shows_the_message_and_changes_nothing(client):
    entry = submitted()
    client.force_login(entry.author)

    response = client.post(
        reverse("contests:entry_edit", args=[entry.public_id]),
        {"title": "我的作品", "group": entry.group_id, "kind": "text", "text": "长" * 51},
    )

    assert response.status_code == 200
    assert "最多" in response.content.decode()
    entry.refresh_from_db()
    assert entry.text == "好书。"
