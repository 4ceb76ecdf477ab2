import pytest
from django.core.exceptions import ValidationError

from competitions.bookdrift import reviews
from competitions.bookdrift.models import BookReview
from competitions.submissions.models import Entry, EntryKind
from tests.factories.bookdrift import CampaignFactory, CopyFactory, SchoolFactory
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.users import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def drift_copy(**contest):
    contest = ContestFactory(entry_kinds=[EntryKind.TEXT], **contest)
    return CopyFactory(campaign=CampaignFactory(review_contest=contest), book__title="冰芯里的秘密")


def data(copy, **overrides):
    return {
        "title": "读《冰芯里的秘密》有感",
        "text": "冰芯像年轮一样记录着地球的过去。" * 5,
        "group": copy.campaign.review_contest.groups.first(),
        "school": SchoolFactory(),
        "grade": "五年级",
        "display_consent": True,
        **overrides,
    }


def test_a_review_is_a_submitted_entry_of_the_campaigns_contest_linked_to_its_book():
    copy = drift_copy()
    user = UserFactory()

    entry = reviews.write_review(copy, user, data(copy))

    assert entry.contest == copy.campaign.review_contest
    assert entry.status == Entry.Status.SUBMITTED and entry.number == 1
    assert entry.kind == EntryKind.TEXT and entry.author == user
    review = BookReview.objects.get(entry=entry)
    assert review.book == copy.book and review.copy == copy and not review.shown


def test_the_contests_word_limit_refuses_a_review_and_leaves_no_draft():
    copy = drift_copy(max_words=20)

    with pytest.raises(ValidationError) as refused:
        reviews.write_review(copy, UserFactory(), data(copy))

    assert "text" in refused.value.message_dict
    assert not Entry.objects.exists() and not BookReview.objects.exists()


def test_a_closed_contest_refuses_a_review():
    copy = drift_copy(phase="review")

    with pytest.raises(ValidationError):
        reviews.write_review(copy, UserFactory(), data(copy))

    assert not Entry.objects.exists()


def test_a_child_without_the_guardians_consent_cannot_submit_and_nothing_is_kept():
    copy = drift_copy()

    with pytest.raises(ValidationError):
        reviews.write_review(copy, ChildFactory(), data(copy))

    assert not Entry.objects.exists()


def test_one_entry_per_reader_and_contest_as_the_contest_says():
    copy = drift_copy()
    user = UserFactory()
    reviews.write_review(copy, user, data(copy))

    with pytest.raises(ValidationError):
        reviews.write_review(copy, user, data(copy, title="第二篇"))

    assert Entry.objects.count() == 1


def test_a_contest_that_takes_files_only_is_named():
    contest = ContestFactory(entry_kinds=[EntryKind.DOCUMENT])
    copy = CopyFactory(campaign=CampaignFactory(review_contest=contest))

    with pytest.raises(ValidationError) as refused:
        reviews.write_review(copy, UserFactory(), {})

    assert refused.value.code == "files_only"


def test_shown_reviews_are_chosen_and_displayable_ones_only():
    copy = CopyFactory()
    shown = BookReview.objects.create(entry=EntryFactory(), book=copy.book, shown=True)
    BookReview.objects.create(entry=EntryFactory(), book=copy.book, shown=False)
    BookReview.objects.create(entry=EntryFactory(display_consent=False), book=copy.book, shown=True)

    assert list(reviews.shown_reviews(copy.book)) == [shown]


def test_showing_reviews_changes_only_those_that_differ():
    copy = CopyFactory()
    first = BookReview.objects.create(entry=EntryFactory(), book=copy.book)
    BookReview.objects.create(entry=EntryFactory(), book=copy.book, shown=True)

    changed = reviews.set_shown(BookReview.objects.all(), True, by=None)

    assert changed == 1
    first.refresh_from_db()
    assert first.shown and first.shown_at is not None
