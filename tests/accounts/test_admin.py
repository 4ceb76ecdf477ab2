"""Staff see profiles and consent records masked and read-only."""

import pytest

from tests.factories.users import GuardianConsentFactory, ProfileFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_the_profile_listing_masks_personal_data(staff_client):
    profile = ProfileFactory(real_name="张小明", user__display_name="小科学家")
    profile.user.phone = "+8613812345678"
    profile.user.save()

    page = staff_client.get("/django-admin/accounts/profile/").content.decode()

    assert "张**" in page and "小***" in page and "138****5678" in page
    for secret in ("张小明", "小科学家", "13812345678"):
        assert secret not in page


def test_profiles_cannot_be_opened_changed_or_deleted(staff_client):
    profile = ProfileFactory()

    assert staff_client.get(f"/django-admin/accounts/profile/{profile.pk}/change/").status_code in (
        302,
        403,
    )
    assert staff_client.get("/django-admin/accounts/profile/add/").status_code == 403
    response = staff_client.post(
        f"/django-admin/accounts/profile/{profile.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code in (302, 403)
    assert type(profile).objects.filter(pk=profile.pk).exists()


def test_consent_records_are_listed_masked_and_read_only(staff_client):
    record = GuardianConsentFactory(guardian_phone="+8613700000001")

    page = staff_client.get("/django-admin/accounts/guardianconsent/").content.decode()

    assert "137****0001" in page and "13700000001" not in page
    response = staff_client.post(
        f"/django-admin/accounts/guardianconsent/{record.pk}/change/", {"decision": "refuse"}
    )
    assert response.status_code in (302, 403)
    record.refresh_from_db()
    assert record.decision == "agree"
