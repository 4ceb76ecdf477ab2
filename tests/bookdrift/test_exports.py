import io

import openpyxl
import pytest

from competitions.bookdrift import exports
from tests.bookdrift.helpers import catch
from tests.factories.bookdrift import BookFactory, CampaignFactory, CopyFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def workbook(campaign):
    return openpyxl.load_workbook(io.BytesIO(exports.campaign_workbook(campaign)))


def test_the_export_holds_every_sheet_with_counts_as_numbers_and_codes_as_text():
    campaign = CampaignFactory()
    copy = CopyFactory(campaign=campaign, book=BookFactory(isbn="9787532247653"))
    catch(copy, UserFactory(display_name="周一航"))

    book = workbook(campaign)

    assert book.sheetnames == [
        "概览", "漂流书", "漂流记录", "学校和班级",
        "最佳漂书", "最佳漂友", "最佳投漂者", "阅读提醒",
    ]  # fmt: skip
    overview = {row[0].value: row[1].value for row in book["概览"].iter_rows(min_row=2)}
    assert overview["漂流中的图书"] == 1 and isinstance(overview["接漂次数"], int)
    copies = list(book["漂流书"].iter_rows(min_row=2, values_only=True))
    assert copies[0][0] == copy.display_code
    assert copies[0][3] == "9787532247653" and isinstance(copies[0][3], str)
    assert copies[0][6] == 1 and isinstance(copies[0][6], int)  # readers
    steps = list(book["漂流记录"].iter_rows(min_row=2, values_only=True))
    assert steps[0][5].startswith("周*") and "周一航" not in str(steps[0])


def test_a_text_looking_like_a_formula_stays_text():
    campaign = CampaignFactory()
    CopyFactory(campaign=campaign, book=BookFactory(title="=1+1"))

    cell = workbook(campaign)["漂流书"]["C2"]

    assert cell.value == "=1+1" and cell.data_type == "s"
