import pytest

from accounts.consent import withdraw_display_consent
from accounts.models import GuardianConsent
from competitions.bookdrift import privacy
from tests.factories.users import ChildFactory, PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def agree_to_display(child):
    GuardianConsent.objects.create(
        child=child,
        guardian_phone="+8613700000001",
        decision="agree",
        scope="display",
        policy_version="x",
    )


def test_adults_and_teenagers_may_be_named_children_only_with_display_consent():
    adult, teenager = UserFactory(), UserFactory(birth_year=privacy_year(15))
    child, child_with_consent = PupilFactory(), PupilFactory()
    agree_to_display(child_with_consent)

    named = privacy.readers_who_may_be_named(
        [adult.pk, teenager.pk, child.pk, child_with_consent.pk]
    )

    assert named == {adult.pk, teenager.pk, child_with_consent.pk}


def test_a_withdrawn_display_consent_counts_at_once():
    child = PupilFactory()
    agree_to_display(child)

    withdraw_display_consent(child)

    assert not privacy.may_be_named(child)


def test_pupils_teenagers_anonymous_and_unknown_ages_write_with_approval():
    assert privacy.text_needs_approval(None)
    assert privacy.text_needs_approval(PupilFactory())
    assert privacy.text_needs_approval(UserFactory(birth_year=privacy_year(16)))
    assert privacy.text_needs_approval(UserFactory(birth_year=None, birth_month=None))
    assert not privacy.text_needs_approval(UserFactory())


def test_naming_a_thousand_readers_is_one_query(django_assert_num_queries):
    ids = [ChildFactory().pk for _ in range(5)]

    with django_assert_num_queries(1):
        privacy.readers_who_may_be_named(ids)


def privacy_year(age: int) -> int:
    from kepu.days import local_day

    return local_day().year - age - 1
