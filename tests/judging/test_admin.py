"""The judging snippets (rounds, rubrics, panels, judges) open for organisers."""

import pytest
from django.urls import reverse

from tests.factories.judging import JudgeFactory, JudgingPanelFactory
from tests.factories.users import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["judginground", "rubric", "judgingpanel", "judge"])
def test_listing_and_edit_pages_open(client, model):
    panel = JudgingPanelFactory()
    objects = {
        "judginground": panel.round,
        "rubric": panel.round.rubric,
        "judgingpanel": panel,
        "judge": JudgeFactory(),
    }
    client.force_login(StaffFactory())

    assert client.get(reverse(f"wagtailsnippets_judging_{model}:list")).status_code == 200
    edit = reverse(f"wagtailsnippets_judging_{model}:edit", args=[objects[model].pk])
    assert client.get(edit).status_code == 200
