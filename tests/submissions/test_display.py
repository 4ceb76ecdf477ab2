"""The public display rule (display.py) for each age band, withdrawal, and no leaks in HTML."""

import datetime

import pytest
from django.urls import reverse

from accounts import consent
from accounts.models import GuardianConsent, User
from competitions.core.models import Unit
from competitions.submissions.models import AwardLevel, Entry
from competitions.submissions.results.awards import publish_results
from content import cache as page_cache
from kepu.days import local_day
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.users import GuardianConsentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

GUARDIAN = "+8613700000001"


def born_years_ago(years: int, months_extra: int = 0) -> dict:
    today = local_day()
    total = today.year * 12 + (today.month - 1) - years * 12 - months_extra
    return {"birth_year": total // 12, "birth_month": total % 12 + 1}


def child_author(display: str | None = None) -> User:
    """A ten-year-old whose guardian agreed to the account, and to display if `display`."""
    child = GuardianConsentFactory(guardian_phone=GUARDIAN).child
    if display:
        GuardianConsentFactory(
            child=child, guardian_phone=GUARDIAN, scope="display", decision=display
        )
    return child


def shown(entry: Entry) -> bool:
    """The method and the queryset must agree; returns their common answer."""
    by_method = Entry.objects.get(pk=entry.pk).is_publicly_displayable()
    by_query = Entry.objects.filter(pk=entry.pk).publicly_displayable().exists()
    assert by_method == by_query
    return by_method


def test_an_adults_own_agreement_is_enough():
    assert shown(EntryFactory(author=UserFactory()))
    assert not shown(EntryFactory(author=UserFactory(), display_consent=False))


def test_a_fifteen_year_olds_own_agreement_is_enough():
    teen = UserFactory(**born_years_ago(15))

    assert shown(EntryFactory(author=teen))
    assert not shown(EntryFactory(author=teen, display_consent=False))


def test_a_child_needs_both_their_own_and_the_guardians_agreement():
    assert not shown(EntryFactory(author=child_author()))
    assert not shown(EntryFactory(author=child_author(display="refuse")))
    assert not shown(EntryFactory(author=child_author(display="agree"), display_consent=False))
    assert shown(EntryFactory(author=child_author(display="agree")))


@pytest.mark.parametrize(
    ("months_extra", "needs_guardian"),
    [(-1, True), (0, True), (1, False), (2, False)],
)
def test_the_fourteenth_birthday_month_still_counts_as_under_fourteen(months_extra, needs_guardian):
    # Born 14 years ago this month: the birthday may be later this month, so still 13.
    author = UserFactory(**born_years_ago(14, months_extra))

    assert consent.needs_guardian_for_display(author) is needs_guardian
    assert shown(EntryFactory(author=author)) is (not needs_guardian)


def test_an_author_without_a_birth_month_counts_by_their_account_status():
    unknown_child = UserFactory(
        birth_year=None, birth_month=None, consent_status=User.ConsentStatus.GRANTED
    )
    unknown_adult = UserFactory(birth_year=None, birth_month=None)

    assert not shown(EntryFactory(author=unknown_child))
    assert shown(EntryFactory(author=unknown_adult))


def test_drafts_and_withdrawn_entries_are_never_public():
    adult = UserFactory()
    assert not shown(EntryFactory(author=adult, status=Entry.Status.DRAFT, number=None))
    assert not shown(EntryFactory(author=adult, status=Entry.Status.WITHDRAWN))


def test_the_latest_display_record_counts():
    child = child_author(display="agree")
    entry = EntryFactory(author=child)
    assert shown(entry)

    consent.withdraw_display_consent(child)
    assert not shown(entry)

    GuardianConsentFactory(
        child=child,
        guardian_phone=GUARDIAN,
        scope="display",
        decided_at=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=5),
    )
    assert shown(entry)


def test_the_guardians_account_consent_alone_does_not_show_the_work():
    child = child_author()
    assert GuardianConsent.objects.filter(child=child, scope="account", decision="agree").exists()

    assert not shown(EntryFactory(author=child))


