"""A contest author's data through /me/export/ and /me/delete/: entries with their fields and
files, votes, quiz attempts, awards; and nothing left behind (rows, stored files, video
outputs, search index, caches) once the account is deleted.

Transactional: the deletion's after-commit work (file and video removal, the search update
through the outbox, cache eviction) runs as it does in production.
"""

import io
import json
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from competitions.quizzes import attempts
from competitions.quizzes.models import QuizAttempt
from competitions.submissions.models import (
    AwardCertificate,
    AwardLevel,
    Entry,
    EntryAward,
    EntryFile,
    EntryKind,
    ExhibitedEntry,
)
from competitions.submissions.results import certificates
from competitions.voting import services as voting
from competitions.voting.models import Vote
from competitions.voting.share_card import cache_key as share_card_key
from content.video.models import Video
from search.backends.base import SearchQuery
from tests.factories.contests import ContestFactory, EntryFactory, phase_dates
from tests.factories.entry_files import document_file, image_file, png_bytes, video_file
from tests.factories.quizzes import QuizFactory
from tests.factories.users import PASSWORD
from tests.factories.voting import VoterFactory

pytestmark = pytest.mark.django_db(transaction=True)

ALL_KINDS = [EntryKind.TEXT, EntryKind.IMAGE, EntryKind.DOCUMENT, EntryKind.VIDEO]


@pytest.fixture
def backend(wagtail_tree):
    from search.backends import get_backend, reset_backends

    backend = get_backend("embedded")
    backend.clear()
    yield backend
    backend.clear()
    reset_backends()


def files_under(root) -> set[Path]:
    root = Path(root)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def stored_paths(entry_file: EntryFile) -> set[Path]:
    paths = {Path(entry_file.file.path)}
    if entry_file.video_id:
        video = entry_file.video
        paths |= {Path(video.original.path), Path(video.private_mp4.path)}
        paths.add(Path(video.private_poster.path))
    return paths


def an_entry_with_every_kind(author, contest, title, colour):
    entry = EntryFactory(
        contest=contest,
        author=author,
        kind=EntryKind.IMAGE,
        title=title,
        text=f"{title}：我观察了蚂蚁搬家。",
        teacher="王老师",
        co_authors="李小红",
    )
    files = [
        image_file(entry, colour=colour),
        document_file(entry, text=f"{title}的实验记录"),
        video_file(entry, content=f"{title}的视频".encode()),
    ]
    return entry, files


@pytest.fixture
def people(backend):
    """The author, who entered, won, voted and took a quiz; and a bystander who did the same."""
    contest = ContestFactory(phase="voting", entry_kinds=ALL_KINDS, title="家庭小实验征集")
    author = VoterFactory(username="xiaoming", email="xiaoming@example.org")
    other = VoterFactory(username="xiaohong", email="xiaohong@example.org")
    entry, files = an_entry_with_every_kind(author, contest, "蚂蚁搬家观察记", (30, 120, 200))
    other_entry, other_files = an_entry_with_every_kind(other, contest, "彩虹的秘密", (200, 60, 60))

    voting.cast_vote(
        other_entry,
        author,
        ip="203.0.113.7",
        user_agent="Mozilla/5.0 (Linux; Android 13) MicroMessenger/8.0.47",
    )
    voting.cast_vote(
        entry, other, ip="198.51.100.9", user_agent="Mozilla/5.0 (iPhone) Firefox/126.0"
    )
    # The vote is over; results are published and the works exhibited.
    for field, value in phase_dates("exhibition").items():
        setattr(contest, field, value)
    contest.save()

    level = AwardLevel.objects.create(contest=contest, name="一等奖", count=1, sort_order=0)
    award = EntryAward.objects.create(
        contest=contest,
        group=entry.group,
        entry=entry,
        kind=EntryAward.Kind.EXPERT,
        level=level,
        rank=1,
        final_score=Decimal("91.50"),
        published=True,
        published_at=timezone.now(),
    )
    certificate = AwardCertificate.objects.create(
        award=award,
        holder=AwardCertificate.Holder.STUDENT,
        code="ABCDEFGHJKMN",
        holder_name="小*",
        contest_title=contest.title,
        award_name="一等奖",
        entry_title=entry.title,
        entry_number=entry.display_number,
        issued_at=timezone.now(),
    )
    ExhibitedEntry.objects.create(entry=entry)
    ExhibitedEntry.objects.create(entry=other_entry)

    quiz = QuizFactory(title="家庭安全知识竞答", sign_in_required=True)
    for person in (author, other):
        attempt = attempts.start_attempt(quiz, key=attempts.participant_key(person), user=person)
        attempts.submit_attempt(attempt, client_token=uuid.uuid4())
    return {
        "author": author,
        "other": other,
        "entry": entry,
        "files": files,
        "other_entry": other_entry,
        "other_files": other_files,
        "certificate": certificate,
    }


