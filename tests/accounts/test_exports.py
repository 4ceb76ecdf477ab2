"""The data export: a ZIP with data.json and files, assembled from registered exporters."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts import exports
from accounts.exports import ExportFile, ExportSection, register_exporter, write_export
from tests.factories.users import GuardianConsentFactory, ProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def export_of(user) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    write_export(user, buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


@pytest.fixture
def extra_exporter():
    """Registers an exporter for the test only."""
    added = []

    def register(exporter):
        register_exporter(exporter)
        added.append(exporter)
        return exporter

    yield register
    for exporter in added:
        exports._exporters.remove(exporter)


def test_the_export_holds_the_user_profile_consents_emails_and_social_accounts():
    consent = GuardianConsentFactory(child__email="kid@example.org", child__display_name="小明")
    child = consent.child
    ProfileFactory(user=child, real_name="张小明", school="西湖小学")
    EmailAddress.objects.create(user=child, email="kid@example.org", verified=True, primary=True)
    SocialAccount.objects.create(
        user=child, provider="weixin", uid="openid-1", extra_data={"nickname": "小明"}
    )

    data = json.loads(export_of(child).read("data.json"))

    assert data["user"]["display_name"] == "小明"
    assert data["user"]["phone"] == child.phone
    assert data["user"]["birth_year"] == child.birth_year
    assert data["profile"]["real_name"] == "张小明"
    assert data["profile"]["school"] == "西湖小学"
    assert data["guardian_consents"] == [
        {
            "decision": "agree",
            "scope": "account",
            "policy_version": "2026-11",
            "guardian_phone": "+8613700000001",
            "decided_at": data["guardian_consents"][0]["decided_at"],
        }
    ]
    assert data["email_addresses"] == [
        {"email": "kid@example.org", "verified": True, "primary": True}
    ]
    assert data["social_accounts"][0]["provider"] == "weixin"
    assert data["social_accounts"][0]["extra_data"] == {"nickname": "小明"}


def test_no_password_hash_or_token_leaks_into_the_export():
    consent = GuardianConsentFactory()
    user = consent.child
    app = SocialApp.objects.create(provider="weixin", name="WeChat", client_id="id", secret="s3")
    account = SocialAccount.objects.create(
        user=user,
        provider="weixin",
        uid="openid-2",
        extra_data={"nickname": "n", "access_token": "leaky", "nested": {"refresh_token": "x"}},
    )
    SocialToken.objects.create(app=app, account=account, token="the-token", token_secret="ts")

    archive = export_of(user)
    raw = archive.read("data.json").decode()

    assert user.password not in raw
    assert "pbkdf2" not in raw and "md5$" not in raw
    for secret in ("the-token", "leaky", "s3", '"ts"', "refresh_token"):
        assert secret not in raw
    assert json.loads(raw)["user"]["has_password"] is True


def test_a_user_without_a_profile_exports_null():
    consent = GuardianConsentFactory()

    data = json.loads(export_of(consent.child).read("data.json"))

    assert data["profile"] is None
    assert data["format_version"] == 1


def test_registered_exporters_add_their_data_and_files(extra_exporter):
    default_storage.save("entries/essay.txt", ContentFile("我的读后感".encode()))

    @extra_exporter
    def export_entries(user):
        return ExportSection(
            "competition_entries",
            [{"title": "读后感"}],
            [ExportFile.from_storage("1/essay.txt", "entries/essay.txt")],
        )

    archive = export_of(GuardianConsentFactory().child)

    assert json.loads(archive.read("data.json"))["competition_entries"] == [{"title": "读后感"}]
    assert archive.read("files/competition_entries/1/essay.txt").decode() == "我的读后感"


def test_file_paths_cannot_escape_their_section(extra_exporter):
    @extra_exporter
    def export_sneaky(user):
        return ExportSection(
            "sneaky", None, [ExportFile("../../etc/passwd", lambda: io.BytesIO(b"x"))]
        )

    names = export_of(GuardianConsentFactory().child).namelist()

    assert "files/sneaky/etc/passwd" in names
    assert not [n for n in names if ".." in n or n.startswith("/")]


def test_two_sections_with_one_name_are_an_error(extra_exporter):
    extra_exporter(lambda user: ExportSection("profile", {}))

    with pytest.raises(ValueError, match="duplicate"):
        export_of(GuardianConsentFactory().child)


def test_registering_twice_adds_once(extra_exporter):
    def exporter(user):
        return None

    extra_exporter(exporter)
    register_exporter(exporter)

    assert exports.exporters().count(exporter) == 1
