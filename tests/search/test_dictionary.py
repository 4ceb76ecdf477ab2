"""The site's dictionary: organisers' words, stop words and synonyms reach every process."""

import subprocess
import sys

import pytest

from search import dictionary
from search.models import DictionaryWord, StopWord, SynonymGroup
from search.text.segment import committed_analyser
from tests.conftest import ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_dictionary_words_from_the_database_are_used_at_once():
    assert "蛟龙号" not in dictionary.analyser().tokens("蛟龙号下潜")
    DictionaryWord.objects.create(word="蛟龙号")
    assert "蛟龙号" in dictionary.analyser().tokens("蛟龙号下潜")


def test_synonyms_and_stop_words_from_the_database_are_used_at_once():
    SynonymGroup.objects.create(terms="新冠\n新型冠状病毒")
    StopWord.objects.create(word="請問一下")
    analyser = dictionary.analyser()
    assert analyser.synonyms("新型冠狀病毒") == ("新冠",)
    assert {"请问一下", "如何"} <= analyser.stop_words


def test_other_processes_see_a_change_through_the_shared_version(monkeypatch):
    before = dictionary.analyser()
    monkeypatch.setattr(dictionary.memo, "recheck_seconds", 0.0)
    assert dictionary.analyser() is before  # nothing changed: nothing reloaded
    # Another process's edit: its rows are committed, then it moves the shared version.
    DictionaryWord.objects.bulk_create([DictionaryWord(word="蛟龙号")])  # no signal here
    assert dictionary.analyser() is before
    dictionary.changed()
    assert "蛟龙号" in dictionary.analyser().tokens("蛟龙号下潜")


def test_rereading_unchanged_words_keeps_the_segmenter():
    before = dictionary.analyser()
    before.tokens("科普")
    dictionary.changed()
    assert dictionary.analyser() is before


def test_without_the_shared_cache_the_words_are_reread_but_the_segmenter_kept(monkeypatch):
    before = dictionary.analyser()
    monkeypatch.setattr(dictionary.memo, "version", lambda: None)  # Redis unreachable
    DictionaryWord.objects.bulk_create([DictionaryWord(word="蛟龙号")])
    after = dictionary.analyser()
    assert after is not before and "蛟龙号" in after.tokens("蛟龙号下潜")
    assert dictionary.analyser() is after


def test_without_a_database_the_committed_lists_still_segment(monkeypatch):
    def unavailable():
        raise RuntimeError("no database")

    monkeypatch.setattr(dictionary, "_load", unavailable)
    dictionary.forget()
    assert dictionary.analyser() is committed_analyser()


def test_warm_up_loads_the_segmenter_so_the_first_search_pays_nothing():
    dictionary.forget()
    dictionary.warm_up()
    assert dictionary.analyser().loaded


def test_query_analysis_never_imports_pypinyin():
    """pypinyin is memory-hungry: a web process's request path must not load it."""
    code = (
        "import django, sys; django.setup();"
        "from search.backends import common;"
        "from search.text.normalise import clean_prefix;"
        "common.analyse('科普 kepu 電腦'); clean_prefix('kp');"
        "from search.backends import get_backend; get_backend('embedded');"
        "print('pypinyin' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "kepu.settings.test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "False"
