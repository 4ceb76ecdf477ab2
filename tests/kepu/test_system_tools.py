import shutil

import pytest

from kepu import system_tools
from tests.factories.users import StaffFactory

pytestmark = pytest.mark.sqlite


def test_tools_found_on_this_machine_are_reported_available():
    # The test command installs ffmpeg and fonts-noto-cjk.
    assert system_tools.ffmpeg_path()
    assert system_tools.cjk_font_path()
    assert system_tools.missing_tools() == []


def test_without_ffmpeg_on_the_path_the_wheels_ffmpeg_is_found_and_nothing_is_missing(
    only_the_wheels_ffmpeg,
):
    assert system_tools.ffmpeg_path() == only_the_wheels_ffmpeg
    assert system_tools.ffprobe_path() is None
    assert [tool.name for tool in system_tools.missing_tools()] == []


def test_debians_ffmpeg_on_the_path_comes_before_the_wheels(settings):
    settings.KEPU_FFMPEG = ""

    assert system_tools.ffmpeg_path() == shutil.which("ffmpeg")
    assert system_tools.wheel_ffmpeg_path() != shutil.which("ffmpeg")


def test_a_configured_ffmpeg_that_does_not_exist_is_reported_missing_not_replaced(settings):
    settings.KEPU_FFMPEG = "/nonexistent/ffmpeg"

    assert system_tools.ffmpeg_path() is None
    assert [t.install_hint for t in system_tools.missing_tools()] == ["sudo apt-get install ffmpeg"]


def test_a_configured_font_that_does_not_exist_is_reported_missing(settings):
    settings.KEPU_CJK_FONT = "/nonexistent/font.ttc"

    assert system_tools.cjk_font_path() is None
    assert [t.install_hint for t in system_tools.missing_tools()] == [
        "sudo apt-get install fonts-noto-cjk"
    ]


@pytest.mark.django_db
def test_dashboard_tells_editors_what_to_install(client, settings):
    settings.KEPU_FFMPEG = "/nonexistent/ffmpeg"
    client.force_login(StaffFactory())

    html = client.get("/admin/").content.decode()

    assert "sudo apt-get install ffmpeg" in html
    assert "系统工具缺失" in html


@pytest.mark.django_db
def test_dashboard_says_nothing_when_all_tools_are_present(client):
    client.force_login(StaffFactory())

    html = client.get("/admin/").content.decode()

    assert "missing-tools" not in html
