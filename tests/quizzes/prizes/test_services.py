import datetime
import hashlib

import pytest
from django.db import IntegrityError
from django.utils import timezone

from competitions.quizzes.models import Prize, PrizeDraw, Quiz, QuizAttempt, Winner
from competitions.quizzes.prizes import services as prizes
from tests.factories.prizes import closed_quiz, drawn_quiz, eligible_users, finished_attempt
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def number(quiz, user):
    return prizes.participant_number(quiz.pk, user.pk)


# --- eligibility ----------------------------------------------------------------------------


def test_full_marks_rule_admits_only_perfect_scores():
    quiz = closed_quiz(Quiz.PrizeRule.FULL_MARKS)
    perfect, almost = UserFactory(), UserFactory()
    finished_attempt(quiz, perfect, score=5)
    finished_attempt(quiz, almost, score=4)

    assert prizes.eligible_user_ids(quiz) == [perfect.pk]


def test_pass_mark_rule_admits_scores_at_or_above_the_pass_mark():
    quiz = closed_quiz(Quiz.PrizeRule.PASS_MARK, pass_mark=60)
    exactly, above, below = UserFactory(), UserFactory(), UserFactory()
    finished_attempt(quiz, exactly, score=3, max_score=5)  # 60 %
    finished_attempt(quiz, above, score=9, max_score=10)
    finished_attempt(quiz, below, score=59, max_score=100)

    assert prizes.eligible_user_ids(quiz) == sorted([exactly.pk, above.pk])


def test_any_qualifying_attempt_counts_once():
    quiz = closed_quiz(Quiz.PrizeRule.FULL_MARKS)
    user = UserFactory()
    finished_attempt(quiz, user, score=2)
    finished_attempt(quiz, user, score=5)
    finished_attempt(quiz, user, score=5, status=QuizAttempt.Status.EXPIRED)

    assert prizes.eligible_user_ids(quiz) == [user.pk]


def test_flagged_attempts_are_excluded_when_the_organiser_chose_so():
    quiz = closed_quiz(exclude_flagged_from_prizes=True)
    flagged_only, flagged_and_clean = UserFactory(), UserFactory()
    finished_attempt(quiz, flagged_only, flagged_fast=True)
    finished_attempt(quiz, flagged_and_clean, flagged_fast=True)
    finished_attempt(quiz, flagged_and_clean, flagged_fast=False)

    assert prizes.eligible_user_ids(quiz) == [flagged_and_clean.pk]


def test_flagged_attempts_count_when_the_organiser_allows_them():
    quiz = closed_quiz(exclude_flagged_from_prizes=False)
    user = UserFactory()
    finished_attempt(quiz, user, flagged_fast=True)

    assert prizes.eligible_user_ids(quiz) == [user.pk]


def test_anonymous_participants_are_never_eligible():
    quiz = closed_quiz(Quiz.PrizeRule.PASS_MARK, pass_mark=0)
    finished_attempt(quiz, None, score=5)

    assert prizes.eligible_user_ids(quiz) == []


def test_unfinished_attempts_and_other_quizzes_do_not_count():
    quiz = closed_quiz()
    other = closed_quiz()
    user = UserFactory()
    finished_attempt(other, user)
    now = timezone.now()
    QuizAttempt.objects.create(
        quiz=quiz,
        user=user,
        participant_key=f"u:{user.pk}",
        day=timezone.localdate(),
        day_number=1,
        total_number=1,
        started_at=now,
        deadline=now + datetime.timedelta(minutes=10),
        max_score=5,
    )

    assert prizes.eligible_user_ids(quiz) == []


def test_a_quiz_without_a_prize_rule_has_nobody_eligible():
    quiz = closed_quiz(Quiz.PrizeRule.NONE)
    finished_attempt(quiz, UserFactory())

    assert prizes.eligible_user_ids(quiz) == []


def test_participant_numbers_are_stable_opaque_and_per_quiz():
    quiz, other = closed_quiz(), closed_quiz()
    user = UserFactory(username="zhangsan", phone="+8613812345678")

    first = prizes.participant_number(quiz.pk, user.pk)

    assert first == prizes.participant_number(quiz.pk, user.pk)
    assert len(first) == 16 and int(first, 16) >= 0
    assert first != prizes.participant_number(other.pk, user.pk)
    assert "zhangsan" not in first and "13812345678" not in first
    expected = hashlib.sha256(f"kepu-prize-draw/v1:{quiz.pk}:{user.pk}".encode()).hexdigest()
    assert first == expected[:16]


