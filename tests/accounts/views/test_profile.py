"""The profile page, "download my data" and "delete my account" over HTTP."""

import io
import json
import zipfile

import pytest

from accounts.models import Profile, User
from tests.factories.users import PASSWORD, ProfileFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def user(client):
    user = UserFactory(phone="+8613812345678", phone_verified=True)
    client.force_login(user)
    return user


def test_the_profile_page_needs_a_signed_in_user(client):
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_profile_is_created_on_first_save(client, user):
    assert client.get("/me/").status_code == 200
    assert not Profile.objects.exists()

    response = client.post(
        "/me/",
        {
            "display_name": "小科学家",
            "real_name": "张小明",
            "region": "杭州市西湖区",
            "school": "西湖小学",
            "grade": "primary_4",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "小科学家"
    profile = Profile.objects.get(user=user)
    assert (profile.real_name, profile.grade) == ("张小明", "primary_4")
    assert "个人资料已保存" in client.get("/me/").content.decode()


def test_every_profile_field_is_optional(client, user):
    response = client.post("/me/", {})

    assert response.status_code == 302


def test_an_unknown_grade_is_refused_in_chinese(client, user):
    response = client.post("/me/", {"grade": "university"})

    assert response.status_code == 200
    assert "请从列表中选择一项" in response.content.decode()


def test_the_profile_page_labels_every_field(client, user):
    page = client.get("/me/").content.decode()

    for name in ("display_name", "real_name", "region", "school", "grade"):
        assert f'<label for="id_{name}">' in page


def test_staff_without_a_birth_month_are_asked_before_the_profile(client):
    client.force_login(StaffFactory(birth_year=None, birth_month=None))

    assert client.get("/me/")["Location"] == "/accounts/age/"


def test_download_my_data_is_a_zip_and_post_only(client, user):
    ProfileFactory(user=user, real_name="张小明")

    assert client.get("/me/export/").status_code == 405
    response = client.post("/me/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["real_name"] == "张小明"
    assert data["user"]["phone"] == "+8613812345678"
    assert "password" not in data["user"]


def test_download_my_data_is_rate_limited(client, user):
    for _ in range(5):
        assert client.post("/me/export/").status_code == 200

    response = client.post("/me/export/")

    assert response.status_code == 429
    assert "请明天再试" in response.content.decode()


def test_deleting_the_account_needs_the_password(client, user):
    response = client.post("/me/delete/", {"password": "wrong"})

    assert response.status_code == 200
    assert "密码不正确" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_the_account_with_the_password_signs_out(client, user):
    ProfileFactory(user=user)

    response = client.post("/me/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Profile.objects.exists()
    assert "_auth_user_id" not in client.session
    assert client.get("/me/").status_code == 302


def test_a_passwordless_account_confirms_by_typing_the_phrase(client):
    user = UserFactory(password=None)
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    page = client.get("/me/delete/").content.decode()
    assert "删除我的账户" in page and 'name="password"' not in page
    assert client.post("/me/delete/", {"confirmation": "删除"}).status_code == 200
    assert User.objects.filter(pk=user.pk).exists()

    response = client.post("/me/delete/", {"confirmation": " 删除我的账户 "})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()


def test_wrong_passwords_on_the_delete_page_are_rate_limited(client, user):
    for _ in range(5):
        client.post("/me/delete/", {"password": "wrong"})

    response = client.post("/me/delete/", {"password": PASSWORD})

    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_is_post_only_and_csrf_protected(user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)

    assert strict.post("/me/delete/", {"password": PASSWORD}).status_code == 403
    assert strict.post("/me/export/").status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
