import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from competitions.quizzes.prizes import services as prizes
from tests.factories.prizes import closed_quiz, drawn_quiz, eligible_users

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("verify_prize_draw", *args, stdout=out)
    return out.getvalue()


def published(quiz, draw, tmp_path):
    """What the public page offers: the list file and the command's arguments."""
    path = tmp_path / "eligible.txt"
    path.write_bytes(draw.eligible_list.encode("utf-8"))
    return [
        "--seed",
        draw.public_seed,
        "--eligible",
        str(path),
        "--prizes",
        draw.prizes_spec,
        "--seed-hash",
        draw.seed_hash,
        "--eligible-hash",
        draw.eligible_hash,
    ]


def winner_lines(output: str) -> list[tuple[str, str]]:
    rows = []
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0].isdigit():
            rows.append((parts[2], parts[1]))
    return rows


def test_recomputing_from_the_published_values_gives_the_stored_winners(tmp_path):
    quiz, draw, _ = drawn_quiz(people=12, prize_list=[("一等奖", 1), ("二等奖", 3)])

    output = run(*published(quiz, draw, tmp_path))

    stored = [(w.prize.name, w.participant_number) for w in draw.winners.order_by("position")]
    assert winner_lines(output) == stored
    assert "verified" in output


def test_the_quiz_form_reads_the_database_and_compares_with_the_stored_winners():
    quiz, _draw, _ = drawn_quiz(people=5)

    output = run("--quiz", str(quiz.pk))

    assert "the stored winners match" in output and "verified" in output
    assert len(winner_lines(output)) == 3


def test_a_tampered_stored_result_is_detected():
    quiz, draw, _ = drawn_quiz(people=5, prize_list=[("一等奖", 1), ("二等奖", 1)])
    first, second = draw.winners.order_by("position")
    first.prize, second.prize = second.prize, first.prize
    first.save()
    second.save()

    with pytest.raises(CommandError, match="stored winners differ"):
        run("--quiz", str(quiz.pk))


def test_an_edited_list_fails_the_hash_check(tmp_path):
    quiz, draw, _ = drawn_quiz(people=4)
    args = published(quiz, draw, tmp_path)
    numbers = draw.eligible_list.splitlines()[1:]
    (tmp_path / "eligible.txt").write_text("".join(f"{n}\n" for n in numbers))

    with pytest.raises(CommandError, match="eligible list hash mismatch"):
        run(*args)


def test_a_wrong_seed_fails_the_hash_check(tmp_path):
    quiz, draw, _ = drawn_quiz(people=4)
    args = published(quiz, draw, tmp_path)
    args[1] = "00" * 32

    with pytest.raises(CommandError, match="seed hash mismatch"):
        run(*args)


def test_the_command_needs_no_database_rows_for_published_values(tmp_path):
    seed = bytes(range(32))
    numbers = sorted(prizes.participant_number(99, n) for n in range(1, 8))
    path = tmp_path / "list.txt"
    path.write_text(prizes.canonical_list_text(numbers))

    output = run(
        "--seed",
        seed.hex(),
        "--eligible",
        str(path),
        "--prizes",
        "一等奖:1,二等奖:2",
        "--seed-hash",
        hashlib.sha256(seed).hexdigest(),
    )

    expected = prizes.draw_winners(seed, numbers, [("一等奖", 1), ("二等奖", 2)])
    assert winner_lines(output) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "xyz"], "bad seed"),
        (["--prizes", "一等奖"], "bad --prizes"),
    ],
)
def test_bad_arguments_are_explained(tmp_path, args, message):
    path = tmp_path / "list.txt"
    path.write_text("")
    base = {"--seed": "00" * 32, "--eligible": str(path), "--prizes": "一等奖:1"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))

    with pytest.raises(CommandError, match=message):
        run(*[part for pair in base.items() for part in pair])


def test_an_undrawn_quiz_keeps_its_seed_secret():
    quiz = closed_quiz()
    eligible_users(quiz, 2)
    prizes.commit_draw(quiz)

    with pytest.raises(CommandError, match="secret"):
        run("--quiz", str(quiz.pk))
