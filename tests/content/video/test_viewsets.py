from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from content.video.models import Video
from outbox.models import OutboxMessage
from tests.factories.users import StaffFactory, UserFactory
from tests.factories.videos import VideoFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

ADD_URL = "/admin/snippets/content/video/add/"
TRANSCODE = "content.transcode_video"


def edit_url(video):
    return f"/admin/snippets/content/video/edit/{video.pk}/"


@pytest.fixture
def editor_client(client):
    client.force_login(StaffFactory())
    return client


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def test_uploading_a_video_creates_it_and_queues_its_transcode(editor_client, clips, settings):
    upload = SimpleUploadedFile("实验.mp4", clips["small"].read_bytes(), content_type="video/mp4")

    response = editor_client.post(ADD_URL, {"title": "水的三态变化", "original": upload})

    assert response.status_code == 302
    video = Video.objects.get()
    assert video.title == "水的三态变化"
    assert video.status == Video.Status.PENDING
    assert Path(video.original.path).is_relative_to(settings.KEPU_PRIVATE_MEDIA_ROOT)
    message = OutboxMessage.objects.get(target=TRANSCODE)
    assert message.args == [video.pk]


def test_a_text_file_named_mp4_is_refused_with_a_message_and_nothing_is_stored(
    editor_client, settings
):
    upload = SimpleUploadedFile("讲座.mp4", b"just some text\n" * 100, content_type="video/mp4")

    response = editor_client.post(ADD_URL, {"title": "假视频", "original": upload})

    assert response.status_code == 200
    assert "无法识别该文件为视频" in response.content.decode()
    assert not Video.objects.exists()
    assert not OutboxMessage.objects.filter(target=TRANSCODE).exists()
    assert files_under(settings.KEPU_PRIVATE_MEDIA_ROOT) == []


def test_a_video_over_the_length_limit_is_refused_in_the_form(editor_client, clips, settings):
    settings.KEPU_VIDEO_MAX_SECONDS = 2
    upload = SimpleUploadedFile("long.mp4", clips["landscape"].read_bytes())

    response = editor_client.post(ADD_URL, {"title": "太长", "original": upload})

    assert response.status_code == 200
    assert "超过了 0:02 的上限" in response.content.decode()
    assert not Video.objects.exists()


def test_editing_only_the_title_does_not_transcode_again(editor_client):
    video = VideoFactory(status=Video.Status.FAILED, failure_reason="x")

    response = editor_client.post(edit_url(video), {"title": "新标题"})

    assert response.status_code == 302
    video.refresh_from_db()
    assert video.title == "新标题"
    assert video.status == Video.Status.FAILED
    assert not OutboxMessage.objects.filter(target=TRANSCODE).exists()


def test_subtitles_that_are_not_webvtt_are_refused_in_the_form(editor_client):
    video = VideoFactory()
    subtitles = SimpleUploadedFile("zh.vtt", "1\n00:00:01,000 --> 00:00:02,000\n你好\n".encode())

    response = editor_client.post(edit_url(video), {"title": video.title, "subtitles": subtitles})

    assert response.status_code == 200
    assert "WEBVTT" in response.content.decode()
    video.refresh_from_db()
    assert not video.subtitles


def test_the_editor_sees_the_failure_reason_on_the_edit_view(editor_client):
    video = VideoFactory(status=Video.Status.FAILED, failure_reason="ffmpeg 无法转换该视频：坏数据")

    content = editor_client.get(edit_url(video)).content.decode()

    assert "ffmpeg 无法转换该视频：坏数据" in content
    assert "处理失败" in content
    assert f"/admin/snippets/content/video/reprocess/{video.pk}/" in content


def test_the_listing_shows_status_duration_and_size(editor_client):
    VideoFactory(
        title="火箭发射",
        status=Video.Status.READY,
        mp4="videos/rocket.mp4",
        duration_seconds=125,
        width=1280,
        height=720,
        size_bytes=3 * 1024 * 1024,
    )

    content = editor_client.get("/admin/snippets/content/video/").content.decode()

    assert "火箭发射" in content
    assert "可播放" in content
    assert "2:05" in content
    assert "3.0" in content


def test_re_process_asks_then_queues_a_fresh_transcode(editor_client):
    video = VideoFactory(status=Video.Status.FAILED, failure_reason="x", processed_original="a")
    url = f"/admin/snippets/content/video/reprocess/{video.pk}/"

    assert "确定，重新处理" in editor_client.get(url).content.decode()
    response = editor_client.post(url)

    assert response.status_code == 302
    video.refresh_from_db()
    assert video.status == Video.Status.PENDING
    assert video.processed_original == ""
    assert OutboxMessage.objects.filter(target=TRANSCODE).count() == 1


def test_re_process_needs_the_change_permission(client):
    user = UserFactory(is_staff=True)
    group = Group.objects.create(name="只能看后台")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    video = VideoFactory()

    response = client.post(f"/admin/snippets/content/video/reprocess/{video.pk}/")

    assert response.status_code in (302, 403)
    assert not OutboxMessage.objects.filter(target=TRANSCODE).exists()


def test_contest_entry_videos_stay_out_of_the_editorial_video_admin(editor_client):
    editorial = VideoFactory(title="编辑部视频")
    entry_video = VideoFactory(title="参赛作品视频", private_outputs=True)

    listing = editor_client.get("/admin/snippets/content/video/")
    chooser = editor_client.get("/admin/snippets/choose/content/video/").json()["html"]

    assert listing.status_code == 200
    assert "编辑部视频" in listing.text and "参赛作品视频" not in listing.text
    assert "编辑部视频" in chooser and "参赛作品视频" not in chooser
    for url in (
        edit_url(entry_video),
        f"/admin/snippets/content/video/delete/{entry_video.pk}/",
        f"/admin/snippets/content/video/usage/{entry_video.pk}/",
        f"/admin/snippets/content/video/history/{entry_video.pk}/",
        f"/admin/snippets/content/video/reprocess/{entry_video.pk}/",
    ):
        assert editor_client.get(url).status_code == 404, url
    assert editor_client.get(edit_url(editorial)).status_code == 200


def test_a_video_page_refuses_a_contest_entry_video():
    from django.forms import modelform_factory

    from content.models import VideoPage

    form_class = modelform_factory(VideoPage, fields=["video"])
    editorial = VideoFactory()
    entry_video = VideoFactory(private_outputs=True)

    assert list(form_class().fields["video"].queryset) == [editorial]
    form = form_class(data={"video": entry_video.pk})
    assert not form.is_valid() and "video" in form.errors
