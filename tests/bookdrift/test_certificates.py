import io

import pytest
import zxingcpp
from PIL import Image

from competitions.bookdrift import awards, certificates
from competitions.bookdrift.models import DriftAward
from tests.bookdrift.helpers import catch
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(settings):
    settings.KEPU_BASE_URL = "https://kepu.example.org"
    campaign = CampaignFactory(title="科学家故事绘本漂流季")
    catch(CopyFactory(campaign=campaign), UserFactory(display_name="周一航"))
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)
    return DriftAward.objects.get().certificate


def test_the_certificate_png_is_a4_landscape_and_its_qr_verifies_at_the_public_address(
    certificate,
):
    image = Image.open(io.BytesIO(certificates.certificate_file(certificate, "png", "示范市科协")))

    assert image.width > image.height
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert found == [f"https://kepu.example.org/drift/certificate/{certificate.code}/"]


def test_the_certificate_prints_a_masked_name(certificate):
    assert certificate.holder_name == "周**"
    assert "最佳漂友" in certificate.award_name


def test_a_code_is_found_however_it_is_typed(certificate):
    typed = "-".join(certificate.code[i : i + 4] for i in (0, 4, 8)).lower()

    assert certificates.find(typed) == certificate
    assert certificates.lookup("NOPE") is None
