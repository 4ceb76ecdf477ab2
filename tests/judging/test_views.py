"""The blind judge workspace: judges see their own assignments and nothing about authors."""

import pytest
from django.urls import reverse

from competitions.core.models import Unit
from competitions.judging.models import Score
from competitions.submissions.models import EntryFile
from tests.factories.contests import EntryFactory
from tests.factories.judging import AssignmentFactory, JudgingRoundFactory
from tests.factories.users import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

AUTHOR_DETAILS = ["张小明", "zhangxiaoming", "+8613912345678", "西湖小学", "李老师", "王小红"]


@pytest.fixture
def assignment():
    author = UserFactory(username="zhangxiaoming", phone="+8613912345678", email="zxm@example.org")
    ProfileFactory(user=author, real_name="张小明", school="西湖小学")
    school = Unit.objects.create(kind="school", name="西湖小学")
    round = JudgingRoundFactory()
    entry = EntryFactory(
        contest=round.contest,
        author=author,
        school=school,
        grade="四年级",
        teacher="李老师",
        co_authors="王小红",
        title="小蚂蚁的大世界",
        description="观察蚂蚁搬家的一周",
        text="蚂蚁们排成一条长长的队伍。",
    )
    EntryFile.objects.create(
        entry=entry,
        kind="document",
        file="entries/a.pdf",
        original_name="张小明-西湖小学-读后感.pdf",
        content_type="application/pdf",
        size_bytes=100,
        extracted_text="文档里的正文。",
        state=EntryFile.State.ACCEPTED,
    )
    return AssignmentFactory(round=round, entry=entry)


def test_the_queue_and_the_entry_show_the_work_but_nothing_about_the_author(client, assignment):
    client.force_login(assignment.judge)

    queue = client.get(reverse("judging:queue")).content.decode()
    page = client.get(reverse("judging:entry", args=[assignment.pk])).content.decode()

    assert assignment.entry.display_number in queue
    assert "已评 0 / 1" in queue
    for expected in [
        "小蚂蚁的大世界",
        "观察蚂蚁搬家的一周",
        "蚂蚁们排成一条长长的队伍",
        "文档里的正文",
    ]:
        assert expected in page
    assert assignment.entry.display_number in page
    for html in (queue, page):
        for detail in [*AUTHOR_DETAILS, "zxm@example.org", "四年级", "读后感.pdf"]:
            assert detail not in html, detail


def test_judges_cannot_open_entries_they_were_not_given(client, assignment):
    other_judge = UserFactory()
    client.force_login(other_judge)

    response = client.get(reverse("judging:entry", args=[assignment.pk]))

    assert response.status_code == 404
    assert assignment.entry.title not in response.content.decode()
    assert (
        assignment.entry.display_number not in client.get(reverse("judging:queue")).content.decode()
    )


def test_anonymous_visitors_are_sent_to_sign_in(client, assignment):
    response = client.get(reverse("judging:entry", args=[assignment.pk]))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_judge_saves_a_draft_resumes_it_and_submits(client, assignment):
    content, expression = assignment.round.rubric.criteria.order_by("sort_order")
    client.force_login(assignment.judge)
    url = reverse("judging:entry", args=[assignment.pk])

    response = client.post(url, {f"c{content.pk}": "7", "comment": "结构清楚", "draft": ""})
    assert response.status_code == 302
    resumed = client.get(url).content.decode()
    assert 'value="7' in resumed and "结构清楚" in resumed

    response = client.post(
        url, {f"c{content.pk}": "8", f"c{expression.pk}": "4", "comment": "好", "submit": ""}
    )
    assert response.status_code == 302
    score = Score.objects.get(assignment=assignment)
    assert score.status == Score.Status.SUBMITTED and str(score.total) == "80.00"
    locked = client.get(url).content.decode()
    assert '<form method="post"' not in locked
    assert (
        client.post(
            url, {f"c{content.pk}": "1", f"c{expression.pk}": "1", "submit": ""}
        ).status_code
        == 200
    )
    score.refresh_from_db()
    assert str(score.total) == "80.00"


def test_bad_points_get_a_message_and_change_nothing(client, assignment):
    content, expression = assignment.round.rubric.criteria.order_by("sort_order")
    client.force_login(assignment.judge)

    response = client.post(
        reverse("judging:entry", args=[assignment.pk]),
        {f"c{content.pk}": "12", f"c{expression.pk}": "很好", "submit": ""},
    )

    assert response.status_code == 400
    assert not Score.objects.exists()
    response = client.post(
        reverse("judging:entry", args=[assignment.pk]), {f"c{content.pk}": "8", "submit": ""}
    )
    assert response.status_code == 400
    assert "表达" in response.content.decode()
    assert not Score.objects.filter(status="submitted").exists()


def test_a_withdrawn_entry_leaves_the_judges_queue(client, assignment):
    assignment.entry.status = "withdrawn"
    assignment.entry.save()
    client.force_login(assignment.judge)

    assert client.get(reverse("judging:entry", args=[assignment.pk])).status_code == 404
    assert "还没有分配给您的作品" in client.get(reverse("judging:queue")).content.decode()
