"""The organisers' desk (competitions/bookdrift/organiser/): dashboard, registration,
labels, moderation and donations, each behind its permission."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from competitions.bookdrift import catalogue, labels
from competitions.bookdrift.models import BookCopy, BookReview, DriftAward, LabelSheet
from tests.bookdrift.helpers import catch
from tests.factories.bookdrift import BookFactory, CampaignFactory, CopyFactory
from tests.factories.contests import EntryFactory
from tests.factories.users import PupilFactory, UserFactory
from tests.storage import fetch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/bookdrift/",
        "/admin/bookdrift/register/",
        "/admin/bookdrift/notes/",
        "/admin/bookdrift/donations/",
    ],
)
def test_staff_without_drift_permissions_get_an_explained_403(client, path):
    client.force_login(UserFactory(is_staff=True))
    client.force_login(_with_admin_access(UserFactory(is_staff=True)))

    response = client.get(path)

    assert response.status_code == 403 and "图书漂流" in response.content.decode()


def _with_admin_access(user):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_the_dashboard_shows_the_campaigns_figures_and_rankings(client, organiser):
    campaign = CampaignFactory()
    copy = CopyFactory(campaign=campaign, book__title="会说话的石头")
    catch(
        copy, UserFactory(display_name="周一航"), now=timezone.now() - datetime.timedelta(days=25)
    )
    client.force_login(organiser)

    html = client.get(f"/admin/bookdrift/{campaign.pk}/").content.decode()

    assert "图书都在哪儿" in html and "会说话的石头" in html
    assert "1 本书超过阅读期仍在读者手上" in html
    assert "最佳漂书" in html and "最佳漂友" in html


def test_organisers_remind_overdue_readers_from_the_dashboard(client, organiser):
    campaign = CampaignFactory()
    catch(
        CopyFactory(campaign=campaign),
        UserFactory(),
        now=timezone.now() - datetime.timedelta(days=25),
    )
    client.force_login(organiser)

    response = client.post(f"/admin/bookdrift/{campaign.pk}/remind/", follow=True)

    assert "已提醒 1 位读者" in response.content.decode()
    assert "#" in response.content.decode()  # the reminder is listed, the reader masked


def test_organisers_confirm_and_publish_an_award(client, organiser):
    campaign = CampaignFactory()
    catch(CopyFactory(campaign=campaign), UserFactory())
    client.force_login(organiser)

    client.post(f"/admin/bookdrift/{campaign.pk}/awards/best_copy/", {"action": "confirm"})
    client.post(f"/admin/bookdrift/{campaign.pk}/awards/best_copy/", {"action": "publish"})

    assert DriftAward.objects.get(kind="best_copy").published_at is not None
    assert "最佳漂书" in client.get(f"/drift/{campaign.slug}/awards/").content.decode()


def test_the_export_downloads_as_a_workbook(client, organiser):
    campaign = CampaignFactory()
    CopyFactory(campaign=campaign)
    client.force_login(organiser)

    response = client.get(f"/admin/bookdrift/{campaign.pk}/export.xlsx")

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "漂流书" in workbook.sheetnames


def test_registering_copies_on_the_desk_creates_them_and_leads_to_the_labels(client, organiser):
    campaign = CampaignFactory()
    first, second = BookFactory(), BookFactory()
    client.force_login(organiser)

    response = client.post(
        "/admin/bookdrift/register/",
        {"campaign": campaign.pk, f"book_{first.pk}": 200, f"book_{second.pk}": 3},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/bookdrift/{campaign.pk}/labels/"
    assert BookCopy.objects.filter(campaign=campaign).count() == 203


def test_registering_an_impossible_number_is_refused_with_a_message(client, organiser):
    campaign = CampaignFactory()
    book = BookFactory()
    client.force_login(organiser)

    response = client.post(
        "/admin/bookdrift/register/", {"campaign": campaign.pk, f"book_{book.pk}": 5000}
    )

    assert response.status_code == 200 and "0 到 1000" in response.content.decode()
    assert not BookCopy.objects.exists()


def test_a_label_sheet_is_requested_drawn_and_downloaded(
    file_storage, client, organiser, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory()
    CopyFactory.create_batch(3, campaign=campaign)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/bookdrift/{campaign.pk}/labels/",
            {"layout": labels.default_layout().pk, "skip": 0},
        )
    sheet = LabelSheet.objects.get()
    download = fetch(client, f"/admin/bookdrift/labels/{sheet.pk}.pdf")

    assert response.status_code == 302 and sheet.status == "ready"
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="labels-{sheet.pk}.pdf"'
    assert download.content.startswith(b"%PDF")


def test_a_skip_beyond_the_sheet_is_refused(client, organiser):
    campaign = CampaignFactory()
    CopyFactory(campaign=campaign)
    client.force_login(organiser)

    response = client.post(
        f"/admin/bookdrift/{campaign.pk}/labels/",
        {"layout": labels.default_layout().pk, "skip": 24},
    )

    assert response.status_code == 200 and "每张只有 24 个标签" in response.content.decode()
    assert not LabelSheet.objects.exists()


def test_one_labels_png_downloads_from_the_copys_desk_page(client, organiser):
    copy = CopyFactory()
    client.force_login(organiser)

    page = client.get(f"/admin/bookdrift/copies/{copy.pk}/")
    png = client.get(f"/admin/bookdrift/copies/{copy.pk}/label.png")

    assert copy.display_code in page.content.decode()
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_organisers_report_a_copy_lost(client, organiser):
    copy = CopyFactory()
    client.force_login(organiser)

    client.post(f"/admin/bookdrift/copies/{copy.pk}/action/", {"action": "lost"})

    copy.refresh_from_db()
    assert copy.state == BookCopy.State.LOST
    assert copy.steps.get().recorded_by == organiser


def test_organisers_approve_pupils_notes_in_the_queue(client, organiser):
    copy = CopyFactory()
    step = catch(copy, PupilFactory(), note="下一位读者要爱护它").step
    client.force_login(organiser)

    queue = client.get("/admin/bookdrift/notes/").content.decode()
    client.post("/admin/bookdrift/notes/decide/", {"item": [step.pk], "action": "approve"})

    step.refresh_from_db()
    assert "下一位读者要爱护它" in queue and step.text_status == "approved"


def test_organisers_approve_a_donation_at_a_station(client, organiser):
    campaign = CampaignFactory()
    copy = catalogue.donate_copy(campaign, UserFactory(), title="小小气象站")
    client.force_login(organiser)

    client.post(
        f"/admin/bookdrift/donations/{copy.pk}/",
        {"action": "approve", "station": campaign.stations.first().pk},
    )

    copy.refresh_from_db()
    assert copy.approval == "approved" and copy.state == "at_station"


def test_organisers_choose_reviews_for_the_book_pages(client, organiser):
    campaign = CampaignFactory()
    copy = CopyFactory(campaign=campaign)
    review = BookReview.objects.create(
        entry=EntryFactory(title="想去看海"), book=copy.book, campaign=campaign
    )
    client.force_login(organiser)

    listing = client.get(f"/admin/bookdrift/{campaign.pk}/reviews/").content.decode()
    client.post(
        f"/admin/bookdrift/{campaign.pk}/reviews/show/", {"item": [review.pk], "action": "show"}
    )

    review.refresh_from_db()
    assert "想去看海" in listing and review.shown
