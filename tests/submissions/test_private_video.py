"""Entry videos are transcoded into private storage and served only through the
permission-checked file view: publicly only while the entry is displayable."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from accounts import consent
from competitions.submissions import entries
from competitions.submissions.models import EntryKind
from content.video.models import Video
from content.video.transcoding import transcode
from tests.factories.contests import ContestFactory
from tests.factories.uploads import checked
from tests.factories.users import GuardianConsentFactory, UserFactory
from tests.factories.videos import make_clip

pytestmark = pytest.mark.django_db

GUARDIAN = "+8613700000001"


def files_under(root) -> list[Path]:
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def submitted_video_entry(author, tmp_path, display_consent=True):
    contest = ContestFactory(entry_kinds=[EntryKind.VIDEO], max_file_mb=5)
    entry = entries.save_draft(
        contest,
        author,
        {
            "title": "我的小实验视频",
            "group": contest.groups.first(),
            "kind": "video",
            "display_consent": display_consent,
        },
    )
    clip = make_clip(tmp_path / "experiment.mp4", 320, 240, 1.0)
    entry_file = checked(
        lambda: entries.add_file(
            entry, author, SimpleUploadedFile("experiment.mp4", clip.read_bytes(), "video/mp4")
        )
    )
    entries.submit_entry(entry, author)
    # Transcoded after the check, through the outbox (eager here); a second run changes nothing.
    assert transcode(entry_file.video_id) == "skipped"
    entry_file.refresh_from_db()
    return entry_file


def urls(entry_file):
    return [
        reverse(name, args=[entry_file.pk])
        for name in ("contests:entry_file_video", "contests:entry_file_poster")
    ]


def test_the_transcoded_video_and_poster_are_private_not_public_media(settings, tmp_path):
    images_before = get_image_model().objects.count()

    entry_file = submitted_video_entry(UserFactory(), tmp_path)

    video = Video.objects.get(pk=entry_file.video_id)
    assert video.is_ready and video.private_outputs
    assert not video.mp4 and video.poster is None
    assert get_image_model().objects.count() == images_before  # no public Wagtail image
    assert files_under(settings.MEDIA_ROOT) == []
    private = {p.resolve() for p in files_under(settings.KEPU_PRIVATE_MEDIA_ROOT)}
    assert Path(video.private_mp4.path).resolve() in private
    assert Path(video.private_poster.path).resolve() in private
    assert video.private_mp4.open("rb").read(12)[4:8] == b"ftyp"


def test_anonymous_visitors_are_refused_until_a_childs_entry_is_displayable(client, tmp_path):
    child = GuardianConsentFactory(guardian_phone=GUARDIAN).child
    entry_file = submitted_video_entry(child, tmp_path)
    video_url, poster_url = urls(entry_file)

    for url in (video_url, poster_url):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    GuardianConsentFactory(child=child, guardian_phone=GUARDIAN, scope="display")

    video = client.get(video_url)
    assert video.status_code == 200
    assert video["Content-Type"] == "video/mp4"
    assert video["X-Content-Type-Options"] == "nosniff"
    assert b"ftyp" in b"".join(video.streaming_content)[:16]
    poster = client.get(poster_url)
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"
    # The original upload (it may carry GPS positions) never becomes public.
    original = client.get(reverse("contests:entry_file", args=[entry_file.pk]))
    assert original.status_code == 302

    consent.withdraw_display_consent(child)

    assert client.get(video_url).status_code == 302
    assert client.get(poster_url).status_code == 302


def test_an_adults_video_is_public_only_with_their_own_agreement(client, tmp_path):
    author = UserFactory()
    entry_file = submitted_video_entry(author, tmp_path, display_consent=False)
    video_url, _ = urls(entry_file)
    assert client.get(video_url).status_code == 302

    entries.save_draft(
        entry_file.entry.contest, author, {"display_consent": True}, entry=entry_file.entry
    )

    assert client.get(video_url).status_code == 200


def test_the_author_and_a_signed_in_stranger(client, tmp_path):
    author = UserFactory()
    entry_file = submitted_video_entry(author, tmp_path, display_consent=False)
    video_url, poster_url = urls(entry_file)

    client.force_login(UserFactory())
    assert client.get(video_url).status_code == 404
    client.force_login(author)
    assert client.get(video_url).status_code == 200
    assert client.get(poster_url).status_code == 200


def test_on_the_uploads_origin_anonymous_requests_need_a_displayable_entry(
    client, tmp_path, settings
):
    settings.KEPU_UPLOADS_ORIGIN = "https://files.kepu.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    author = UserFactory()
    entry_file = submitted_video_entry(author, tmp_path, display_consent=False)
    from competitions.submissions.files.links import public_file_url

    url = public_file_url(entry_file, "video")
    assert url.startswith("https://files.kepu.example.org/")
    path = url.removeprefix("https://files.kepu.example.org")

    assert client.get(path, HTTP_HOST="files.kepu.example.org").status_code == 403
    entries.save_draft(
        entry_file.entry.contest, author, {"display_consent": True}, entry=entry_file.entry
    )
    assert client.get(path, HTTP_HOST="files.kepu.example.org").status_code == 200
    # Never from the main site's host.
    assert client.get(path, HTTP_HOST="testserver").status_code == 404


def test_the_exhibition_page_plays_a_displayable_video_from_the_file_view(client, tmp_path):
    import re

    from competitions.submissions.models import ExhibitedEntry
    from tests.factories.contests import phase_dates

    child = GuardianConsentFactory(guardian_phone=GUARDIAN).child
    GuardianConsentFactory(child=child, guardian_phone=GUARDIAN, scope="display")
    entry_file = submitted_video_entry(child, tmp_path)
    contest = entry_file.entry.contest
    ExhibitedEntry.objects.create(entry=entry_file.entry)
    for name, value in phase_dates("exhibition").items():
        setattr(contest, name, value)
    contest.save()
    work_url = reverse("contests:exhibition_work", args=[contest.pk, entry_file.entry.number])

    page = client.get(work_url).content.decode()

    sources = re.findall(r'<source src="([^"]+)" type="video/mp4">', page)
    assert sources == [reverse("contests:entry_file_video", args=[entry_file.pk])]
    assert client.get(sources[0]).status_code == 200
    assert "/media/" not in page.split("<main", 1)[-1].split("</main>", 1)[0]

    consent.withdraw_display_consent(child)

    assert client.get(work_url).status_code == 404
    assert client.get(sources[0]).status_code == 302


def test_phones_get_the_video_in_byte_ranges(client, tmp_path):
    entry_file = submitted_video_entry(UserFactory(), tmp_path)
    video_url, _ = urls(entry_file)
    whole = b"".join(client.get(video_url).streaming_content)

    part = client.get(video_url, HTTP_RANGE="bytes=100-199")
    tail = client.get(video_url, HTTP_RANGE="bytes=-10")
    beyond = client.get(video_url, HTTP_RANGE=f"bytes={len(whole) + 5}-")

    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert part["Accept-Ranges"] == "bytes" and part["X-Content-Type-Options"] == "nosniff"
    assert b"".join(part.streaming_content) == whole[100:200]
    assert b"".join(tail.streaming_content) == whole[-10:]
    assert beyond.status_code == 200  # an unsatisfiable range gets the whole file
