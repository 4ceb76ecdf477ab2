"""The object-storage configuration read from KEPU_S3_* (kepu/settings/object_storage.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from kepu.settings.object_storage import csp_sources, object_storage

pytestmark = pytest.mark.sqlite

ALIYUN = {
    "KEPU_S3_ENDPOINT_URL": "https://oss-cn-hangzhou.aliyuncs.com",
    "KEPU_S3_MEDIA_BUCKET": "kexie-media",
    "KEPU_S3_PRIVATE_BUCKET": "kexie-private",
}


@pytest.fixture
def environment(monkeypatch):
    for name in (
        "KEPU_S3_ENDPOINT_URL",
        "KEPU_S3_MEDIA_BUCKET",
        "KEPU_S3_PRIVATE_BUCKET",
        "KEPU_S3_STATIC_BUCKET",
        "KEPU_S3_MEDIA_DOMAIN",
        "KEPU_S3_STATIC_DOMAIN",
        "KEPU_S3_ADDRESSING_STYLE",
        "KEPU_S3_PUBLIC_ACL",
    ):
        monkeypatch.delenv(name, raising=False)

    def set_all(values: dict):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_all


def test_without_an_endpoint_files_stay_on_the_local_disk(environment):
    assert object_storage() is None


def test_public_and_private_files_go_to_their_own_buckets(environment):
    environment(ALIYUN)

    configured = object_storage()

    public, private = configured.storages["default"], configured.storages["private"]
    assert public["OPTIONS"]["bucket_name"] == "kexie-media"
    assert public["OPTIONS"]["default_acl"] == "public-read"
    assert public["OPTIONS"]["querystring_auth"] is False
    assert private["OPTIONS"]["bucket_name"] == "kexie-private"
    assert private["OPTIONS"]["default_acl"] == "private"
    assert private["OPTIONS"]["querystring_auth"] is True
    assert private["OPTIONS"].get("custom_domain") is None
    assert "staticfiles" not in configured.storages  # static files stay with the app hosts
    assert configured.media_origins == (
        "https://kexie-media.oss-cn-hangzhou.aliyuncs.com",
        "https://kexie-private.oss-cn-hangzhou.aliyuncs.com",
    )


def test_a_custom_domain_and_a_static_bucket_are_used_for_public_objects(environment):
    environment(
        {
            **ALIYUN,
            "KEPU_S3_MEDIA_DOMAIN": "media.kexie.example.cn",
            "KEPU_S3_STATIC_BUCKET": "kexie-static",
            "KEPU_S3_STATIC_DOMAIN": "static.kexie.example.cn",
            "KEPU_S3_ADDRESSING_STYLE": "path",
        }
    )

    configured = object_storage()

    assert configured.storages["default"]["OPTIONS"]["custom_domain"] == "media.kexie.example.cn"
    assert configured.storages["staticfiles"]["OPTIONS"]["bucket_name"] == "kexie-static"
    assert configured.media_origins == (
        "https://media.kexie.example.cn",
        "https://oss-cn-hangzhou.aliyuncs.com",
    )
    assert configured.static_origins == ("https://static.kexie.example.cn",)


@pytest.mark.parametrize(
    "change",
    [
        {"KEPU_S3_PRIVATE_BUCKET": ""},
        {"KEPU_S3_PRIVATE_BUCKET": "kexie-media"},
        {"KEPU_S3_ENDPOINT_URL": "oss-cn-hangzhou.aliyuncs.com"},
        {"KEPU_S3_ADDRESSING_STYLE": "dns"},
    ],
)
def test_an_incomplete_or_unsafe_configuration_refuses_to_start(environment, change):
    environment({**ALIYUN, **change})

    with pytest.raises(ImproperlyConfigured):
        object_storage()


def test_the_content_security_policy_allows_the_buckets_once_each(environment):
    environment(
        {**ALIYUN, "KEPU_S3_STATIC_BUCKET": "kexie-static", "KEPU_S3_ADDRESSING_STYLE": "path"}
    )

    media, static, images = csp_sources(object_storage())

    assert media == static == images == " https://oss-cn-hangzhou.aliyuncs.com"
    assert csp_sources(None) == ("", "", "")
