import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.test import RequestFactory

from content.video.models import Video
from content.video.transcoding import transcode
from tests.factories.users import StaffFactory, UserFactory
from tests.factories.videos import VideoFactory

pytestmark = [pytest.mark.django_db]

TEMPLATE = "content/includes/video_player.html"
REASON = "ffmpeg 无法转换该视频：moov atom not found"


def render(video, user=None) -> str:
    request = RequestFactory().get("/videos/")
    request.user = user or AnonymousUser()
    return render_to_string(TEMPLATE, {"video": video}, request=request)


def assert_no_inline_code(html: str):
    """The public CSP allows no inline script or style."""
    assert "<script" not in html
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.fixture
def ready_video(clips):
    video = VideoFactory.from_clip(clips["small"], title="磁铁的秘密")
    transcode(video.pk)
    video.refresh_from_db()
    return video


def test_a_ready_video_plays_inline_with_its_poster_and_without_preloading(ready_video):
    html = render(ready_video)

    assert re.search(r"<video[^>]*\scontrols[\s>]", html)
    assert re.search(r"<video[^>]*\splaysinline[\s>]", html)
    assert 'preload="none"' in html
    assert re.search(r'poster="/media/images/[^"]+\.jpg"', html)
    assert f'<source src="{ready_video.mp4.url}" type="video/mp4">' in html
    assert 'width="320" height="240"' in html
    assert 'aria-label="磁铁的秘密"' in html
    assert "<track" not in html
    assert_no_inline_code(html)


def test_subtitles_become_a_chinese_track(ready_video):
    ready_video.subtitles.save("zh.vtt", ContentFile(b"WEBVTT\n"))

    html = render(ready_video)

    assert re.search(
        r'<track kind="subtitles" srclang="zh"[^>]*src="/media/videos/subtitles/', html
    )


@pytest.mark.parametrize("status", [Video.Status.PENDING, Video.Status.PROCESSING])
def test_a_video_not_ready_yet_shows_the_processing_state(status):
    html = render(VideoFactory(status=status))

    assert "视频处理中，请稍后再来" in html
    assert 'role="status"' in html
    assert "<video" not in html
    assert_no_inline_code(html)


def test_the_poster_is_shown_while_a_video_is_reprocessed(ready_video):
    Video.objects.filter(pk=ready_video.pk).update(status=Video.Status.PENDING)
    ready_video.refresh_from_db()

    html = render(ready_video)

    assert "视频处理中，请稍后再来" in html
    assert re.search(r'<img[^>]*class="video-player__poster"', html)


def test_the_public_never_sees_why_a_video_failed():
    video = VideoFactory(status=Video.Status.FAILED, failure_reason=REASON)

    for user in (None, UserFactory()):
        html = render(video, user)
        assert "视频暂时无法播放" in html
        assert "moov" not in html
        assert "<video" not in html


def test_an_editor_sees_why_a_video_failed():
    video = VideoFactory(status=Video.Status.FAILED, failure_reason=REASON)

    html = render(video, StaffFactory())

    assert "视频暂时无法播放" in html
    assert REASON in html


def test_a_user_with_change_permission_on_videos_counts_as_an_editor():
    editor = UserFactory()
    group = Group.objects.create(name="视频管理")
    group.permissions.add(Permission.objects.get(codename="change_video"))
    editor.groups.add(group)
    video = VideoFactory(status=Video.Status.FAILED, failure_reason=REASON)

    assert REASON in render(video, editor)


def test_an_editor_sees_that_ffmpeg_is_missing_on_a_pending_video():
    video = VideoFactory(failure_reason="服务器未安装 ffmpeg")

    assert "服务器未安装 ffmpeg" in render(video, StaffFactory())
    assert "服务器未安装 ffmpeg" not in render(video)
