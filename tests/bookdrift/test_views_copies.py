import uuid

import pytest
from django.urls import reverse

from accounts.models import GuardianConsent
from competitions.bookdrift import codes, journeys
from competitions.bookdrift.models import BookCopy, JourneyStep
from competitions.bookdrift.views.copies import READER_COOKIE
from tests.bookdrift.helpers import catch, release
from tests.factories.bookdrift import CampaignFactory, CopyFactory, SchoolClassFactory
from tests.factories.users import PupilFactory, UserFactory

pytestmark = pytest.mark.django_db


def copy_with_class():
    school_class = SchoolClassFactory(name="三年级（2）班", school__name="西湖小学")
    copy = CopyFactory()
    copy.campaign.classes.add(school_class)
    copy.campaign.schools.add(school_class.school)
    return copy, school_class


def test_the_copy_page_shows_the_book_where_it_is_and_the_two_actions(client):
    copy = CopyFactory(book__title="戈壁里的发射场")

    response = client.get(f"/d/{copy.code}")

    html = response.content.decode()
    assert response.status_code == 200
    assert "戈壁里的发射场" in html and copy.display_code in html
    assert "等待读者" in html
    assert reverse("bookdrift:catch", args=[copy.code]) in html
    assert reverse("bookdrift:release", args=[copy.code]) in html


def test_a_code_typed_in_lower_case_with_dashes_leads_to_the_copy_page(client):
    copy = CopyFactory()

    response = client.get(f"/d/{copy.display_code.lower()}")

    assert response.status_code == 301 and response["Location"] == f"/d/{copy.code}"


def test_a_pupils_name_school_and_class_never_show_without_the_guardians_consent(client):
    copy, school_class = copy_with_class()
    pupil = PupilFactory(display_name="林小语")
    catch(
        copy,
        pupil,
        place=journeys.Place(class_id=school_class.pk),
        note="很好看",
        show_identity=True,
    )

    pages = [
        client.get(f"/d/{copy.code}"),
        client.get(f"/d/{copy.code}/journey"),
        client.get(f"/drift/book/{copy.book_id}/"),
        client.get(f"/drift/{copy.campaign.slug}/"),
        client.get(f"/drift/station/{copy.campaign.stations.first().pk}/"),
    ]

    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "林小语" not in html and "西湖小学" not in html and "三年级（2）班" not in html
        assert "很好看" not in html  # a pupil's note waits for approval
    assert "一位读者" in pages[0].content.decode()


def test_with_the_guardians_display_consent_a_pupil_who_agreed_is_named(client):
    copy, school_class = copy_with_class()
    pupil = PupilFactory(display_name="林小语")
    GuardianConsent.objects.create(
        child=pupil,
        guardian_phone="+8613700000001",
        decision="agree",
        scope="display",
        policy_version="x",
    )
    catch(copy, pupil, place=journeys.Place(class_id=school_class.pk), show_identity=True)

    html = client.get(f"/d/{copy.code}").content.decode()

    assert "林小语" in html and "西湖小学三年级（2）班" in html


def test_a_withdrawn_display_consent_hides_the_name_at_once_even_from_the_cache(client):
    from accounts.consent import withdraw_display_consent

    copy, school_class = copy_with_class()
    pupil = PupilFactory(display_name="林小语")
    GuardianConsent.objects.create(
        child=pupil,
        guardian_phone="+8613700000001",
        decision="agree",
        scope="display",
        policy_version="x",
    )
    catch(copy, pupil, place=journeys.Place(class_id=school_class.pk), show_identity=True)
    assert "林小语" in client.get(f"/d/{copy.code}").content.decode()

    withdraw_display_consent(pupil)
    from content.cache import invalidate

    invalidate()  # what accounts.consent does after the commit

    assert "林小语" not in client.get(f"/d/{copy.code}").content.decode()


def test_an_adult_who_did_not_tick_show_my_name_stays_a_reader(client):
    copy = CopyFactory()
    catch(copy, UserFactory(display_name="周老师"), note="推荐给大家", show_identity=False)

    html = client.get(f"/d/{copy.code}").content.decode()

    assert "周老师" not in html and "推荐给大家" in html