# --- the procedure ----------------------------------------------------------------------------


SEED = bytes(range(32))
NUMBERS = sorted(prizes.participant_number(1, user_id) for user_id in range(1, 21))


def test_the_same_inputs_always_give_the_same_winners():
    first = prizes.draw_winners(SEED, NUMBERS, [("一等奖", 1), ("二等奖", 3)])

    assert first == prizes.draw_winners(SEED, list(NUMBERS), [("一等奖", 1), ("二等奖", 3)])
    assert [prize for prize, _ in first] == ["一等奖", "二等奖", "二等奖", "二等奖"]


def test_another_seed_gives_other_winners():
    spec = [("一等奖", 5)]
    first = prizes.draw_winners(SEED, NUMBERS, spec)
    second = prizes.draw_winners(bytes(32), NUMBERS, spec)

    assert first != second


def test_the_procedure_matches_its_documented_definition():
    remaining = list(NUMBERS)
    expected = []
    for step in range(3):
        digest = hashlib.sha256(SEED + step.to_bytes(8, "big")).digest()
        expected.append(remaining.pop(int.from_bytes(digest, "big") % len(remaining)))

    winners = prizes.draw_winners(SEED, NUMBERS, [("一等奖", 1), ("二等奖", 2)])

    assert [n for _, n in winners] == expected


def test_nobody_wins_twice_even_with_more_prizes_than_people():
    people = NUMBERS[:3]

    winners = prizes.draw_winners(SEED, people, [("一等奖", 2), ("二等奖", 5)])

    assert sorted(n for _, n in winners) == people
    assert [p for p, _ in winners] == ["一等奖", "一等奖", "二等奖"]


def test_an_unsorted_list_is_refused():
    with pytest.raises(ValueError):
        prizes.draw_winners(SEED, list(reversed(NUMBERS)), [("一等奖", 1)])


def test_the_canonical_list_text_is_sorted_with_a_trailing_newline():
    text = prizes.canonical_list_text(["b" * 16, "a" * 16])

    assert text == "a" * 16 + "\n" + "b" * 16 + "\n"
    assert prizes.parse_list_text(text) == ["a" * 16, "b" * 16]
    assert prizes.canonical_list_text([]) == ""
    for bad in ["b" * 16 + "\n" + "a" * 16 + "\n", "a" * 16, "zz\n", "a" * 16 + "\n" * 2]:
        with pytest.raises(ValueError):
            prizes.parse_list_text(bad)


def test_prize_notation_round_trips():
    spec = [("一等奖", 1), ("二等奖", 3)]

    assert prizes.prizes_spec(spec) == "一等奖:1,二等奖:3"
    assert prizes.parse_prizes_spec("一等奖:1,二等奖:3") == spec
    for bad in ["一等奖", "一等奖:0", "一等奖:x", "一等奖:1,一等奖:2", ":3"]:
        with pytest.raises(ValueError):
            prizes.parse_prizes_spec(bad)


# --- commit ----------------------------------------------------------------------------------


def test_commit_publishes_the_hashes_of_a_secret_seed_and_the_eligible_list():
    quiz = closed_quiz(prize_list=[("一等奖", 1), ("二等奖", 3)])
    users = eligible_users(quiz, 3)

    draw = prizes.commit_draw(quiz)

    expected_text = "".join(f"{n}\n" for n in sorted(number(quiz, u) for u in users))
    assert draw.eligible_list == expected_text
    assert draw.eligible_count == 3
    assert draw.eligible_hash == hashlib.sha256(expected_text.encode()).hexdigest()
    assert draw.seed_hash == hashlib.sha256(bytes.fromhex(draw.seed)).hexdigest()
    assert len(bytes.fromhex(draw.seed)) == 32
    assert draw.prizes_spec == "一等奖:1,二等奖:3"
    assert draw.state == PrizeDraw.State.COMMITTED and draw.public_seed is None


def test_each_commitment_gets_a_fresh_seed():
    first, second = closed_quiz(), closed_quiz()

    assert prizes.commit_draw(first).seed != prizes.commit_draw(second).seed


def test_commit_is_refused_before_the_quiz_closes():
    quiz = QuizFactory(prize_rule=Quiz.PrizeRule.FULL_MARKS)
    prizes.set_prizes(quiz, [("一等奖", 1)])

    with pytest.raises(prizes.PrizeDrawError, match="结束后"):
        prizes.commit_draw(quiz)
    assert not PrizeDraw.objects.exists()


