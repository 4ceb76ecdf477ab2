import pytest

from accounts.models import GuardianConsent
from competitions.bookdrift import awards, catalogue
from competitions.bookdrift.models import BookCopy, BookReview, DriftAward
from tests.bookdrift.helpers import catch
from tests.factories.bookdrift import CampaignFactory, CopyFactory
from tests.factories.contests import EntryFactory
from tests.factories.users import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_campaign_page_shows_its_books_stations_and_figures(client):
    copy = CopyFactory(book__title="大桥的骨头")
    catch(copy, UserFactory())

    response = client.get(f"/drift/{copy.campaign.slug}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "大桥的骨头" in html and copy.campaign.stations.first().name in html
    assert copy.code not in html and copy.display_code not in html


def test_a_hidden_campaign_is_not_found(client):
    campaign = CampaignFactory(is_public=False)

    assert client.get(f"/drift/{campaign.slug}/").status_code == 404


def test_a_typed_code_opens_its_copy(client):
    copy = CopyFactory()

    response = client.get(f"/drift/{copy.campaign.slug}/find/", {"code": copy.display_code.lower()})

    assert response.status_code == 302 and response["Location"] == f"/d/{copy.code}"


def test_a_code_of_another_campaign_says_which_drift_it_belongs_to(client):
    here = CampaignFactory()
    there = CopyFactory(campaign=CampaignFactory(title="春季漂流"))

    response = client.get(f"/drift/{here.slug}/find/", {"code": there.code})

    html = response.content.decode()
    assert response.status_code == 404
    assert "属于另一个漂流活动" in html and "春季漂流" in html


def test_an_empty_code_is_asked_for_again(client):
    campaign = CampaignFactory()

    response = client.get(f"/drift/{campaign.slug}/find/", {"code": ""})

    assert response.status_code == 400 and "请输入二维码下方" in response.content.decode()


def test_the_book_page_shows_only_reviews_chosen_and_publicly_displayable(client):
    copy = CopyFactory()
    shown = EntryFactory(title="读完想去看海")
    hidden_by_organiser = EntryFactory(title="还没选上")
    child_without_consent = EntryFactory(title="小朋友的读后感", author=PupilFactory())
    for entry, chosen in (
        (shown, True),
        (hidden_by_organiser, False),
        (child_without_consent, True),
    ):
        BookReview.objects.create(entry=entry, book=copy.book, shown=chosen)

    html = client.get(f"/drift/book/{copy.book_id}/").content.decode()

    assert "读完想去看海" in html
    assert "还没选上" not in html and "小朋友的读后感" not in html


def test_a_child_review_appears_with_the_guardians_display_consent(client):
    copy = CopyFactory()
    pupil = PupilFactory()
    GuardianConsent.objects.create(
        child=pupil,
        guardian_phone="+8613700000001",
        decision="agree",
        scope="display",
        policy_version="x",
    )
    review = BookReview.objects.create(
        entry=EntryFactory(title="小朋友的读后感", author=pupil), book=copy.book, shown=True
    )

    assert "小朋友的读后感" in client.get(f"/drift/book/{copy.book_id}/").content.decode()
    assert client.get(f"/drift/review/{review.pk}/").status_code == 200


def test_a_book_without_copies_in_a_public_drift_is_not_found(client):
    copy = CopyFactory(campaign=CampaignFactory(is_public=False))

    assert client.get(f"/drift/book/{copy.book_id}/").status_code == 404


def test_the_station_page_lists_waiting_titles_but_never_codes(client):
    copy = CopyFactory(book__title="会说话的石头")

    html = client.get(f"/drift/station/{copy.station_id}/").content.decode()

    assert "会说话的石头" in html and copy.code not in html


def test_the_awards_page_names_adults_masked_and_hides_children(client):
    campaign = CampaignFactory(award_places=2)
    adult, pupil = UserFactory(display_name="周一航"), PupilFactory(display_name="林小语")
    for number in range(3):
        copy = CopyFactory(campaign=campaign)
        catch(copy, adult)
        if number < 2:
            catch(copy, pupil)
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)

    html = client.get(f"/drift/{campaign.slug}/awards/").content.decode()

    assert "周**" in html
    assert "林" not in html.split("最佳漂友")[1]
    assert "一位读者" in html


def test_donating_a_book_with_a_wrong_isbn_shows_the_check_digit_message(client):
    campaign = CampaignFactory()
    client.force_login(UserFactory())

    response = client.post(
        f"/drift/{campaign.slug}/donate/", {"isbn": "978-7-5322-4765-4", "title": "小小气象站"}
    )

    assert response.status_code == 400 and "校验位" in response.content.decode()
    assert not BookCopy.objects.exists()


def test_a_donation_lands_on_the_readers_drift_page(client):
    campaign = CampaignFactory()
    client.force_login(UserFactory())

    response = client.post(
        f"/drift/{campaign.slug}/donate/", {"title": "小小气象站", "note": "读了三遍"}, follow=True
    )

    html = response.content.decode()
    assert "小小气象站" in html and "投漂待审核" in html


def test_a_certificate_verifies_publicly_and_downloads_only_for_its_holder(client):
    campaign = CampaignFactory()
    winner = UserFactory(display_name="周一航")
    catch(CopyFactory(campaign=campaign), winner)
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)
    code = DriftAward.objects.get().certificate.code

    verify = client.get(f"/drift/certificate/{code}/")
    client.force_login(UserFactory())
    stranger = client.get(f"/drift/certificate/{code}.png")
    client.force_login(winner)
    holder = client.get(f"/drift/certificate/{code}.pdf")

    assert verify.status_code == 200 and "周**" in verify.content.decode()
    assert stranger.status_code == 404
    assert holder.status_code == 200 and holder.content.startswith(b"%PDF")


def test_without_a_chinese_font_the_holder_is_asked_to_try_again_later(client, settings):
    settings.KEPU_CJK_FONT = "/nonexistent/font.ttc"
    campaign = CampaignFactory()
    winner = UserFactory()
    catch(CopyFactory(campaign=campaign), winner)
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)
    client.force_login(winner)

    response = client.get(f"/drift/certificate/{DriftAward.objects.get().certificate.code}.png")

    assert response.status_code == 503
    assert "中文字体" in response.content.decode()


def test_a_withdrawn_award_no_longer_verifies(client):
    campaign = CampaignFactory()
    catch(CopyFactory(campaign=campaign), UserFactory())
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)
    code = DriftAward.objects.get().certificate.code

    awards.withdraw(campaign, DriftAward.Kind.BEST_READER)

    assert client.get(f"/drift/certificate/{code}/").status_code == 404


def test_the_index_lists_public_campaigns(client):
    public, hidden = (
        CampaignFactory(title="春季漂流"),
        CampaignFactory(title="筹备中", is_public=False),
    )

    html = client.get("/drift/").content.decode()

    assert public.title in html and hidden.title not in html


def test_a_pending_donation_does_not_make_a_book_public(client):
    copy = catalogue.donate_copy(CampaignFactory(), UserFactory(), title="小小气象站")

    assert client.get(f"/drift/book/{copy.book_id}/").status_code == 404