def test_anonymous_readers_pages_are_cached_until_the_next_step(client):
    copy = CopyFactory()

    first = client.get(f"/d/{copy.code}")
    second = client.get(f"/d/{copy.code}")
    catch(copy, UserFactory())
    from competitions.bookdrift import page_cache

    page_cache.copy_changed(copy.pk, copy.book_id)  # what the step does after its commit
    third = client.get(f"/d/{copy.code}")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert third["X-Page-Cache"] == "miss"
    assert "正在被阅读" in third.content.decode()


def test_signed_in_readers_are_never_served_from_the_cache(client):
    copy = CopyFactory()
    client.force_login(UserFactory())

    client.get(f"/d/{copy.code}")
    response = client.get(f"/d/{copy.code}")

    assert "X-Page-Cache" not in response


def test_a_copy_page_with_500_steps_needs_a_handful_of_queries(
    client, django_assert_max_num_queries
):
    copy = CopyFactory()
    readers = [UserFactory() for _ in range(5)]
    steps = [
        JourneyStep(
            copy=copy,
            sequence=n,
            kind="catch",
            reader=readers[n % 5],
            reader_key=f"u:{readers[n % 5].pk}",
            previous_catcher_key=f"u:{readers[(n - 1) % 5].pk}" if n > 1 else "",
            show_identity=True,
            note="读完啦" if n % 3 == 0 else "",
            text_status="approved" if n % 3 == 0 else "none",
        )
        for n in range(1, 501)
    ]
    JourneyStep.objects.bulk_create(steps)
    BookCopy.objects.filter(pk=copy.pk).update(
        steps_count=500, state="reading", holder_key=steps[-1].reader_key, station=None
    )
    client.force_login(UserFactory())

    with django_assert_max_num_queries(14):
        response = client.get(f"/d/{copy.code}")
    with django_assert_max_num_queries(14):
        journey = client.get(f"/d/{copy.code}/journey?page=10")

    assert response.status_code == journey.status_code == 200
    assert "完整旅程（共 500 站）" in response.content.decode()
    assert journey.content.decode().count("drift-timeline__step ") == 50


def test_an_unknown_code_is_answered_with_a_clear_message(client):
    CopyFactory()

    response = client.get("/d/ABCDEFGH2")

    assert response.status_code == 404
    assert "不是完整的漂流书编号" in response.content.decode() or "没有编号为" in (
        response.content.decode()
    )


def test_a_mistyped_code_suggests_the_copy_it_most_likely_meant(client):
    payload = "K7RM2QXA"
    code = payload + codes._check_character(payload)
    copy = CopyFactory(code=code, book__title="冰芯里的秘密")
    swapped = "7K" + code[2:]  # two neighbours read in the wrong order

    response = client.get(f"/d/{swapped}")

    html = response.content.decode()
    assert response.status_code == 404
    assert copy.display_code in html and "冰芯里的秘密" in html


def test_guessing_codes_is_slowed_down(client, settings):
    settings.KEPU_DRIFT_LOOKUPS_PER_IP_PER_MINUTE = 3

    statuses = [client.get(f"/d/ZZZZZZZZ{n}").status_code for n in range(2, 7)]

    assert statuses[:3] == [404, 404, 404] and statuses[3:] == [429, 429]


def test_a_signed_in_reader_catches_the_book_with_one_form(client):
    copy = CopyFactory()
    user = UserFactory()
    client.force_login(user)

    form = client.get(f"/d/{copy.code}/catch")
    token = form.context["form"]["token"].value()
    response = client.post(f"/d/{copy.code}/catch", {"token": token, "note": ""})
    again = client.post(f"/d/{copy.code}/catch", {"token": token, "note": ""})

    assert response.status_code == again.status_code == 302
    copy.refresh_from_db()
    assert copy.holder == user and copy.steps_count == 1


def test_catching_again_with_a_new_form_says_so_and_writes_nothing(client):
    copy = CopyFactory()
    user = UserFactory()
    client.force_login(user)
    catch(copy, user)

    response = client.post(f"/d/{copy.code}/catch", {"token": str(uuid.uuid4())}, follow=True)

    assert "上一次就是你接漂的" in response.content.decode()
    assert copy.steps.count() == 1


def test_a_hostile_note_is_refused_with_a_message_and_nothing_changes(client):
    copy = CopyFactory()
    client.force_login(UserFactory())

    response = client.post(
        f"/d/{copy.code}/catch", {"token": str(uuid.uuid4()), "note": "你是个笨蛋"}
    )

    assert response.status_code == 400
    assert "不文明的词" in response.content.decode()
    copy.refresh_from_db()
    assert copy.steps_count == 0 and copy.state == BookCopy.State.AT_STATION


