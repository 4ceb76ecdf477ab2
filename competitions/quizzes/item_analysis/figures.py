"""The figures of item analysis, computed from the counters (the maths: docs/quizzes.md).

Input: the quiz's counter cells (ItemCounter) and its score histogram (finished attempts per
total score). Everything below is arithmetic over those few thousand numbers, so it costs
the same at 200 attempts as at 2,000,000.

- facility p = correct / drawn;
- discrimination D = p(upper 27 %) − p(lower 27 %), the groups taken from the score
  histogram, the attempts sharing the boundary score split in proportion;
- point-biserial r between the item (0/1) and the rest of the test (total − item), from the
  sums n, Σx, ΣT, ΣT², ΣxT that the score cells hold;
- each option's share of the attempts that drew the question, and "left unanswered";
- answer-position bias: a χ² test of the picks by displayed place against an even spread
  (options are shown in a random order, so picks made for content spread evenly);
- Cronbach's α (KR-20 for right/wrong items) for fixed papers.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..models import ItemCounter, Quiz
from ..papers import question_of
from .counters import CHOICE, POSITION, SCORE, UNANSWERED

GROUP_FRACTION = 0.27
# Below these many attempts a question's figures are shown but not judged.
MIN_FOR_FACILITY = 30
MIN_FOR_DISCRIMINATION = 50
TOO_EASY = 0.95
TOO_HARD = 0.25
DEAD_DISTRACTOR = 0.02
KEY_MARGIN = 0.10
# χ² critical values at p = 0.001 for 1..7 degrees of freedom.
CHI2_CRITICAL = {1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52, 6: 22.46, 7: 24.32}
LETTERS = "ABCDEFGH"

FLAGS = {
    "too_easy": _("Almost everyone gets it right: it does not tell who knows more."),
    "too_hard": _("Few get it right: check that the right answer is set correctly."),
    "key_suspect": _("A wrong option is chosen more often than the right one: check the answer."),
    "negative": _("Strong participants get it wrong more often than weak ones."),
    "dead_distractor": _("A wrong option almost nobody chooses (%(letters)s): make it plausible."),
    "position_bias": _("Choices pile up at one place on the screen: some may guess by position."),
}


@dataclass(frozen=True)
class OptionShare:
    letter: str
    text: str
    correct: bool
    picks: int
    share: float | None


@dataclass
class Item:
    question_id: int
    stem: str
    kind: str
    drawn: int = 0
    correct: int = 0
    facility: float | None = None
    discrimination: float | None = None
    point_biserial: float | None = None
    unanswered: float | None = None
    options: list[OptionShare] = field(default_factory=list)
    # Share of picks at each displayed place (1st, 2nd, …) and the χ² statistic.
    position_shares: list[float] = field(default_factory=list)
    position_chi2: float | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def flag_texts(self) -> list[str]:
        texts = []
        for flag in self.flags:
            if flag == "dead_distractor":
                dead = [
                    option.letter
                    for option in self.options
                    if not option.correct
                    and option.share is not None
                    and option.share < DEAD_DISTRACTOR
                ]
                texts.append(str(FLAGS[flag]) % {"letters": "、".join(dead)})
            else:
                texts.append(str(FLAGS[flag]))
        return texts


@dataclass
class Analysis:
    attempts: int
    items: list[Item]
    upper_from: float | None = None
    lower_to: float | None = None
    alpha: float | None = None
    alpha_items: int = 0
    # Why α is not given: "random" (papers differ), "changed" (the fixed list changed), "few".
    alpha_missing: str = ""
    position_shares: list[float] = field(default_factory=list)

    @property
    def health(self) -> list[Item]:
        return [item for item in self.items if item.flags]


# --- the maths ------------------------------------------------------------------------------


def group_weights(histogram: dict[int, int], fraction: float = GROUP_FRACTION):
    """Weights per score of the upper and the lower `fraction` of attempts.

    Whole score groups are taken from the top (bottom) until the next would pass the
    group's size; of the boundary score, the proportion that completes it.
    """
    total = sum(histogram.values())
    size = fraction * total

    def take(scores):
        weights, left = {}, size
        for score in scores:
            count = histogram[score]
            if left <= 0 or not count:
                break
            taken = min(count, left)
            weights[score] = taken / count
            left -= taken
        return weights

    scores = sorted(score for score, count in histogram.items() if count)
    return take(reversed(scores)), take(scores)


def point_biserial(n: int, sx: int, st: int, stt: int, sxt: int) -> float | None:
    """Correlation of a 0/1 item x with the rest of the test R = T − x, from sums over the
    n attempts that drew it: Σx, ΣT, ΣT², ΣxT (x² = x)."""
    sr, srr, sxr = st - sx, stt - 2 * sxt + sx, sxt - sx
    var_x = n * sx - sx * sx
    var_r = n * srr - sr * sr
    if n < 2 or var_x <= 0 or var_r <= 0:
        return None
    return (n * sxr - sx * sr) / math.sqrt(var_x * var_r)


def cronbach_alpha(facilities: list[float], histogram: dict[int, int]) -> float | None:
    """α = k/(k−1) · (1 − Σ p(1−p) / var(T)) for k right/wrong items every attempt answered
    (population variances, from the facilities and the score histogram)."""
    k = len(facilities)
    total = sum(histogram.values())
    if k < 2 or total < 2:
        return None
    mean = sum(score * count for score, count in histogram.items()) / total
    variance = sum(count * (score - mean) ** 2 for score, count in histogram.items()) / total
    if variance <= 0:
        return None
    return k / (k - 1) * (1 - sum(p * (1 - p) for p in facilities) / variance)


def chi2_even(counts: list[int]) -> float | None:
    """χ² of `counts` against an even spread (None without counts or places)."""
    total = sum(counts)
    if len(counts) < 2 or not total:
        return None
    expected = total / len(counts)
    return sum((count - expected) ** 2 / expected for count in counts)


# --- putting it together --------------------------------------------------------------------


def analyse(quiz: Quiz, histogram: dict[int, int], material, rows=None) -> Analysis:
    """The item analysis of `quiz`: one query for the counters (or `rows` given), the rest
    from `histogram` ({score: finished attempts}) and the quiz's material (texts)."""
    if rows is None:
        rows = ItemCounter.objects.filter(quiz=quiz).values_list(
            "question_id", "kind", "key", "n", "hits"
        )
    cells: dict[int, dict[str, dict[int, tuple[int, int]]]] = defaultdict(
        lambda: {SCORE: {}, CHOICE: {}, POSITION: {}}
    )
    for question_id, kind, key, n, hits in rows:
        cells[question_id][kind][key] = (n, hits)
    upper, lower = group_weights(histogram)
    attempts = sum(histogram.values())
    items = []
    for question_id, by_kind in cells.items():
        question = question_of(material, question_id)
        if question is None:
            continue
        items.append(_item(question, by_kind, upper, lower))
    items.sort(key=lambda item: (not item.flags, item.facility is None, item.facility or 0))
    analysis = Analysis(
        attempts=attempts,
        items=items,
        upper_from=min(upper, default=None),
        lower_to=max(lower, default=None),
    )
    _alpha(analysis, material, histogram)
    analysis.position_shares = _overall_positions(items)
    return analysis