@pytest.mark.parametrize(
    ("rule", "prize_list"),
    [(Quiz.PrizeRule.NONE, [("一等奖", 1)]), (Quiz.PrizeRule.FULL_MARKS, [])],
)
def test_commit_needs_a_prize_rule_and_prizes(rule, prize_list):
    quiz = closed_quiz(rule, prize_list=prize_list)

    with pytest.raises(prizes.PrizeDrawError):
        prizes.commit_draw(quiz)


def test_commit_waits_for_attempts_still_in_progress():
    quiz = closed_quiz()
    user = UserFactory()
    now = timezone.now()
    QuizAttempt.objects.create(
        quiz=quiz,
        user=user,
        participant_key=f"u:{user.pk}",
        day=timezone.localdate(),
        day_number=1,
        total_number=1,
        started_at=now - datetime.timedelta(days=1, minutes=5),
        deadline=now - datetime.timedelta(days=1) + datetime.timedelta(minutes=5),
        max_score=5,
    )

    with pytest.raises(prizes.PrizeDrawError, match="1"):
        prizes.commit_draw(quiz)


def test_a_second_commit_is_refused_and_keeps_the_first():
    quiz = closed_quiz()
    first = prizes.commit_draw(quiz)

    with pytest.raises(prizes.PrizeDrawError):
        prizes.commit_draw(quiz)
    assert PrizeDraw.objects.get().seed == first.seed


def test_prizes_are_frozen_by_the_commitment():
    quiz = closed_quiz()
    prizes.commit_draw(quiz)

    with pytest.raises(prizes.PrizeDrawError):
        prizes.set_prizes(quiz, [("一等奖", 10)])
    assert list(quiz.prizes.values_list("name", "count")) == [("一等奖", 1)]


# --- draw ------------------------------------------------------------------------------------


def test_the_draw_stores_the_winners_the_procedure_gives_and_reveals_the_seed():
    quiz = closed_quiz(prize_list=[("一等奖", 1), ("二等奖", 2)])
    users = eligible_users(quiz, 6)
    committed = prizes.commit_draw(quiz)

    draw = prizes.run_draw(quiz)

    expected = prizes.draw_winners(
        bytes.fromhex(committed.seed),
        sorted(number(quiz, u) for u in users),
        [("一等奖", 1), ("二等奖", 2)],
    )
    stored = [(w.prize.name, w.participant_number) for w in draw.winners.order_by("position")]
    assert stored == expected
    assert draw.public_seed == committed.seed and draw.drawn_at is not None
    by_number = {number(quiz, u): u.pk for u in users}
    assert all(w.user_id == by_number[w.participant_number] for w in draw.winners.all())


def test_one_prize_per_person_when_prizes_outnumber_people():
    _quiz, draw, users = drawn_quiz(people=2, prize_list=[("一等奖", 1), ("二等奖", 5)])

    winners = list(draw.winners.all())
    assert sorted(w.user_id for w in winners) == sorted(u.pk for u in users)
    assert len(winners) == 2


def test_the_database_refuses_a_second_prize_for_the_same_person():
    quiz, draw, _users = drawn_quiz(people=1, prize_list=[("一等奖", 1), ("二等奖", 1)])
    winner = draw.winners.get()
    second = Prize.objects.get(quiz=quiz, name="二等奖")

    with pytest.raises(IntegrityError):
        Winner.objects.create(
            draw=draw, prize=second, user=winner.user, participant_number="0" * 16, position=1
        )


def test_drawing_again_changes_nothing():
    quiz, draw, _ = drawn_quiz(people=4)
    before = list(draw.winners.values_list("participant_number", "prize_id"))

    again = prizes.run_draw(quiz)

    assert again.pk == draw.pk
    assert list(again.winners.values_list("participant_number", "prize_id")) == before


def test_the_draw_needs_a_commitment():
    quiz = closed_quiz()
    eligible_users(quiz, 2)

    with pytest.raises(prizes.PrizeDrawError):
        prizes.run_draw(quiz)
    assert not Winner.objects.exists()


def test_the_draw_is_refused_before_the_quiz_closes():
    quiz = closed_quiz()
    eligible_users(quiz, 2)
    prizes.commit_draw(quiz)
    quiz.closes_at = timezone.now() + datetime.timedelta(days=1)
    quiz.save()

    with pytest.raises(prizes.PrizeDrawError, match="结束后"):
        prizes.run_draw(quiz)
    assert PrizeDraw.objects.get().state == PrizeDraw.State.COMMITTED


