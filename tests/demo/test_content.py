import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from content.models import (
    ArticlePage,
    CampaignPage,
    HomePage,
    OrganiserSettings,
    SectionPage,
    Topic,
    VideoPage,
)
from content.video.models import Video
from content.video.transcoding import transcode
from tests.factories.videos import SYSTEM_FFMPEG

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_load_demo_replaces_the_welcome_page_with_a_home_page(demo_site):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert OrganiserSettings.for_site(site).name


def test_demo_has_sections_articles_videos_topics_and_a_campaign(demo_site):
    assert SectionPage.objects.live().count() >= 4
    assert ArticlePage.objects.live().count() >= 30
    assert VideoPage.objects.live().count() >= 6
    assert CampaignPage.objects.live().count() >= 1
    assert Topic.objects.count() >= 8
    # Every topic has something to show on its page.
    for topic in Topic.objects.all():
        assert (
            ArticlePage.objects.filter(topics=topic).exists()
            or VideoPage.objects.filter(topics=topic).exists()
        ), topic.name


def test_load_demo_twice_changes_nothing(demo_site):
    counts = (Page.objects.count(), Site.objects.count(), Topic.objects.count())
    OrganiserSettings.objects.update(name="本地改过的名称")

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (Page.objects.count(), Site.objects.count(), Topic.objects.count()) == counts
    assert OrganiserSettings.objects.get().name == "本地改过的名称"


def test_every_demo_page_renders(client, demo_site):
    urls = [page.url for page in Page.objects.live().specific() if page.depth > 1]
    urls += ["/topics/", *(topic.get_url() for topic in Topic.objects.all()), "/feed/"]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_home_page_renders_with_organiser_in_footer(client, demo_site):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "示范市科学技术协会" in html
    assert '<html lang="zh-hans"' in html


def test_without_debians_ffmpeg_the_demo_makes_videos_that_play(client, only_the_wheels_ffmpeg):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pages = list(VideoPage.objects.live().select_related("video"))
    assert len(pages) >= 6
    # What the worker does with each transcode the demo queued.
    for page in pages:
        assert transcode(page.video_id) == Video.Status.READY

    for page in pages:
        video = Video.objects.get(pk=page.video_id)
        html = client.get(page.url).content.decode()
        assert f'<source src="{video.mp4.url}" type="video/mp4">' in html, page.url
        decoded = subprocess.run(
            [SYSTEM_FFMPEG, "-v", "error", "-i", Path(video.mp4.path), "-f", "null", "-"],
            capture_output=True,
            check=False,
        )
        assert (decoded.returncode, decoded.stderr) == (0, b""), page.url
        assert video.poster is not None and video.duration_seconds > 5


def test_a_migrated_database_names_the_root_page_in_chinese(db):
    assert Page.get_first_root_node().title == "根目录"


def test_load_demo_names_an_english_root_page_in_chinese(db):
    Page.objects.filter(depth=1).update(title="Root", draft_title="Root")

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    root = Page.get_first_root_node()
    assert (root.title, root.get_admin_display_title()) == ("根目录", "根目录")


def test_load_demo_keeps_a_root_page_an_editor_has_renamed(db):
    Page.objects.filter(depth=1).update(title="全部站点", draft_title="全部站点")

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert Page.get_first_root_node().title == "全部站点"
