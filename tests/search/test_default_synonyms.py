"""The starting synonym groups a fresh site gets (migrations 0006 and 0009), editable afterwards."""

import pytest

from search import dictionary
from search.backends.common import analyse
from search.models import SynonymGroup

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite, pytest.mark.keep_starting_synonyms]


def test_a_fresh_site_expands_common_abbreviations():
    groups = [set(group.term_list()) for group in SynonymGroup.objects.all()]

    assert {"新冠", "新型冠状病毒"} <= next(g for g in groups if "新冠" in g)
    assert {"科协", "科学技术协会"} in groups
    dictionary.changed()
    words = {alt.word for clause in analyse("新冠").clauses for alt in clause}
    assert "新型冠状病毒" in words


def test_a_fresh_site_reads_everyday_words_as_the_words_articles_use():
    groups = [set(group.term_list()) for group in SynonymGroup.objects.all()]

    assert {"着火", "火灾"} <= next(g for g in groups if "着火" in g)
    assert {"发烧", "发热"} in groups
    dictionary.changed()
    clauses = {clause.word: clause for clause in analyse("家里着火了怎么办").clauses}
    assert "火灾" in {alt.word for alt in clauses["着火"]}