def _item(question, by_kind, upper, lower) -> Item:
    score_cells = by_kind[SCORE]
    item = Item(question_id=question.id, stem=question.stem, kind=question.kind)
    n = sum(drawn for drawn, _hits in score_cells.values())
    sx = sum(hits for _drawn, hits in score_cells.values())
    item.drawn, item.correct = n, sx
    if n:
        item.facility = sx / n
        st = sum(score * drawn for score, (drawn, _hits) in score_cells.items())
        stt = sum(score * score * drawn for score, (drawn, _hits) in score_cells.items())
        sxt = sum(score * hits for score, (_drawn, hits) in score_cells.items())
        item.point_biserial = point_biserial(n, sx, st, stt, sxt)
        item.discrimination = _discrimination(score_cells, upper, lower)
        picks = {key: hits for key, (_n, hits) in by_kind[CHOICE].items()}
        item.unanswered = picks.get(UNANSWERED, 0) / n
        item.options = [
            OptionShare(
                letter=LETTERS[index] if index < len(LETTERS) else str(index + 1),
                text=text,
                correct=choice_id in question.correct,
                picks=picks.get(choice_id, 0),
                share=picks.get(choice_id, 0) / n,
            )
            for index, (choice_id, text) in enumerate(question.choices)
        ]
        if question.shuffled:
            places = [
                by_kind[POSITION].get(place, (0, 0))[1]
                for place in range(1, len(question.choices) + 1)
            ]
            total = sum(places)
            if total:
                item.position_shares = [count / total for count in places]
                item.position_chi2 = chi2_even(places)
    item.flags = _flags(item, question)
    return item


