"""Guardian consent records are immutable: in Python, in the admin and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import ConsentRecordImmutable, GuardianConsent, Profile
from tests.factories.users import GuardianConsentFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.mark.sqlite
def test_a_consent_record_cannot_be_updated_through_the_model():
    record = GuardianConsentFactory(decision="agree")
    record.decision = "refuse"

    with pytest.raises(ConsentRecordImmutable):
        record.save()

    assert GuardianConsent.objects.get().decision == "agree"


@pytest.mark.sqlite
def test_a_consent_record_cannot_be_updated_or_deleted_in_bulk():
    GuardianConsentFactory()

    with pytest.raises(ConsentRecordImmutable):
        GuardianConsent.objects.update(decision="refuse")
    with pytest.raises(ConsentRecordImmutable):
        GuardianConsent.objects.all().delete()

    assert GuardianConsent.objects.get().decision == "agree"


@pytest.mark.sqlite
def test_a_single_consent_record_cannot_be_deleted():
    record = GuardianConsentFactory()

    with pytest.raises(ConsentRecordImmutable):
        record.delete()

    assert GuardianConsent.objects.exists()


@pytest.mark.sqlite
def test_the_database_rejects_an_update_that_bypasses_the_model():
    record = GuardianConsentFactory()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_guardianconsent SET decision = 'refuse' WHERE id = %s", [record.pk]
        )

    assert GuardianConsent.objects.get().decision == "agree"


def test_on_postgresql_the_database_rejects_a_delete_outside_account_deletion():
    if connection.vendor != "postgresql":
        pytest.fail("this guard exists on PostgreSQL; run the suite through scripts/test")
    record = GuardianConsentFactory()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_guardianconsent WHERE id = %s", [record.pk])

    assert GuardianConsent.objects.filter(pk=record.pk).exists()


@pytest.mark.sqlite
def test_consent_records_go_when_the_child_account_is_deleted():
    record = GuardianConsentFactory()
    GuardianConsentFactory()

    record.child.delete()

    assert GuardianConsent.objects.count() == 1


@pytest.mark.sqlite
def test_new_consent_records_can_be_written():
    GuardianConsentFactory()
    GuardianConsentFactory(decision="refuse")

    assert GuardianConsent.objects.count() == 2


@pytest.mark.sqlite
def test_a_profile_belongs_to_one_user_and_shows_the_grade_in_chinese():
    profile = ProfileFactory(grade=Profile.Grade.JUNIOR_2)

    assert profile.get_grade_display() == "初二"
    assert profile.user.profile == profile
