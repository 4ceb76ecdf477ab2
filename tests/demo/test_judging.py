"""The demo judging: judges in panels with scores whose results are the published ones."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from competitions.judging.models import (
    Assignment,
    Criterion,
    CriterionScore,
    Judge,
    JudgeReminder,
    JudgingPanel,
    JudgingRound,
    Score,
)
from competitions.submissions.models import ContestPage, EntryAward
from competitions.submissions.results.sources import collect_scores, publish_contest_results
from demo.datafiles import toml
from tests.factories.users import StaffFactory

pytestmark = pytest.mark.django_db


def contest(slug):
    return ContestPage.objects.get(slug=slug).contest


def reading():
    return contest("kexuejia-huiben-duhougan")


def video():
    return contest("zhijing-kexuejia-jingshen-duanshipin")


def awards(of):
    return sorted(
        EntryAward.objects.filter(contest=of, published=True).values_list(
            "entry_id", "kind", "level_id", "rank", "final_score", "votes"
        )
    )


def test_the_reading_reviews_are_scored_blind_by_three_judges_each_and_published_from_it(demo_site):
    contest = reading()
    round = JudgingRound.objects.get(contest=contest)
    entries = list(contest.entries.order_by("number"))

    for entry in entries:
        assignments = Assignment.objects.filter(round=round, entry=entry).select_related("score")
        assert assignments.count() == 3
        for assignment in assignments:
            assert assignment.score.status == Score.Status.SUBMITTED
            assert assignment.score.comment
            judge = Judge.objects.get(user=assignment.judge)
            assert judge.school_id != entry.school_id
            assert JudgingPanel.objects.filter(
                round=round, group=entry.group, judges=assignment.judge
            ).exists()
    expected = {
        entry.pk: item["score"]
        for entry, item in zip(entries, toml("contests")["reading_reviews"], strict=True)
    }
    assert collect_scores(contest) == expected
    assert round.results.filter(flagged_disagreement=True).count() == 1

    published = awards(contest)
    publish_contest_results(contest)
    assert published and awards(contest) == published


def test_the_video_contest_is_part_of_the_way_through_its_review(demo_site):
    round = JudgingRound.objects.get(contest=video())
    sheets = Score.objects.filter(assignment__round=round)

    assert round.contest.phase() == "voting"
    assert Assignment.objects.filter(round=round).count() == 6 * 3
    assert sheets.filter(status=Score.Status.SUBMITTED).count() == 6
    assert sheets.filter(status=Score.Status.DRAFT).count() == 6
    assert JudgeReminder.objects.filter(round=round).count() == 1
    assert round.results.filter(score_count__gt=0).exists()


def test_loading_again_changes_no_judging_data(demo_site):
    models = (JudgingRound, Criterion, JudgingPanel, Assignment, Score, CriterionScore)
    before = [model.objects.count() for model in models]
    before_awards = awards(reading())

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert [model.objects.count() for model in models] == before
    assert awards(reading()) == before_awards


def test_the_organiser_and_judge_screens_show_the_demo_data(client, demo_site):
    client.force_login(StaffFactory())
    for round in JudgingRound.objects.all():
        html = client.get(reverse("judging_admin:round", args=[round.pk])).content.decode()
        assert "demo-judge-" in html
        assert round.contest.entries.first().display_number in html

    judge = Assignment.objects.filter(round__contest=video()).first().judge
    client.force_login(judge)
    queue = client.get(reverse("judging:queue"))
    assert queue.status_code == 200
    mine = Assignment.objects.filter(judge=judge, round__contest=video()).first()
    assert mine.entry.display_number in queue.content.decode()