def _discrimination(score_cells, upper, lower) -> float | None:
    def rate(weights):
        drawn = sum(weights.get(score, 0) * n for score, (n, _hits) in score_cells.items())
        right = sum(weights.get(score, 0) * hits for score, (_n, hits) in score_cells.items())
        return right / drawn if drawn else None

    high, low = rate(upper), rate(lower)
    if high is None or low is None:
        return None
    return high - low


def _flags(item: Item, question) -> list[str]:
    flags = []
    if item.drawn >= MIN_FOR_FACILITY and item.facility is not None:
        if item.facility >= TOO_EASY:
            flags.append("too_easy")
        elif item.facility <= TOO_HARD:
            flags.append("too_hard")
        right = max((o.picks for o in item.options if o.correct), default=0)
        # Ten points ahead of the key, so chance alone rarely raises it.
        if any(not o.correct and o.picks - right >= KEY_MARGIN * item.drawn for o in item.options):
            flags.append("key_suspect")
    if item.drawn >= MIN_FOR_DISCRIMINATION:
        if (item.discrimination is not None and item.discrimination < 0) or (
            item.point_biserial is not None and item.point_biserial < 0
        ):
            flags.append("negative")
        if question.kind != "true_false" and any(
            not o.correct and o.share is not None and o.share < DEAD_DISTRACTOR
            for o in item.options
        ):
            flags.append("dead_distractor")
        critical = CHI2_CRITICAL.get(len(item.position_shares) - 1)
        if item.position_chi2 is not None and critical and item.position_chi2 > critical:
            flags.append("position_bias")
    return flags


def _alpha(analysis: Analysis, material, histogram) -> None:
    if not material.fixed:
        analysis.alpha_missing = "random"
        return
    by_id = {item.question_id: item for item in analysis.items}
    fixed = [by_id.get(question_id) for question_id in material.fixed]
    if any(item is None or item.drawn != analysis.attempts for item in fixed):
        analysis.alpha_missing = "changed" if analysis.attempts else "few"
        return
    if analysis.attempts < MIN_FOR_FACILITY:
        analysis.alpha_missing = "few"
        return
    analysis.alpha = cronbach_alpha([item.facility for item in fixed], histogram)
    analysis.alpha_items = len(fixed)
    if analysis.alpha is None:
        analysis.alpha_missing = "few"


def _overall_positions(items: list[Item]) -> list[float]:
    """Shares of picks per displayed place over the shuffled questions with the most
    common number of options."""
    widths = defaultdict(int)
    for item in items:
        if item.position_shares:
            widths[len(item.position_shares)] += 1
    if not widths:
        return []
    width = max(widths, key=widths.get)
    totals = [0.0] * width
    for item in items:
        if len(item.position_shares) == width:
            picks = sum(option.picks for option in item.options)
            for place, share in enumerate(item.position_shares):
                totals[place] += share * picks
    grand = sum(totals)
    return [value / grand for value in totals] if grand else []
