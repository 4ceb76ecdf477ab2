"""What a quiz's pages tell people about it, derived from the quiz's real rules.

The number of questions comes from the same material and rule that draw the papers
(papers.paper_size), the time limit, attempts, certificate threshold, prize rule and review
policy from the quiz's settings. Pages show these facts (templates/quizzes/includes/
quiz_facts.html); editorial texts (summary, introduction) should not restate them, so that a
change of the rules can never leave a page saying something else.
"""

from dataclasses import dataclass
from datetime import datetime

from . import papers
from .models import Quiz, QuizAttempt


@dataclass(frozen=True)
class QuizFacts:
    opens_at: datetime
    closes_at: datetime
    questions: int
    time_limit_minutes: int
    time_limit_extra_seconds: int
    attempts_per_day: int  # 0: no daily limit
    attempts_total: int  # 0: no overall limit
    sign_in_required: bool
    pass_mark: int  # percent
    # Fewest right answers that earn a certificate (0 when the paper is empty).
    certificate_right_answers: int
    prize_rule: str
    review_policy: str


def right_answers_needed(questions: int, pass_mark: int) -> int:
    """The fewest right answers out of `questions` whose score reaches `pass_mark`, by the
    same rounding the certificate uses (QuizAttempt.percent)."""
    for score in range(questions + 1):
        if QuizAttempt(score=score, max_score=questions).percent >= pass_mark:
            return score
    return questions


def facts_for(quiz: Quiz) -> QuizFacts:
    """The quiz's facts as every attempt will meet them. No query once the quiz version's
    material is cached in this process (papers.material_for)."""
    questions = papers.paper_size(papers.material_for(quiz), quiz)
    minutes, seconds = divmod(quiz.time_limit_seconds, 60)
    return QuizFacts(
        opens_at=quiz.opens_at,
        closes_at=quiz.closes_at,
        questions=questions,
        time_limit_minutes=minutes,
        time_limit_extra_seconds=seconds,
        attempts_per_day=quiz.attempts_per_day,
        attempts_total=quiz.attempts_total,
        sign_in_required=quiz.sign_in_required,
        pass_mark=quiz.pass_mark,
        certificate_right_answers=right_answers_needed(questions, quiz.pass_mark),
        prize_rule=quiz.prize_rule,
        review_policy=quiz.review_policy,
    )
