"""competitions/judging/judges.py: only adults who take no part in the contest may judge."""

import datetime

import pytest

from accounts.models import User
from competitions.judging.judges import eligible_judges, judge_label, search_judges
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.users import ChildFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

TODAY = datetime.date(2026, 11, 30)


def test_adults_and_expert_accounts_may_judge_pupils_and_minors_may_not():
    adult = UserFactory(birth_year=1980, birth_month=3)
    expert = UserFactory(birth_year=None, birth_month=None)  # created by an organiser
    seventeen = UserFactory(birth_year=2009, birth_month=6)
    just_eighteen = UserFactory(birth_year=2008, birth_month=10)  # 18 since the end of October
    child = ChildFactory()
    inactive = UserFactory(is_active=False)

    judges = set(eligible_judges(today=TODAY))

    assert {adult, expert, just_eighteen} <= judges
    assert not {seventeen, child, inactive} & judges


def test_entrants_of_the_contest_may_not_judge_it():
    contest, other = ContestFactory(), ContestFactory()
    teacher = UserFactory(display_name="王老师")
    adult_entrant = EntryFactory(contest=contest).author

    assert teacher in eligible_judges(contest)
    assert adult_entrant not in eligible_judges(contest)
    assert adult_entrant in eligible_judges(other)
    assert adult_entrant not in eligible_judges()  # without a contest: no entrant at all


def test_judges_are_found_by_name_username_e_mail_or_phone_ending():
    lin = UserFactory(display_name="林教授", username="lin", email="lin@kx.example.org")
    lin.phone = "+8613912345678"
    lin.save()
    UserFactory(display_name="高老师")

    assert list(search_judges("林")) == [lin]
    assert list(search_judges("kx.example")) == [lin]
    assert list(search_judges("5678")) == [lin]
    assert len(search_judges("")) == User.objects.filter(is_active=True).count()


def test_a_candidate_is_shown_with_a_masked_contact():
    user = UserFactory(display_name="林教授", username="lin", email="lin@kx.example.org")

    assert judge_label(user) == "林教授（lin · l***@kx.example.org）"