def awarded_child_entry(client, display=None):
    contest = ContestFactory(phase="exhibition", expert_weight=100, popularity_award=False)
    AwardLevel.objects.create(contest=contest, name="一等奖", count=2)
    school = Unit.objects.create(kind=Unit.Kind.SCHOOL, name="向阳路小学")
    child = child_author(display=display)
    child.display_name = "王小明"
    child.save(update_fields=["display_name"])
    entry = EntryFactory(
        contest=contest, author=child, title="我家的小实验", school=school, grade="四年级"
    )
    publish_results(contest, {entry.pk: 90}, {})
    return contest, entry


def public_pages(client, contest, entry) -> tuple[str, int]:
    """The award's row of the results, the exhibition and the work page. (The ranking of
    organising units counts a school's entries and awards without naming any work: that
    is about the school, so it is left out here.)"""
    results = client.get(reverse("contests:results", args=[contest.pk])).content.decode()
    award_row = next(row for row in results.split("<tr>") if entry.display_number in row)
    exhibition = client.get(reverse("contests:exhibition", args=[contest.pk])).content.decode()
    work = client.get(reverse("contests:exhibition_work", args=[contest.pk, entry.number]))
    assert "我家的小实验" not in results or "我家的小实验" in award_row
    return award_row + exhibition + work.content.decode(), work.status_code


def test_a_childs_work_without_guardian_consent_leaks_nothing_in_html(client):
    contest, entry = awarded_child_entry(client)

    html, work_status = public_pages(client, contest, entry)

    assert work_status == 404
    for secret in ("我家的小实验", "向阳路小学", "王小明", "四年级"):
        assert secret not in html
    assert "一等奖" in html  # the award itself is public, by entry number


def test_a_childs_work_with_both_agreements_is_shown_without_the_name(client):
    contest, entry = awarded_child_entry(client, display="agree")

    html, work_status = public_pages(client, contest, entry)

    assert work_status == 200
    assert "我家的小实验" in html and "向阳路小学" in html
    assert "王小明" not in html


def test_withdrawal_removes_the_work_from_public_pages_and_the_page_cache(
    client, django_capture_on_commit_callbacks
):
    contest, entry = awarded_child_entry(client, display="agree")
    assert "我家的小实验" in public_pages(client, contest, entry)[0]
    version = page_cache.PAGES.version()

    with django_capture_on_commit_callbacks(execute=True):
        consent.withdraw_display_consent(entry.author)

    assert page_cache.PAGES.version() > version
    html, work_status = public_pages(client, contest, entry)
    assert work_status == 404
    assert "我家的小实验" not in html and "向阳路小学" not in html


def test_a_childs_own_agreement_is_kept_for_when_the_guardian_agrees():
    from competitions.submissions import entries

    contest = ContestFactory()
    child = child_author()

    entry = entries.save_draft(
        contest,
        child,
        {
            "title": "我的读后感",
            "group": contest.groups.first(),
            "kind": "text",
            "text": "好书",
            "display_consent": True,
        },
    )

    assert entry.display_consent is True
    entry = entries.submit_entry(entry, child)
    assert not entry.is_publicly_displayable()
    GuardianConsentFactory(child=child, guardian_phone=GUARDIAN, scope="display")
    assert entry.is_publicly_displayable()


def test_the_entry_page_and_receipt_show_the_guardian_step_to_a_child(client):
    from competitions.submissions import entries

    contest = ContestFactory()
    child = child_author()
    entry = entries.save_draft(
        contest,
        child,
        {"title": "读后感", "group": contest.groups.first(), "kind": "text", "text": "好书"},
    )
    entries.submit_entry(entry, child)
    client.force_login(child)

    edit = client.get(reverse("contests:entry_edit", args=[entry.public_id])).content.decode()
    receipt = client.get(reverse("contests:entry_receipt", args=[entry.public_id])).content.decode()

    for page in (edit, receipt):
        assert "请监护人同意公开展示作品" in page
        assert 'value="request"' in page


def test_adults_see_no_guardian_step(client):
    adult = UserFactory()
    entry = EntryFactory(author=adult, contest=ContestFactory())
    client.force_login(adult)

    page = client.get(reverse("contests:entry_edit", args=[entry.public_id])).content.decode()

    assert "请监护人同意公开展示作品" not in page