def test_the_draw_is_refused_when_the_eligible_list_changed_after_the_commitment():
    quiz = closed_quiz()
    eligible_users(quiz, 3)
    prizes.commit_draw(quiz)
    finished_attempt(quiz, UserFactory())  # a late addition

    with pytest.raises(prizes.PrizeDrawError, match="变化"):
        prizes.run_draw(quiz)
    draw = PrizeDraw.objects.get()
    assert draw.state == PrizeDraw.State.COMMITTED and not draw.winners.exists()


def test_the_draw_is_refused_when_a_participant_dropped_out_after_the_commitment():
    quiz = closed_quiz()
    users = eligible_users(quiz, 3)
    prizes.commit_draw(quiz)
    users[0].delete()

    with pytest.raises(prizes.PrizeDrawError):
        prizes.run_draw(quiz)


def test_a_draw_with_nobody_eligible_has_no_winners():
    quiz = closed_quiz()
    prizes.commit_draw(quiz)

    draw = prizes.run_draw(quiz)

    assert draw.is_drawn and not draw.winners.exists() and draw.eligible_list == ""


# --- claims ----------------------------------------------------------------------------------

DETAILS = prizes.ClaimDetails("张三", "+8613812345678", "浙江省杭州市西湖区文三路90号", "")


def test_a_winner_claims_once_and_may_edit_until_locked():
    _quiz, draw, _ = drawn_quiz(people=1)
    winner = draw.winners.get()

    first = prizes.save_claim(winner, winner.user, DETAILS)
    second = prizes.save_claim(
        winner, winner.user, prizes.ClaimDetails("李四", DETAILS.phone, DETAILS.address)
    )

    assert first.pk == second.pk and second.recipient_name == "李四"
    prizes.lock_claims(draw)
    with pytest.raises(prizes.PrizeDrawError):
        prizes.save_claim(winner, winner.user, DETAILS)
    winner.claim.refresh_from_db()
    assert winner.claim.recipient_name == "李四"


def test_only_the_winner_can_claim():
    _quiz, draw, _ = drawn_quiz(people=1)
    winner = draw.winners.get()

    with pytest.raises(prizes.PrizeDrawError):
        prizes.save_claim(winner, UserFactory(), DETAILS)
    assert not Winner.objects.filter(claim__isnull=False).exists()


def test_deleting_the_account_deletes_the_claim_but_keeps_the_published_result():
    _quiz, draw, _ = drawn_quiz(people=1)
    winner = draw.winners.get()
    prizes.save_claim(winner, winner.user, DETAILS)

    winner.user.delete()

    winner.refresh_from_db()
    assert winner.user is None and winner.participant_number
    assert not Winner.objects.filter(claim__isnull=False).exists()


def test_addresses_are_masked_to_their_region():
    assert prizes.mask_address("浙江省杭州市西湖区文三路90号") == "浙江省杭州市****"
    assert prizes.mask_address("北京") == "北****"
    assert prizes.mask_address("") == ""


def test_the_worked_example_in_the_docs_holds():
    numbers = sorted(prizes.participant_number(7, user_id) for user_id in range(11, 16))
    text = prizes.canonical_list_text(numbers)
    seed = bytes(range(32))

    winners = prizes.draw_winners(seed, numbers, [("一等奖", 1), ("二等奖", 2)])

    assert prizes.participant_number(7, 11) == "e57a35507406738f"
    assert len(text.encode()) == 85
    assert hashlib.sha256(text.encode()).hexdigest() == (
        "e52861a36029f4df5754949620cefd362844a48768a5dffabc1414b6da0aeeb6"
    )
    assert hashlib.sha256(seed).hexdigest() == (
        "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
    )
    assert winners == [
        ("一等奖", "8a6565263c3761fc"),
        ("二等奖", "e57a35507406738f"),
        ("二等奖", "9dda17d2cd6813e5"),
    ]


def test_a_winners_data_export_holds_the_win_and_the_claim():
    _quiz, draw, users = drawn_quiz(people=2, prize_list=[("一等奖", 1)])
    winner = draw.winners.get()
    prizes.save_claim(winner, winner.user, DETAILS)
    loser = next(u for u in users if u.pk != winner.user_id)

    section = prizes.export_prize_wins(winner.user)

    (row,) = section.data
    assert row["prize"] == "一等奖" and row["participant_number"] == winner.participant_number
    assert row["claim"]["address"] == DETAILS.address
    assert prizes.export_prize_wins(loser) is None
