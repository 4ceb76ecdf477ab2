import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.factories.users import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def png(width, height, noise=False):
    image = Image.effect_noise((width, height), 64) if noise else Image.new("L", (width, height))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def editor_client(client):
    client.force_login(StaffFactory())
    return client


def test_staff_image_over_the_size_limit_is_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10_000
    upload = png(300, 300, noise=True)
    assert upload.size > 10_000

    response = editor_client.post("/admin/images/add/", {"title": "太大", "file": upload})

    assert response.status_code == 200
    assert not get_image_model().objects.exists()
    assert "文件过大" in response.content.decode()


def test_staff_image_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000

    response = editor_client.post(
        "/admin/images/add/", {"title": "像素太多", "file": png(100, 100)}
    )

    assert response.status_code == 200
    assert not get_image_model().objects.exists()


def test_staff_document_over_the_size_limit_is_refused(editor_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1_000
    upload = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n" + b"0" * 2_000)

    response = editor_client.post("/admin/documents/add/", {"title": "太大", "file": upload})

    assert response.status_code == 200
    assert not get_document_model().objects.exists()


def test_staff_image_within_limits_is_accepted(editor_client):
    response = editor_client.post("/admin/images/add/", {"title": "正常", "file": png(40, 30)})

    assert response.status_code == 302
    assert get_image_model().objects.get().width == 40