def test_an_expired_form_token_is_a_clear_message(client):
    copy = CopyFactory()
    client.force_login(UserFactory())

    response = client.post(f"/d/{copy.code}/catch", {"token": "not-a-token"})

    assert response.status_code == 400 and "表单已过期" in response.content.decode()
    assert not JourneyStep.objects.exists()


def test_without_anonymous_catches_a_visitor_is_asked_to_sign_in(client):
    copy = CopyFactory()

    response = client.get(f"/d/{copy.code}/catch")

    assert "请登录后接漂" in response.content.decode()


def test_an_anonymous_reader_catches_with_a_nickname_and_releases_from_the_same_phone(client):
    copy = CopyFactory(campaign=CampaignFactory(allow_anonymous=True))
    station = copy.campaign.stations.first()

    form = client.get(f"/d/{copy.code}/catch")
    caught = client.post(
        f"/d/{copy.code}/catch",
        {"token": form.context["form"]["token"].value(), "nickname": "书虫", "place": "社区"},
    )
    release_form = client.get(f"/d/{copy.code}/release")
    released = client.post(
        f"/d/{copy.code}/release",
        {
            "token": release_form.context["form"]["token"].value(),
            "destination": f"station:{station.pk}",
        },
    )

    assert caught.status_code == released.status_code == 302
    assert READER_COOKIE in caught.cookies
    copy.refresh_from_db()
    assert copy.state == BookCopy.State.AT_STATION and copy.steps_count == 2


def test_someone_who_does_not_hold_the_copy_is_told_who_may_release_it(client):
    copy = CopyFactory()
    catch(copy, UserFactory())
    client.force_login(UserFactory())

    response = client.post(
        f"/d/{copy.code}/release", {"token": str(uuid.uuid4()), "destination": "hand"}
    )

    assert response.status_code == 400
    assert "只有最近接漂这本书的读者才能放漂" in response.content.decode()
    assert copy.steps.count() == 1


def test_the_holder_is_offered_the_release_and_not_the_catch(client):
    copy = CopyFactory()
    user = UserFactory()
    catch(copy, user)
    client.force_login(user)

    html = client.get(f"/d/{copy.code}").content.decode()

    assert reverse("bookdrift:release", args=[copy.code]) in html
    assert reverse("bookdrift:catch", args=[copy.code]) not in html


def test_the_release_form_offers_the_campaigns_stations_and_hand_to_hand(client):
    copy = CopyFactory()
    user = UserFactory()
    catch(copy, user)
    client.force_login(user)

    html = client.get(f"/d/{copy.code}/release").content.decode()

    assert copy.campaign.stations.first().name in html and "手递手" in html


def test_a_pending_donation_is_visible_to_its_donor_only(client):
    donor = UserFactory()
    copy = CopyFactory(
        approval="pending", source="donated", donor=donor, state="registered", station=None
    )

    anonymous_view = client.get(f"/d/{copy.code}")
    client.force_login(donor)
    donor_view = client.get(f"/d/{copy.code}")

    assert anonymous_view.status_code == 404
    assert donor_view.status_code == 200 and "等待组织者审核" in donor_view.content.decode()


def test_the_public_journey_shows_releases_to_stations(client):
    copy = CopyFactory()
    user = UserFactory()
    catch(copy, user)
    release(copy, user, station=copy.campaign.stations.first())

    html = client.get(f"/d/{copy.code}").content.decode()

    assert f"放漂到“{copy.campaign.stations.first().name}”" in html


def test_an_anonymous_holders_page_is_never_served_to_other_visitors(client):
    copy = CopyFactory(campaign=CampaignFactory(allow_anonymous=True))
    form = client.get(f"/d/{copy.code}/catch")
    client.post(
        f"/d/{copy.code}/catch",
        {"token": form.context["form"]["token"].value(), "nickname": "书虫", "place": "社区"},
    )

    holder_view = client.get(f"/d/{copy.code}")
    from django.test import Client

    stranger_view = Client().get(f"/d/{copy.code}")

    assert reverse("bookdrift:catch", args=[copy.code]) not in holder_view.content.decode()
    assert reverse("bookdrift:catch", args=[copy.code]) in stranger_view.content.decode()
