"""Recomputes a prize draw's winners from its published values and checks its hashes.

    manage.py verify_prize_draw --seed HEX --eligible eligible.txt --prizes "一等奖:1,二等奖:3" \
        [--seed-hash HEX] [--eligible-hash HEX]
    manage.py verify_prize_draw --quiz 12

The first form needs nothing but the values the draw page publishes; the second reads them
from this site's database and also compares the result with the stored winners. Both call
`draw_winners()`, the function the real draw uses. Exits with an error on any mismatch.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from competitions.quizzes.models import PrizeDraw
from competitions.quizzes.prizes import services as service


class Command(BaseCommand):
    help = "Recompute a quiz prize draw from its published seed, eligible list and prizes."

    def add_arguments(self, parser):
        parser.add_argument("--quiz", type=int, help="read the published values of this quiz")
        parser.add_argument("--seed", help="the published seed, 64 hex digits")
        parser.add_argument("--eligible", type=Path, help="the downloaded eligible list file")
        parser.add_argument("--prizes", help='prizes in order, e.g. "一等奖:1,二等奖:3"')
        parser.add_argument("--seed-hash", help="the seed hash published before the draw")
        parser.add_argument("--eligible-hash", help="the list hash published before the draw")

    def handle(self, *args, quiz=None, seed=None, eligible=None, prizes=None, **options):
        seed_hash = options.get("seed_hash")
        eligible_hash = options.get("eligible_hash")
        stored = None
        if quiz is not None:
            draw = PrizeDraw.objects.filter(quiz_id=quiz).select_related("quiz").first()
            if draw is None:
                raise CommandError(f"quiz {quiz} has no committed prize draw")
            if not draw.is_drawn:
                raise CommandError(f"quiz {quiz}: the draw has not happened, the seed is secret")
            seed, prizes = draw.seed, draw.prizes_spec
            seed_hash, eligible_hash = draw.seed_hash, draw.eligible_hash
            list_bytes = draw.eligible_list.encode("utf-8")
            stored = [
                (w.prize.name, w.participant_number)
                for w in draw.winners.select_related("prize").order_by("position")
            ]
        else:
            if not (seed and eligible and prizes):
                raise CommandError("give --quiz, or all of --seed, --eligible and --prizes")
            try:
                list_bytes = eligible.read_bytes()
            except OSError as exc:
                raise CommandError(f"cannot read {eligible}: {exc}") from exc

        try:
            seed_bytes = service.seed_from_hex(seed)
        except ValueError as exc:
            raise CommandError(f"bad seed: {exc}") from exc
        try:
            numbers = service.parse_list_text(list_bytes.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise CommandError(f"the eligible list is not in the published format: {exc}") from exc
        try:
            prize_list = service.parse_prizes_spec(prizes)
        except ValueError as exc:
            raise CommandError(f"bad --prizes: {exc}") from exc

        failures = []
        computed_seed_hash = service.sha256_hex(seed_bytes)
        computed_list_hash = service.sha256_hex(list_bytes)
        self.stdout.write(f"seed sha256:          {computed_seed_hash}")
        failures += self._compare("seed hash", seed_hash, computed_seed_hash)
        self.stdout.write(f"eligible list sha256: {computed_list_hash} ({len(numbers)} people)")
        failures += self._compare("eligible list hash", eligible_hash, computed_list_hash)

        winners = service.draw_winners(seed_bytes, numbers, prize_list)
        self.stdout.write(f"prizes:               {service.prizes_spec(prize_list)}")
        self.stdout.write("winners (in drawing order):")
        for position, (prize, number) in enumerate(winners, start=1):
            self.stdout.write(f"{position:>4}  {number}  {prize}")
        if stored is not None:
            if stored == winners:
                self.stdout.write("the stored winners match the recomputed ones")
            else:
                failures.append("the stored winners differ from the recomputed ones")
        if failures:
            raise CommandError("; ".join(failures))
        self.stdout.write(self.style.SUCCESS("verified"))

    def _compare(self, label: str, expected: str | None, actual: str) -> list[str]:
        if not expected:
            return []
        if expected.strip().lower() == actual:
            self.stdout.write(f"  matches the published {label}")
            return []
        return [f"{label} mismatch: published {expected.strip()}, computed {actual}"]
