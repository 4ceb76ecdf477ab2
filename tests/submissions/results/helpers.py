"""A contest with published awards, for the results and certificate tests."""

from competitions.core.models import Unit
from competitions.submissions.models import AwardLevel, ExhibitedEntry
from competitions.submissions.results.awards import publish_results
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.users import UserFactory


def published_contest(phase="results"):
    """小学组: 4 entries (1st: #1, 2nd: #2, chosen: #4, 人气奖: #3); 初中组: 1 entry (1st: #5)."""
    contest = ContestFactory(phase=phase, title="科学家故事读后感征集")
    first = AwardLevel.objects.create(contest=contest, name="一等奖", count=1, sort_order=0)
    second = AwardLevel.objects.create(contest=contest, name="二等奖", count=1, sort_order=1)
    east = Unit.objects.create(kind=Unit.Kind.SCHOOL, name="东城实验小学")
    primary, middle = contest.groups.order_by("sort_order")
    entries = [
        EntryFactory(
            contest=contest,
            group=primary if number < 5 else middle,
            number=number,
            school=east,
            title=f"作品{number}号读后感",
            teacher="王老师",
            author=UserFactory(display_name=f"李同学{number}"),
        )
        for number in range(1, 6)
    ]
    ExhibitedEntry.objects.create(entry=entries[3])
    scores = {entries[0].pk: 95, entries[1].pk: 85, entries[2].pk: 60, entries[4].pk: 70}
    publish_results(contest, scores, {entries[2].pk: 12})
    return contest, entries, first, second
