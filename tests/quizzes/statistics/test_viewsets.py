import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from competitions.quizzes.models import QuizAttempt, QuizExport, QuizFixedQuestion
from competitions.quizzes.statistics.viewsets import quiz_listing_buttons, statistics_header_button
from tests.factories.quizzes import QuestionFactory, QuizFactory, UnitFactory
from tests.factories.users import UserFactory
from tests.quizzes.paper_helpers import take
from tests.quizzes.stats_data import attempt_at, beijing, staff_with

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def quiz():
    return QuizFactory(title="防疫知识竞答", pass_mark=60)


@pytest.fixture
def handwash(quiz):
    """The quiz's paper: four questions of its bank and this one, the same for everyone."""
    question = QuestionFactory(bank=quiz.bank, stem="七步洗手法的第一步是什么？")
    for other in quiz.bank.questions.exclude(pk=question.pk)[:4]:
        QuizFixedQuestion.objects.create(quiz=quiz, question=other)
    QuizFixedQuestion.objects.create(quiz=quiz, question=question)
    quiz.refresh_from_db()
    return question


@pytest.fixture
def attempts(quiz, handwash):
    """Two attempts taken through the services at 09:00 and 23:30 (Beijing) on 2026-03-10:
    all right (5/5), and only one right, 七步洗手法 wrong (1/5)."""
    school = UnitFactory(name="西湖小学")

    def right(question_id, order):
        return [pk for pk in order if pk in correct]

    correct = set(
        quiz.bank.questions.filter(choices__is_correct=True).values_list("choices", flat=True)
    )
    strong = take(quiz, "a:strong", right)
    known = next(pk for pk, _order in strong.paper if pk != handwash.pk)
    weak = take(
        quiz,
        "a:weak",
        lambda question_id, order: (
            right(question_id, order)
            if question_id == known
            else [pk for pk in order if pk not in correct][:1]
        ),
    )
    for attempt, started in (
        (strong, beijing(2026, 3, 10, 9)),
        (weak, beijing(2026, 3, 10, 23, 30)),
    ):
        QuizAttempt.objects.filter(pk=attempt.pk).update(
            started_at=started, day=started.date(), unit=school
        )
    return [strong, weak]


def stats_url(quiz):
    return f"/admin/quiz-statistics/{quiz.pk}/"


