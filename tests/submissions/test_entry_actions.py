"""competitions/submissions/entry_actions/: bulk actions of the entries listing."""

import io
import zipfile
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from competitions.judging.eligibility import eligible_entries
from competitions.judging.models import Assignment
from competitions.submissions.entry_actions import archive
from competitions.submissions.models import AwardCertificate, EntryFile, EntryKind, Ineligibility
from competitions.submissions.results.awards import compute_awards
from competitions.voting.services import votable_entries
from content.video.models import Video
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.judging import AssignmentFactory, JudgingRoundFactory
from tests.factories.organisers import OrganiserFactory
from tests.factories.users import UserFactory
from tests.submissions.results.helpers import published_contest

pytestmark = pytest.mark.django_db


def action_url(action: str, ids=(), **listing) -> str:
    query = [("id", pk) for pk in ids] + list(listing.items())
    query.append(("next", reverse("wagtailsnippets_submissions_entry:list")))
    return (
        reverse("wagtail_bulk_action", args=["submissions", "entry", action])
        + "?"
        + urlencode(query)
    )


def attach(entry, kind, name, data: bytes, **fields):
    return EntryFile.objects.create(
        entry=entry,
        kind=kind,
        file=ContentFile(data, name=name),
        original_name=name,
        content_type="application/octet-stream",
        size_bytes=len(data),
        **fields,
    )


@pytest.fixture
def organiser(client):
    user = OrganiserFactory()
    client.force_login(user)
    return user


# --- files as one ZIP -----------------------------------------------------------------------


def test_the_zip_holds_every_checked_file_named_by_entry_number_never_by_the_pupil(
    client, organiser
):
    contest = ContestFactory(phase="review")
    drawing = EntryFactory(contest=contest, number=1, kind=EntryKind.IMAGE, text="")
    attach(drawing, "image", "张小明的画-1.jpg", b"\xff\xd8first")
    attach(drawing, "image", "张小明的画-2.jpg", b"\xff\xd8second")
    review = EntryFactory(contest=contest, number=2, text="读后感正文")
    film = EntryFactory(contest=contest, number=3, kind=EntryKind.VIDEO, text="")
    ready = Video.objects.create(
        title="v",
        original=ContentFile(b"original with GPS", name="IMG_0001.MOV"),
        status=Video.Status.READY,
        private_outputs=True,
        private_mp4=ContentFile(b"transcoded mp4", name="out.mp4"),
    )
    attach(film, "video", "李华的视频.mov", b"original with GPS", video=ready)
    unfinished = EntryFactory(contest=contest, number=4, kind=EntryKind.VIDEO, text="")
    attach(unfinished, "video", "x.mov", b"raw", video=Video.objects.create(title="w"))
    ids = [drawing.pk, review.pk, film.pk, unfinished.pk]

    page = client.get(action_url("download_files", ids))
    response = client.post(action_url("download_files", ids))

    assert f"C{contest.pk}-0001" in page.text and "张小明" not in page.text
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="contest-')
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        names = zipped.namelist()
        number = f"C{contest.pk}-"
        assert names == [
            f"{number}0001-1.jpg",
            f"{number}0001-2.jpg",
            f"{number}0002.txt",
            f"{number}0003.mp4",
        ]
        assert zipped.read(f"{number}0001-2.jpg") == b"\xff\xd8second"
        assert zipped.read(f"{number}0002.txt").decode("utf-8-sig") == "读后感正文"
        assert zipped.read(f"{number}0003.mp4") == b"transcoded mp4"  # never the original
    assert not any("张" in name or "李" in name for name in names)


def test_select_all_takes_the_listings_contest_filter(client, organiser):
    shown, other = ContestFactory(phase="review"), ContestFactory(phase="review")
    EntryFactory(contest=shown, number=1, text="甲")
    EntryFactory(contest=other, number=1, text="乙")

    response = client.post(action_url("download_files", ["all"], contest=shown.pk))

    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        assert zipped.namelist() == [f"C{shown.pk}-0001.txt"]


def test_a_large_file_is_streamed_in_pieces_not_held_whole(organiser):
    entry = EntryFactory(kind=EntryKind.DOCUMENT, text="")
    attach(entry, "document", "report.pdf", b"%PDF" + b"x" * (3 * archive.CHUNK_SIZE))

    pieces = [piece for piece in archive.stream_zip(entry.contest.entries.all()) if piece]

    assert len(pieces) >= 3
    assert max(len(piece) for piece in pieces) <= archive.CHUNK_SIZE + 1024


def test_staff_without_the_file_permission_get_nothing(client):
    entry = EntryFactory()
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)

    page = client.get(action_url("download_files", [entry.pk]))
    response = client.post(action_url("download_files", [entry.pk]))

    assert "你无权" in page.text
    assert response.status_code == 302  # nothing to download: back to the listing
    assert "application/zip" not in response.get("Content-Type", "")


# --- ruling entries out and back in ---------------------------------------------------------


def test_ruled_out_entries_leave_judging_the_vote_and_the_awards(client, organiser):
    contest = ContestFactory(phase="review")
    kept, copied = EntryFactory(contest=contest, number=1), EntryFactory(contest=contest, number=2)
    judging_round = JudgingRoundFactory(contest=contest)
    unscored = AssignmentFactory(round=judging_round, entry=copied)

    response = client.post(
        action_url("mark_ineligible", [copied.pk]), {"reason": "与网络文章雷同"}, follow=True
    )

    assert "1 件作品已判定为不符合要求" in response.text
    ruling = Ineligibility.objects.get()
    assert (ruling.entry, ruling.reason, ruling.decided_by) == (copied, "与网络文章雷同", organiser)
    assert list(eligible_entries(judging_round)) == [kept]
    assert list(votable_entries(contest)) == [kept]
    assert not Assignment.objects.filter(pk=unscored.pk).exists()
    assert {a.entry_id for a in compute_awards(contest, {kept.pk: 80, copied.pk: 99}, {})} <= {
        kept.pk
    }
    listing = client.get(reverse("wagtailsnippets_submissions_entry:list")).text
    assert "不符合要求：与网络文章雷同" in listing

    client.post(action_url("restore_eligibility", [copied.pk]))
    assert not Ineligibility.objects.exists()
    assert set(eligible_entries(judging_round)) == {kept, copied}


def test_ruling_out_needs_a_reason_and_changes_nothing_without_one(client, organiser):
    entry = EntryFactory()

    response = client.post(action_url("mark_ineligible", [entry.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "请写明原因" in response.text
    assert not Ineligibility.objects.exists()


# --- certificates as one PDF ----------------------------------------------------------------


def test_the_award_certificates_of_the_chosen_entries_come_as_one_pdf(client, organiser):
    _contest, entries, *_ = published_contest()
    chosen = entries[:3]  # 一等奖, 二等奖 and 人气奖 of 小学组, each with a teacher

    response = client.post(action_url("award_certificates", [e.pk for e in chosen]))

    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    expected = AwardCertificate.objects.filter(award__entry__in=chosen).count()
    assert expected == 6 and len(pdf.pages) == expected
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert width > height  # A4 landscape, as each certificate is drawn


def test_entries_without_awards_say_so_instead_of_an_empty_pdf(client, organiser):
    entry = EntryFactory()

    response = client.post(action_url("award_certificates", [entry.pk]), follow=True)

    assert "没有已发布的奖项" in response.text
