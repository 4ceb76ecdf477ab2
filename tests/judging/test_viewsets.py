"""viewsets.py: the judging snippets (rounds, rubrics, panels, judges) open for organisers;
a round's progress page assigns, reminds and computes results for those who may."""

import pytest
from django.core import mail
from django.urls import reverse

from competitions.judging.models import Assignment
from competitions.judging.reminders import send_reminder
from outbox.models import OutboxMessage
from tests.factories.contests import EntryFactory
from tests.factories.judging import JudgeFactory, JudgingPanelFactory, JudgingRoundFactory
from tests.factories.users import StaffFactory, UserFactory

from .conftest import staff_with, submitted

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


# --- judging progress ------------------------------------------------------------------------


REMINDER = "judging.send_reminder"


def reminders_recorded():
    return list(OutboxMessage.objects.filter(target=REMINDER))


@pytest.fixture
def round():
    round = JudgingRoundFactory()
    busy, done = UserFactory(username="judge_busy"), UserFactory(username="judge_done")
    JudgingPanelFactory(round=round, judges=[busy, done])
    first, second = EntryFactory.create_batch(2, contest=round.contest)
    Assignment.objects.create(round=round, entry=first, judge=busy)
    Assignment.objects.create(round=round, entry=second, judge=busy)
    submitted(Assignment.objects.create(round=round, entry=first, judge=done), 75)
    return round


def test_organisers_see_progress_per_judge(client, organiser, round):
    client.force_login(organiser)

    response = client.get(reverse("judging_admin:round", args=[round.pk]))

    assert response.status_code == 200
    rows = {row["judge__username"]: row for row in response.context["judges"]}
    assert (rows["judge_busy"]["assigned"], rows["judge_busy"]["remaining"]) == (2, 2)
    assert (rows["judge_done"]["submitted"], rows["judge_done"]["remaining"]) == (1, 0)
    assert client.get(reverse("judging_admin:index")).status_code == 200


def test_staff_who_may_not_edit_rounds_are_refused(client, round):
    client.force_login(staff_with())

    for url in [reverse("judging_admin:index"), reverse("judging_admin:round", args=[round.pk])]:
        response = client.get(url)
        assert response.status_code == 403
        assert "只有可以编辑评审轮次的人才能查看此页面。" in response.text
    assert client.post(reverse("judging_admin:remind", args=[round.pk])).status_code == 403
    assert not reminders_recorded()


def test_remind_writes_only_to_judges_with_unscored_work(
    client, organiser, round, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks():
        response = client.post(reverse("judging_admin:remind", args=[round.pk]))

    assert response.status_code == 302
    messages = reminders_recorded()
    assert len(messages) == 1
    busy = Assignment.objects.filter(judge__username="judge_busy").first().judge
    assert messages[0].args == [round.pk, busy.pk]

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminder(*messages[0].args)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [busy.email]
    assert "2" in mail.outbox[0].subject
    assert "/judge/" in mail.outbox[0].body


def test_assign_and_results_buttons(client, organiser):
    round = JudgingRoundFactory()
    JudgingPanelFactory(round=round, judges=UserFactory.create_batch(2))
    EntryFactory(contest=round.contest)
    client.force_login(organiser)

    response = client.post(reverse("judging_admin:assign", args=[round.pk]), follow=True)
    assert "评委" in response.content.decode()
    assert not Assignment.objects.exists()  # three judges are needed, the panel has two

    response = client.post(reverse("judging_admin:results", args=[round.pk]), follow=True)
    assert response.status_code == 200
    assert round.results.count() == 1


def test_a_judge_who_finished_before_the_reminder_ran_gets_no_mail(round):
    busy = Assignment.objects.filter(judge__username="judge_busy")
    for assignment in busy:
        submitted(assignment, 60)

    assert not send_reminder(round.pk, busy.first().judge_id)
    assert mail.outbox == []


def test_the_contest_organisers_group_may_run_judging(client, round):
    from django.contrib.auth.models import Group

    member = UserFactory()
    member.groups.add(Group.objects.get(name="竞赛组织者"))
    client.force_login(member)

    assert client.get(reverse("judging_admin:round", args=[round.pk])).status_code == 200
    assert member.has_perm("judging.view_score")
    assert not member.has_perm("judging.change_score")
