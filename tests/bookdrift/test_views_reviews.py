import pytest

from competitions.bookdrift.models import BookReview
from competitions.submissions.models import Entry, EntryKind
from tests.factories.bookdrift import CampaignFactory, CopyFactory, SchoolFactory
from tests.factories.contests import ContestFactory
from tests.factories.users import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def copy():
    contest = ContestFactory(entry_kinds=[EntryKind.TEXT], title="绘本读后感征集")
    return CopyFactory(campaign=CampaignFactory(review_contest=contest), book__title="大桥的骨头")


def test_writing_a_review_from_the_copy_page_ends_on_the_contests_receipt(client, copy):
    client.force_login(UserFactory())
    group = copy.campaign.review_contest.groups.first()

    form = client.get(f"/d/{copy.code}/review")
    response = client.post(
        f"/d/{copy.code}/review",
        {
            "title": "读《大桥的骨头》有感",
            "group": group.pk,
            "text": "工程师把桥墩种进江底，真了不起。",
            "school": SchoolFactory().pk,
            "display_consent": "on",
        },
    )

    assert "读《大桥的骨头》有感" in form.content.decode()  # the title is proposed
    entry = Entry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/contest/entries/{entry.public_id}/receipt/"
    assert BookReview.objects.get().entry == entry


def test_a_missing_group_is_a_form_error_and_nothing_is_stored(client, copy):
    client.force_login(UserFactory())

    response = client.post(f"/d/{copy.code}/review", {"title": "读后感", "text": "很好"})

    assert response.status_code == 400 and "请选择本次征集的一个组别" in response.content.decode()
    assert not Entry.objects.exists()


def test_a_reader_with_an_entry_already_is_sent_to_it(client, copy):
    user = UserFactory()
    client.force_login(user)
    Entry.objects.create(
        contest=copy.campaign.review_contest,
        group=copy.campaign.review_contest.groups.first(),
        author=user,
        kind="text",
        title="我的读后感",
    )

    html = client.get(f"/d/{copy.code}/review").content.decode()

    assert "每位读者只能提交一篇读后感" in html and "我的读后感" in html


def test_a_child_waiting_for_the_guardian_is_sent_to_ask_the_guardian_first(client, copy):
    client.force_login(ChildFactory())

    response = client.get(f"/d/{copy.code}/review")

    assert response.status_code == 302 and response["Location"].startswith("/me/guardian/")
    assert not Entry.objects.exists()


def test_signing_in_is_needed_to_write_a_review(client, copy):
    response = client.get(f"/d/{copy.code}/review")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_drift_without_a_review_contest_has_no_review_page(client):
    copy = CopyFactory()
    client.force_login(UserFactory())

    assert client.get(f"/d/{copy.code}/review").status_code == 404
