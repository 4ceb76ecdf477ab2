"""Export file names: an organiser's title becomes a name Windows, Excel and WPS accept."""

import pytest

from competitions.core.exports.downloads import filename_part

pytestmark = pytest.mark.sqlite


def test_characters_windows_forbids_in_file_names_are_left_out():
    assert filename_part('防疫/知识:竞答*?"<2026>|\\\r\n') == "防疫知识竞答2026"


def test_a_title_without_such_characters_is_kept_as_it_is():
    assert filename_part("全国科普日 · 知识竞答（第3期）") == "全国科普日 · 知识竞答（第3期）"