def exported(client, user) -> zipfile.ZipFile:
    client.force_login(user)
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_holds_the_authors_entry_files_votes_and_quiz_attempts(client, people):
    archive = exported(client, people["author"])
    data = json.loads(archive.read("data.json"))

    (entry,) = data["contest_entries"]
    assert entry["title"] == "蚂蚁搬家观察记"
    assert entry["text"] == "蚂蚁搬家观察记：我观察了蚂蚁搬家。"
    assert entry["entry_number"] == people["entry"].display_number
    assert (entry["advising_teacher"], entry["co_authors"]) == ("王老师", "李小红")
    assert entry["contest"] == "家庭小实验征集"
    assert entry["in_exhibition"] is True
    (award,) = entry["awards"]
    assert (award["award"], award["final_score"]) == ("一等奖", "91.50")
    assert award["certificates"][0]["code"] == "ABCD-EFGH-JKMN"
    # Every stored file is in the ZIP, byte for byte, under the name the author gave it.
    assert [f["name"] for f in entry["files"]] == ["我的画.png", "实验报告.pdf", "小实验.mp4"]
    for listed, entry_file in zip(entry["files"], people["files"], strict=True):
        assert archive.read(listed["file"]) == entry_file.file.open("rb").read()
    assert archive.read(entry["files"][0]["file"]) == png_bytes((30, 120, 200))

    (vote,) = data["contest_votes"]
    assert vote["entry_number"] == people["other_entry"].display_number
    assert (vote["network"], vote["browser"]) == ("203.0.113.0/24", "WeChat")

    (attempt,) = data["quiz_attempts"]
    assert attempt["quiz"] == "家庭安全知识竞答"
    assert attempt["status"] == QuizAttempt.Status.SUBMITTED


def test_the_export_holds_nothing_of_anyone_else(client, people):
    archive = exported(client, people["author"])
    everything = b"".join(archive.read(name) for name in archive.namelist())
    text = everything.decode("utf-8", errors="replace")

    for foreign in ("xiaohong", "彩虹的秘密", "198.51.100", "Firefox"):
        assert foreign not in text
    assert len(archive.namelist()) == 1 + len(people["files"])  # data.json and the author's
    for entry_file in people["other_files"]:
        assert entry_file.file.open("rb").read() not in everything
    # The votes the author's entry received are other people's: neither listed nor counted.
    data = json.loads(archive.read("data.json"))
    assert len(data["contest_votes"]) == 1
    assert "votes" not in data["contest_entries"][0]


def test_deleting_the_account_leaves_no_rows_no_files_no_index_entry_and_no_cache(
    client, people, settings, backend
):
    author, entry = people["author"], people["entry"]
    mine = set().union(*(stored_paths(f) for f in people["files"]))
    theirs = set().union(*(stored_paths(f) for f in people["other_files"]))
    assert mine | theirs <= files_under(settings.KEPU_PRIVATE_MEDIA_ROOT)
    work = f"work:{entry.pk}"
    assert work in [hit.key for hit in backend.search(SearchQuery(text="蚂蚁搬家")).hits]
    client.get(reverse("voting:share_card", args=[entry.contest_id, entry.number]))
    certificate_keys = certificates.KIND.cache_keys(people["certificate"])
    cache.set(certificate_keys[0], b"drawn certificate")
    assert cache.get(share_card_key(entry.pk)) is not None

    client.force_login(author)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert not EntryFile.objects.filter(entry_id=entry.pk).exists()
    assert not Vote.objects.filter(voter_id=author.pk).exists()
    assert not Vote.objects.filter(entry_id=entry.pk).exists()  # the votes it received
    assert not QuizAttempt.objects.filter(user_id=author.pk).exists()
    assert not EntryAward.objects.filter(entry_id=entry.pk).exists()
    assert not AwardCertificate.objects.filter(code="ABCDEFGHJKMN").exists()
    videos = [f.video_id for f in people["files"] if f.video_id]
    assert not Video.objects.filter(pk__in=videos).exists()
    remaining = files_under(settings.KEPU_PRIVATE_MEDIA_ROOT)
    assert not mine & remaining  # originals, transcoded MP4 and poster all gone
    assert theirs <= remaining
    indexed = backend.keys()
    assert work not in indexed
    assert f"work:{people['other_entry'].pk}" in indexed
    assert cache.get(share_card_key(entry.pk)) is None
    assert cache.get(certificate_keys[0]) is None
    # The bystander keeps their entry; their vote for the author's entry went with it.
    assert Entry.objects.filter(pk=people["other_entry"].pk).exists()
    assert not Vote.objects.filter(voter=people["other"]).exists()
