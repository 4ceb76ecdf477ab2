"""The text pipeline: normalisation, segmentation, bigrams, synonyms, query parsing, pinyin."""

import subprocess
import sys
import threading

import pytest

from search import pipeline
from search.models import DictionaryWord, StopWord, SynonymGroup
from tests.conftest import ROOT

pytestmark = pytest.mark.sqlite


def test_normalise_converts_traditional_first_then_width_and_case():
    assert pipeline.normalise("電腦與疫苗接種") == "电脑与疫苗接种"
    assert pipeline.normalise("ＣＯＶＩＤ－１９") == "covid-19"
    assert pipeline.normalise("Kepu") == "kepu"
    assert pipeline.normalise("科普\x00日") == "科普 日"
    assert pipeline.normalise("") == ""


def test_traditional_text_segments_like_simplified_text():
    assert pipeline.tokens("新型冠狀病毒疫苗") == pipeline.tokens("新型冠状病毒疫苗")


def test_the_base_dictionary_keeps_field_words_whole():
    tokens = pipeline.tokens("全国科普日新冠防疫知识有奖竞答")
    for word in ["全国科普日", "新冠", "防疫", "竞答", "有奖竞答"]:
        assert word in tokens


def test_search_mode_also_yields_the_parts_of_long_words():
    tokens = pipeline.tokens("科学技术协会")
    assert {"科学技术协会", "科学", "技术", "协会"} <= set(tokens)


def test_punctuation_symbols_and_emoji_are_dropped():
    assert pipeline.tokens("疫苗！？🎉（科普）…") == ["疫苗", "科普"]
    assert set(pipeline.tokens("COVID-19")) == {"covid", "19"}
    assert pipeline.tokens("！？。") == []


def test_bigrams_cover_each_run_of_chinese_characters():
    assert pipeline.bigrams("新冠疫苗，电脑 abc 火") == ["新冠", "冠疫", "疫苗", "电脑"]
    assert pipeline.bigrams("電腦") == ["电脑"]


@pytest.mark.django_db
def test_dictionary_words_from_the_database_are_used_at_once():
    assert "蛟龙号" not in pipeline.tokens("蛟龙号下潜")
    DictionaryWord.objects.create(word="蛟龙号")
    assert "蛟龙号" in pipeline.tokens("蛟龙号下潜")


@pytest.mark.django_db
def test_other_processes_see_the_new_version_through_the_cache(monkeypatch):
    pipeline.tokens("预热")
    before = pipeline._segmenter.generation
    monkeypatch.setattr(pipeline, "DICTIONARY_CHECK_SECONDS", 0.0)
    pipeline.tokens("预热")
    assert pipeline._segmenter.generation == before  # nothing changed: no rebuild
    pipeline.dictionary_changed()  # what another process publishes after a commit
    pipeline.tokens("预热")
    assert pipeline._segmenter.generation == before + 1


@pytest.mark.django_db
def test_synonyms_apply_both_ways_and_only_to_queries():
    SynonymGroup.objects.create(terms="新冠\n新型冠状病毒")
    assert pipeline.synonyms("新冠") == ("新型冠状病毒",)
    assert pipeline.synonyms("新型冠狀病毒") == ("新冠",)  # Traditional input too
    assert pipeline.synonyms("疫苗") == ()
    assert "新型冠状病毒" not in pipeline.tokens("新冠疫苗")


@pytest.mark.django_db
def test_stop_words_are_the_committed_list_and_organisers_words():
    assert {"的", "如何", "哪些", "什么", "哪一门"} <= pipeline.stop_words()
    assert "科普" not in pipeline.stop_words()
    StopWord.objects.create(word="請問一下")
    assert "请问一下" in pipeline.stop_words()


def test_question_words_segment_whole():
    assert "哪一门" in pipeline.words("他擅长哪一门学科")


def test_query_words_do_not_glue_an_unknown_name_to_the_next_character():
    # jieba's guessing (HMM) reads 刘七是, a word no document holds.
    assert "刘七是" not in pipeline.words("刘七是怎么死的")
    assert "刘七是" in "".join(pipeline.words("刘七是怎么死的"))


def test_characters_are_the_distinct_chinese_characters_in_order():
    assert pipeline.characters_of_normalised("科协和科普 kepu") == ["科", "协", "和", "普"]


@pytest.mark.django_db
def test_warm_up_loads_the_segmenter_so_the_first_search_pays_nothing():
    pipeline.forget_dictionary()
    pipeline.warm_up()
    generation = pipeline._segmenter.generation
    pipeline.tokens("科普")
    pipeline.stop_words()
    assert pipeline._segmenter.generation == generation
    assert pipeline._segmenter._tokenizer is not None


def test_suggest_inputs_are_the_title_its_pinyin_and_initials():
    assert pipeline.suggest_inputs("科普") == ("科普", "kepu", "kp")
    assert pipeline.suggest_inputs("電腦 Ａ1") == ("电脑a1", "diannaoa1", "dna1")
    assert pipeline.suggest_inputs("！") == ()


def test_clean_prefix_matches_what_suggest_inputs_store():
    assert pipeline.clean_prefix("Ke Pu") == "kepu"
    assert pipeline.clean_prefix("科 普！") == "科普"


def test_segmenter_loads_once_under_concurrent_first_use():
    pipeline._segmenter.reset()
    generations = []

    def segment():
        pipeline.tokens("科普")
        generations.append(pipeline._segmenter.generation)

    threads = [threading.Thread(target=segment) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(generations)) == 1


def test_query_analysis_never_imports_pypinyin():
    """pypinyin is memory-hungry: a web process's request path must not load it."""
    code = (
        "import django, sys; django.setup();"
        "from search import pipeline, query;"
        "query.analyse_query('科普 kepu 電腦'); pipeline.clean_prefix('kp');"
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
