"""The starting synonym groups a fresh site gets (migration 0006), editable afterwards."""

import pytest

from search import pipeline
from search.models import SynonymGroup
from search.query import analyse_query

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite, pytest.mark.keep_starting_synonyms]


def test_a_fresh_site_expands_common_abbreviations():
    groups = [set(group.term_list()) for group in SynonymGroup.objects.all()]

    assert {"新冠", "新型冠状病毒"} <= next(g for g in groups if "新冠" in g)
    assert {"科协", "科学技术协会"} in groups
    pipeline.dictionary_changed()
    words = {alt.word for clause in analyse_query("新冠").clauses for alt in clause}
    assert "新型冠状病毒" in words
