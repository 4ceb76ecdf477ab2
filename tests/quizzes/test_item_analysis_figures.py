"""Item analysis from counters equals the textbook figures computed attempt by attempt."""

import random
import statistics as stats

import pytest

from competitions.quizzes import papers
from competitions.quizzes.item_analysis import figures
from competitions.quizzes.models import Choice, Question, QuizFixedQuestion
from competitions.quizzes.statistics import services as quiz_statistics
from tests.factories.quizzes import QuestionBankFactory, QuestionFactory, QuizFactory

from .paper_helpers import take

# --- the pure maths ---------------------------------------------------------------------------


def test_the_27_percent_groups_take_whole_scores_when_the_boundary_falls_between_them():
    upper, lower = figures.group_weights({0: 10, 1: 17, 2: 46, 3: 27})

    assert upper == {3: 1.0}
    assert lower == {0: 1.0, 1: 1.0}


def test_the_27_percent_groups_split_a_shared_boundary_score_in_proportion():
    upper, lower = figures.group_weights({1: 50, 2: 50})

    assert upper == {2: pytest.approx(27 / 50)}
    assert lower == {1: pytest.approx(27 / 50)}


def test_the_point_biserial_from_sums_is_the_item_rest_correlation():
    rng = random.Random(7)
    pairs = []
    for _ in range(300):
        ability = rng.random()
        x = int(rng.random() < ability)
        rest = sum(int(rng.random() < ability) for _ in range(9))
        pairs.append((x, x + rest))
    n = len(pairs)
    sums = (
        sum(x for x, _t in pairs),
        sum(t for _x, t in pairs),
        sum(t * t for _x, t in pairs),
        sum(x * t for x, t in pairs),
    )

    expected = stats.correlation([x for x, _t in pairs], [t - x for x, t in pairs])

    assert figures.point_biserial(n, *sums) == pytest.approx(expected)


def test_the_point_biserial_is_undefined_when_everyone_is_right():
    assert figures.point_biserial(10, 10, 50, 260, 50) is None


def test_cronbach_alpha_from_facilities_and_the_histogram_is_kr20():
    rng = random.Random(3)
    k, rows = 6, []
    for _ in range(400):
        ability = rng.random()
        rows.append([int(rng.random() < ability) for _ in range(k)])
    totals = [sum(row) for row in rows]
    item_variances = sum(stats.pvariance([row[i] for row in rows]) for i in range(k))
    expected = k / (k - 1) * (1 - item_variances / stats.pvariance(totals))
    facilities = [sum(row[i] for row in rows) / len(rows) for i in range(k)]
    histogram = {score: totals.count(score) for score in set(totals)}

    assert figures.cronbach_alpha(facilities, histogram) == pytest.approx(expected)


def test_chi_square_against_an_even_spread():
    assert figures.chi2_even([25, 25, 25, 25]) == 0
    assert figures.chi2_even([70, 10, 10, 10]) == pytest.approx(108)
    assert figures.chi2_even([]) is None


# --- through real attempts ---------------------------------------------------------------------

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    """A fixed paper of three single-choice questions (first choice right) and a true/false."""
    bank = QuestionBankFactory()
    questions = [QuestionFactory(bank=bank, stem=f"题{n}") for n in range(3)]
    questions.append(
        QuestionFactory(
            bank=bank,
            kind=Question.Kind.TRUE_FALSE,
            stem="判断题",
            choices=[("正确", True), ("错误", False)],
        )
    )
    quiz = QuizFactory(bank=bank, attempts_per_day=0)
    for question in questions:
        QuizFixedQuestion.objects.create(quiz=quiz, question=question)
    quiz.refresh_from_db()
    return quiz, questions


def take_many(quiz, questions, count, seed):
    """`count` attempts by participants of varied ability; returns what each chose."""
    rng = random.Random(seed)
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    chosen = []
    for number in range(count):
        ability = rng.random()
        picks = {}

        def choose(question_id, order, picks=picks, ability=ability):
            roll = rng.random()
            if roll < 0.05:
                picked = []  # left unanswered
            elif roll < 0.05 + 0.9 * ability:
                picked = [pk for pk in order if pk in right]
            else:
                picked = [rng.choice([pk for pk in order if pk not in right])]
            picks[question_id] = (picked, order)
            return picked

        attempt = take(quiz, f"a:{seed}-{number}", choose)
        chosen.append((attempt, picks))
    return chosen