def test_the_statistics_page_shows_the_numbers_and_the_time_of_the_data(
    client, organiser, quiz, attempts, handwash
):
    client.force_login(organiser)

    response = client.get(stats_url(quiz), {"day": "2026-03-10"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "竞答统计" in html and "防疫知识竞答" in html
    assert response.context["summary"].attempts == 2
    assert 'data-summary="pass-rate">50%' in html
    assert "七步洗手法的第一步是什么？" in html
    row = html.split(f'<tr data-question="{handwash.pk}">')[1].split("</tr>")[0]
    assert "<td data-facility>50%</td>" in row  # one right, one wrong
    assert "题目分析" in html and "区分度" in html and "点二列相关" in html
    assert "西湖小学" in html
    hours = {row["hour"]: row["attempts"] for row in response.context["hours"]}
    assert (hours[9], hours[23], hours[10]) == (1, 1, 0)
    assert "数据截至" in html and "北京时间" in html
    # Bars are <meter> elements beside their numbers, without inline styles.
    assert '<meter class="quiz-stats__bar" min="0" max="1" value="1" aria-hidden="true">' in html
    assert "style=" not in html.split('class="quiz-stats"')[1]


def test_the_statistics_are_cached_for_a_minute(client, organiser, quiz, attempts):
    client.force_login(organiser)
    first = client.get(stats_url(quiz))
    attempt_at(quiz, beijing(2026, 3, 10, 10), score=3)

    second = client.get(stats_url(quiz))

    assert second.context["summary"].attempts == 2
    assert second.context["computed_at"] == first.context["computed_at"]
    cache.clear()  # as if the minute had passed
    assert client.get(stats_url(quiz)).context["summary"].attempts == 3


def test_a_bad_day_gets_a_message_not_an_error(client, organiser, quiz, attempts):
    client.force_login(organiser)

    response = client.get(stats_url(quiz), {"day": "昨天"})

    assert response.status_code == 200
    assert "不是有效日期" in response.content.decode()
    # The last day with attempts is shown instead.
    assert response.context["day"].isoformat() == "2026-03-10"


def test_staff_who_may_not_edit_quizzes_are_refused(client, quiz):
    client.force_login(staff_with())

    response = client.get(stats_url(quiz))

    assert response.status_code == 403
    assert "只有可以编辑竞答的人才能查看统计" in response.content.decode()
    assert client.get("/admin/quiz-statistics/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, quiz):
    response = client.get(stats_url(quiz))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_unknown_quiz_is_not_found(client, organiser):
    client.force_login(organiser)

    assert client.get("/admin/quiz-statistics/999999/").status_code == 404


def test_the_statistics_are_reachable_from_the_reports_menu_and_the_quiz_list(
    client, organiser, quiz
):
    client.force_login(organiser)

    dashboard = client.get("/admin/").content.decode()
    index = client.get("/admin/quiz-statistics/")

    assert "/admin/quiz-statistics/" in dashboard
    assert index.status_code == 200
    assert f'href="{stats_url(quiz)}"' in index.content.decode()


def test_quiz_listing_and_header_buttons_link_to_the_statistics(organiser, quiz):
    [button] = quiz_listing_buttons(quiz, organiser)
    assert button.url == stats_url(quiz)
    assert button.label == "统计"
    assert statistics_header_button(quiz, organiser).url == stats_url(quiz)

    outsider = UserFactory()
    assert list(quiz_listing_buttons(quiz, outsider)) == []
    assert statistics_header_button(quiz, outsider) is None
    assert list(quiz_listing_buttons(UnitFactory(), organiser)) == []


def test_an_organiser_asks_for_an_export_and_sees_it_ready(
    client, organiser, quiz, attempts, django_capture_on_commit_callbacks
):
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{stats_url(quiz)}exports/", {"kind": "attempts"})

    assert response.status_code == 302
    export = QuizExport.objects.get()
    assert (export.kind, export.personal_data, export.requested_by) == (
        "attempts",
        False,
        organiser,
    )
    assert export.status == QuizExport.Status.READY
    page = client.get(stats_url(quiz)).content.decode()
    assert f"/admin/quiz-statistics/exports/{export.pk}/download/" in page
    assert "可下载" in page


def test_an_export_without_a_valid_choice_records_nothing(client, organiser, quiz):
    client.force_login(organiser)

    response = client.post(f"{stats_url(quiz)}exports/", {"kind": "everything"}, follow=True)

    assert response.status_code == 200
    assert not QuizExport.objects.exists()
    assert "选择" in response.content.decode()


def test_asking_for_personal_data_without_the_permission_gets_a_masked_export(
    client, organiser, quiz
):
    client.force_login(organiser)

    client.post(f"{stats_url(quiz)}exports/", {"kind": "participants", "personal_data": "on"})

    assert QuizExport.objects.get().personal_data is False
    page = client.get(stats_url(quiz)).content.decode()
    assert 'name="personal_data"' not in page


def test_the_personal_data_choice_is_offered_to_those_allowed(client, privacy_officer, quiz):
    client.force_login(privacy_officer)

    page = client.get(stats_url(quiz)).content.decode()
    client.post(f"{stats_url(quiz)}exports/", {"kind": "participants", "personal_data": "on"})

    assert 'name="personal_data"' in page
    assert QuizExport.objects.get().personal_data is True


def test_organisers_see_only_their_own_exports(client, organiser, quiz):
    mine = QuizExport.objects.create(quiz=quiz, kind="attempts", requested_by=organiser)
    theirs = QuizExport.objects.create(
        quiz=quiz, kind="attempts", requested_by=staff_with("quizzes.change_quiz")
    )
    client.force_login(organiser)

    exports = client.get(stats_url(quiz)).context["exports"]

    assert [export.pk for export in exports] == [mine.pk]
    assert theirs.pk not in [export.pk for export in exports]


def test_the_item_analysis_downloads_as_a_spreadsheet_with_numbers(
    client, organiser, quiz, attempts, handwash
):
    client.force_login(organiser)

    response = client.get(f"{stats_url(quiz)}item-analysis.xlsx")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["题目分析"]
    header = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)
    }
    row = rows[handwash.pk]
    assert row["题目"] == "七步洗手法的第一步是什么？"
    assert (row["抽中次数"], row["答对"], row["正确率"]) == (2, 1, 0.5)
    assert row["区分度"] == 1  # the upper group got it right, the lower one wrong
    assert sheet.cell(2, header.index("正确率") + 1).number_format == "0.0%"
    assert "说明" in workbook.sheetnames


def test_outsiders_cannot_download_the_item_analysis(client, quiz):
    client.force_login(staff_with())

    assert client.get(f"{stats_url(quiz)}item-analysis.xlsx").status_code == 403
