"""The 搜索 admin menu: organisers edit the dictionary, synonyms and stop words; others may
not."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from search import dictionary
from search.backends.common import analyse
from search.models import DictionaryWord, StopWord, SynonymGroup
from tests.factories.users import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

WORDS = "/admin/snippets/search/dictionaryword/"
SYNONYMS = "/admin/snippets/search/synonymgroup/"
STOP_WORDS = "/admin/snippets/search/stopword/"


@pytest.fixture
def organiser_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def outsider_client():
    """Someone who may use the admin but was given no search permission."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_menu_has_a_search_group(organiser_client):
    response = organiser_client.get(WORDS)
    assert response.status_code == 200
    menu = response.content.decode()
    assert "search-settings" in menu
    assert SYNONYMS in menu


def test_an_organiser_adds_a_word_and_segmentation_keeps_it_whole(organiser_client):
    assert "蛟龙号" not in dictionary.analyser().tokens("蛟龙号深潜器下潜成功")

    response = organiser_client.post(WORDS + "add/", {"word": "蛟龍號", "note": "深潜器"})

    assert response.status_code == 302
    assert DictionaryWord.objects.get().word == "蛟龙号"  # stored normalised
    assert "蛟龙号" in dictionary.analyser().tokens("蛟龙号深潜器下潜成功")


def test_a_bad_word_gets_a_chinese_message_and_nothing_is_saved(organiser_client):
    DictionaryWord.objects.create(word="科普")

    for word, message in [
        ("科 普", "不能有空格或标点"),
        ("科普！", "不能有空格或标点"),
        ("", "请填写此项"),
        ("科" * 21, "20"),
        ("科普", "词典中已有这个词"),
    ]:
        response = organiser_client.post(WORDS + "add/", {"word": word})
        assert response.status_code == 200, word
        assert message in response.content.decode(), word
    assert DictionaryWord.objects.count() == 1


def test_an_organiser_adds_a_synonym_group_and_queries_expand(organiser_client):
    response = organiser_client.post(SYNONYMS + "add/", {"terms": "科协，科学技术协会"})

    assert response.status_code == 302
    group = SynonymGroup.objects.get()
    assert group.term_list() == ["科协", "科学技术协会"]
    clause = analyse("科协").clauses[0]
    assert [alt.word for alt in clause] == ["科协", "科学技术协会"]


def test_an_organiser_adds_a_stop_word_and_queries_need_not_match_it(organiser_client):
    assert "介绍" in [clause.word for clause in analyse("介绍火星").clauses]

    response = organiser_client.post(STOP_WORDS + "add/", {"word": "介紹", "note": "口头语"})

    assert response.status_code == 302
    assert StopWord.objects.get().word == "介绍"
    assert [clause.word for clause in analyse("介绍火星").clauses] == ["火星"]
    response = organiser_client.post(STOP_WORDS + "add/", {"word": "介绍"})
    assert "已经是停用词" in response.content.decode()


def test_a_synonym_group_needs_two_words(organiser_client):
    response = organiser_client.post(SYNONYMS + "add/", {"terms": "新冠，新冠"})

    assert response.status_code == 200
    assert "至少需要两个不同的词" in response.content.decode()
    assert not SynonymGroup.objects.exists()


def test_people_without_permission_cannot_see_or_change_the_dictionary(outsider_client):
    word = DictionaryWord.objects.create(word="科普")

    for url in [WORDS, WORDS + "add/", f"{WORDS}edit/{word.pk}/", SYNONYMS, STOP_WORDS]:
        response = outsider_client.get(url)
        assert response.status_code in (302, 403), url
    response = outsider_client.post(WORDS + "add/", {"word": "竞答"})
    assert response.status_code in (302, 403)
    response = outsider_client.post(f"{WORDS}delete/{word.pk}/")
    assert response.status_code in (302, 403)
    assert list(DictionaryWord.objects.values_list("word", flat=True)) == ["科普"]


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(WORDS)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_dictionary_and_the_stop_words_are_separate_lists(organiser_client):
    DictionaryWord.objects.create(word="科普")

    response = organiser_client.post(STOP_WORDS + "add/", {"word": "科普"})

    assert response.status_code == 302
    assert list(StopWord.objects.values_list("word", flat=True)) == ["科普"]
    assert list(DictionaryWord.objects.values_list("word", flat=True)) == ["科普"]