def test_the_live_figures_equal_the_figures_computed_attempt_by_attempt(paper):
    quiz, questions = paper
    taken = take_many(quiz, questions, 60, seed=11)
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))

    analysis = figures.analyse(
        quiz, quiz_statistics.score_histogram(quiz), papers.material_for(quiz)
    )

    totals = [attempt.score for attempt, _picks in taken]
    weights_up, weights_down = figures.group_weights(
        {score: totals.count(score) for score in set(totals)}
    )
    material = papers.material_for(quiz)
    assert analysis.attempts == 60
    for question in questions:
        item = next(item for item in analysis.items if item.question_id == question.pk)
        xs = [
            int(set(picks[question.pk][0]) == right & set(picks[question.pk][1]))
            for _a, picks in taken
        ]
        assert item.drawn == 60 and item.correct == sum(xs)
        assert item.facility == pytest.approx(sum(xs) / 60)
        rests = [total - x for total, x in zip(totals, xs, strict=True)]
        if len(set(xs)) > 1:
            assert item.point_biserial == pytest.approx(stats.correlation(xs, rests))

        # Upper/lower 27 %, attempt by attempt (a boundary score's attempts count in part).
        def rate(weights, xs=xs):
            weighted = [(weights.get(total, 0), x) for total, x in zip(totals, xs, strict=True)]
            return sum(w * x for w, x in weighted) / sum(w for w, _x in weighted)

        assert item.discrimination == pytest.approx(rate(weights_up) - rate(weights_down))
        blank = sum(1 for _a, picks in taken if not picks[question.pk][0])
        assert item.unanswered == pytest.approx(blank / 60)
        choices = material.questions[question.pk].choices
        for (choice_id, _text), option in zip(choices, item.options, strict=True):
            picked = sum(1 for _a, picks in taken if picks[question.pk][0] == [choice_id])
            assert option.share == pytest.approx(picked / 60)
            assert option.correct == (choice_id in right)
    matrix = [
        [int(set(picks[q.pk][0]) == right & set(picks[q.pk][1])) for q in questions]
        for _a, picks in taken
    ]
    k = len(questions)
    expected_alpha = (
        k
        / (k - 1)
        * (
            1
            - sum(stats.pvariance([row[i] for row in matrix]) for i in range(k))
            / stats.pvariance(totals)
        )
    )
    assert analysis.alpha == pytest.approx(expected_alpha)
    assert analysis.alpha_items == 4


def test_alpha_is_not_given_for_random_papers():
    quiz = QuizFactory()
    take(quiz, "a:1", lambda question_id, order: order[:1])

    analysis = figures.analyse(
        quiz, quiz_statistics.score_histogram(quiz), papers.material_for(quiz)
    )

    assert analysis.alpha is None and analysis.alpha_missing == "random"


def test_the_health_list_names_easy_questions_suspect_keys_and_idle_distractors(paper):
    quiz, questions = paper
    easy, suspect, fine, _true_false = questions
    right = set(Choice.objects.filter(is_correct=True).values_list("pk", flat=True))
    popular_wrong = {}

    def choose(question_id, order):
        if question_id == easy.pk:
            return [pk for pk in order if pk in right]  # everyone right
        if question_id == suspect.pk:
            wrong = popular_wrong.setdefault(
                question_id, next(pk for pk in order if pk not in right)
            )
            return [wrong]  # one wrong option beats the key
        return order[:1]

    for number in range(50):
        take(quiz, f"a:h{number}", choose)

    analysis = figures.analyse(
        quiz, quiz_statistics.score_histogram(quiz), papers.material_for(quiz)
    )

    flags = {item.question_id: item.flags for item in analysis.items}
    assert "too_easy" in flags[easy.pk]
    assert "position_bias" in flags[fine.pk]  # always the first option shown
    assert "key_suspect" in flags[suspect.pk] and "too_hard" in flags[suspect.pk]
    texts = next(item for item in analysis.items if item.question_id == suspect.pk).flag_texts
    assert any("核对答案" in text for text in texts)
    assert {item.question_id for item in analysis.health} >= {easy.pk, suspect.pk}
