"""Entry services: drafts, limits, phases, consent, numbers, withdrawal."""

import datetime
import functools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from competitions.core.models import Unit
from competitions.submissions import entries
from competitions.submissions.models import Entry, EntryKind
from tests.concurrency import at_once
from tests.factories.contests import ContestFactory
from tests.factories.users import ChildFactory, UserFactory


def draft_for(contest, user=None, **data):
    user = user or UserFactory()
    fields = {"title": "读《昆虫记》有感", "group": contest.groups.first(), "kind": "text"}
    fields["text"] = "法布尔的观察让我着迷。"
    fields.update(data)
    return entries.save_draft(contest, user, fields)


@pytest.mark.django_db
class TestDrafts:
    def test_a_draft_keeps_what_the_author_typed(self):
        contest = ContestFactory()
        school = Unit.objects.create(kind=Unit.Kind.SCHOOL, name="实验小学")
        entry = draft_for(
            contest, school=school, grade="四年级", teacher="王老师", co_authors="李四"
        )
        entry.refresh_from_db()
        assert entry.status == Entry.Status.DRAFT
        assert entry.number is None
        assert (entry.school, entry.grade, entry.teacher) == (school, "四年级", "王老师")

    def test_school_must_come_from_the_list_of_schools(self):
        contest = ContestFactory()
        region = Unit.objects.create(kind=Unit.Kind.REGION, name="城关区")
        with pytest.raises(ValidationError):
            draft_for(contest, school=region)
        assert Entry.objects.count() == 0

    def test_group_of_another_contest_is_refused(self):
        contest, other = ContestFactory(), ContestFactory()
        with pytest.raises(ValidationError):
            draft_for(contest, group=other.groups.first())

    def test_kind_must_be_allowed(self):
        contest = ContestFactory(entry_kinds=[EntryKind.TEXT])
        with pytest.raises(ValidationError):
            draft_for(contest, kind=EntryKind.VIDEO)

    def test_word_limit(self):
        contest = ContestFactory(max_words=10)
        draft_for(contest, text="一二三四五 六七八九十\n")  # spaces do not count
        with pytest.raises(ValidationError) as caught:
            draft_for(contest, text="一" * 11)
        assert "text" in caught.value.message_dict
        assert Entry.objects.count() == 1

    def test_one_active_entry_per_author(self):
        contest = ContestFactory()
        entry = draft_for(contest)
        with pytest.raises(ValidationError) as caught:
            draft_for(contest, user=entry.author)
        assert caught.value.code == "duplicate"
        assert Entry.objects.count() == 1

    def test_someone_else_cannot_edit(self):
        contest = ContestFactory()
        entry = draft_for(contest)
        with pytest.raises(ValidationError):
            entries.save_draft(contest, UserFactory(), {"title": "改掉"}, entry=entry)
        entry.refresh_from_db()
        assert entry.title == "读《昆虫记》有感"


@pytest.mark.django_db
class TestPhases:
    @pytest.mark.parametrize("phase", ["upcoming", "review", "voting", "results"])
    def test_no_entries_outside_the_submission_phase(self, phase):
        contest = ContestFactory(phase=phase)
        with pytest.raises(ValidationError) as caught:
            draft_for(contest)
        assert caught.value.code == "closed"
        assert Entry.objects.count() == 0

    def test_editable_until_the_deadline_then_not(self):
        contest = ContestFactory()
        entry = draft_for(contest)
        entries.submit_entry(entry, entry.author)
        entry = entries.save_draft(contest, entry.author, {"title": "新题目"}, entry=entry)
        assert entry.status == Entry.Status.SUBMITTED
        assert entry.number == 1
        contest.submission_closes_at = timezone.now() - datetime.timedelta(seconds=1)
        contest.save()
        entry.contest.refresh_from_db()
        with pytest.raises(ValidationError):
            entries.save_draft(contest, entry.author, {"title": "截止后"}, entry=entry)
        with pytest.raises(ValidationError):
            entries.withdraw_entry(entry, entry.author)
        entry.refresh_from_db()
        assert entry.title == "新题目"
        assert entry.status == Entry.Status.SUBMITTED


@pytest.mark.django_db
class TestSubmit:
    def test_submit_gives_a_number_once_and_is_idempotent(self):
        contest = ContestFactory()
        draft = draft_for(contest)
        first = entries.submit_entry(draft, draft.author)
        second_draft = draft_for(contest)
        second = entries.submit_entry(second_draft, second_draft.author)
        again = entries.submit_entry(second, second.author)
        assert (first.number, second.number, again.number) == (1, 2, 2)
        assert again.submitted_at == second.submitted_at
        assert first.display_number == f"C{contest.pk}-0001"

    def test_empty_text_cannot_be_submitted(self):
        contest = ContestFactory()
        entry = draft_for(contest, text="")
        with pytest.raises(ValidationError):
            entries.submit_entry(entry, entry.author)
        entry.refresh_from_db()
        assert entry.status == Entry.Status.DRAFT

    def test_file_entry_needs_a_file(self):
        contest = ContestFactory()
        entry = draft_for(contest, kind=EntryKind.DOCUMENT, text="")
        with pytest.raises(ValidationError):
            entries.submit_entry(entry, entry.author)

    def test_a_minor_needs_guardian_consent(self):
        contest = ContestFactory()
        child = ChildFactory()
        entry = draft_for(contest, user=child)
        with pytest.raises(ValidationError) as caught:
            entries.submit_entry(entry, child)
        assert caught.value.code == "consent"
        entry.refresh_from_db()
        assert entry.number is None
        User.objects.filter(pk=child.pk).update(consent_status=User.ConsentStatus.GRANTED)
        child.refresh_from_db()
        assert entries.submit_entry(entry, child).number == 1

    def test_withdraw_then_enter_again(self):
        contest = ContestFactory()
        entry = draft_for(contest)
        entries.submit_entry(entry, entry.author)
        entries.withdraw_entry(entry, entry.author)
        entry.refresh_from_db()
        assert entry.status == Entry.Status.WITHDRAWN
        assert entry.number == 1
        new = draft_for(contest, user=entry.author)
        assert entries.submit_entry(new, new.author).number == 2

    def test_withdrawing_a_draft_deletes_it(self):
        contest = ContestFactory()
        entry = draft_for(contest)
        entries.withdraw_entry(entry, entry.author)
        assert Entry.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_get_distinct_numbers():
    contest = ContestFactory()
    drafts = [draft_for(contest) for _ in range(8)]
    # Each entry is also submitted twice at once (a double tap).
    jobs = [d for d in drafts for _ in range(2)]
    results = at_once([functools.partial(entries.submit_entry, e, e.author) for e in jobs])

    assert [r for r in results if isinstance(r, Exception)] == []
    numbers = sorted(Entry.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))
