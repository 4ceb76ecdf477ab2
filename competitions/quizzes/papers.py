"""Quiz papers: a quiz version's question material, drawing a paper, and showing it.

A quiz's *material* is everything needed to draw, show and score its papers: the draw rules
and, for every question of its bank (and of its fixed list), the kind, stem, image (rendered
once), explanation and choices with the right ones. It is built from the database once per
process and quiz version and kept in the process. The version is `Quiz.material_version`,
a fresh random number whenever the quiz, one of its draw rules or fixed questions, or a
question, choice or question image of its bank changes (the signal handlers below), and it
is read with the quiz row every quiz request reads anyway. So starting, showing and scoring
an attempt never read the bank, a cached material is never stale, and nothing here depends
on Redis.

Drawing is done in memory from the material (an unpredictable generator; no query), and the
drawn paper is stored compactly on the attempt row (`QuizAttempt.paper`): the start of an
attempt is one INSERT whatever the size of the bank or the paper.
"""

import base64
import hmac
import random
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .models import Choice, Question, Quiz, QuizAttempt, QuizDrawRule, QuizFixedQuestion
from .models.quiz import new_material_version

# Materials kept per process (quizzes running at once, times a few versions each).
MAX_MATERIALS = 32
_IMAGE = Template(
    "{% load wagtailimages_tags %}{% picture image format-{webp,jpeg} width-{480,960} "
    'sizes="(max-width: 46rem) 100vw, 46rem" alt="" %}'
)


class NotEnoughQuestions(Exception):
    """The quiz's draw rules ask for more questions than its bank holds."""

    message = _("The quiz cannot draw its questions. Please tell the organiser.")


@dataclass(frozen=True)
class MaterialQuestion:
    id: int
    kind: str
    stem: str
    # A Wagtail image, rendered (with its renditions) only when a paper first shows it.
    image: object
    explanation: str
    # (choice id, text), in the bank's order.
    choices: tuple[tuple[int, str], ...]
    correct: frozenset[int]
    bank_id: int
    category_id: int | None
    difficulty: str
    is_active: bool

    @property
    def shuffled(self) -> bool:
        # True/false keeps 正确 before 错误.
        return self.kind != Question.Kind.TRUE_FALSE

    @property
    def drawable(self) -> bool:
        return self.is_active and len(self.choices) >= 2 and bool(self.correct)

    def text_of(self, choice_id: int) -> str | None:
        for pk, text in self.choices:
            if pk == choice_id:
                return text
        return None


@dataclass
class Material:
    """The questions a quiz version draws from and shows (read-only once built)."""

    quiz_id: int
    version: int
    questions: dict[int, MaterialQuestion]
    fixed: tuple[int, ...]
    # (category id or None, difficulty or "", count), most specific first.
    rules: tuple[tuple[int | None, str, int], ...]
    drawable: tuple[int, ...]
    _pools: dict = field(default_factory=dict, repr=False)
    # Each question's paper and review HTML, rendered when first needed (question id → HTML).
    _html: dict = field(default_factory=dict, repr=False)
    _review_html: dict = field(default_factory=dict, repr=False)
    _images: dict = field(default_factory=dict, repr=False)

    def pool(self, category_id: int | None, difficulty: str) -> tuple[tuple[int, ...], frozenset]:
        """The drawable questions of a category and difficulty (either may be "any")."""
        key = (category_id, difficulty)
        pool = self._pools.get(key)
        if pool is None:
            ids = tuple(
                pk
                for pk in self.drawable
                if (category_id is None or self.questions[pk].category_id == category_id)
                and (not difficulty or self.questions[pk].difficulty == difficulty)
            )
            pool = self._pools[key] = (ids, frozenset(ids))
        return pool


# --- building and caching -------------------------------------------------------------------

_materials: "OrderedDict[tuple[int, int], Material]" = OrderedDict()
_lock = threading.Lock()
_building: dict[tuple[int, int], threading.Lock] = {}


def material_for(quiz: Quiz) -> Material:
    """The material of `quiz` as its row was read (built at most once per process and version)."""
    key = (quiz.pk, quiz.material_version)
    material = _materials.get(key)
    if material is not None:
        return material
    with _lock:
        building = _building.setdefault(key, threading.Lock())
    with building:  # a spike of starts builds it once, the other threads wait for it
        material = _materials.get(key)
        if material is None:
            material = build_material(quiz)
            with _lock:
                _materials[key] = material
                while len(_materials) > MAX_MATERIALS:
                    _materials.popitem(last=False)
                _building.pop(key, None)
    return material


def forget_materials() -> None:
    """Drops every material this process holds (tests; never needed for correctness)."""
    with _lock:
        _materials.clear()


def build_material(quiz: Quiz) -> Material:
    """Reads the quiz's draw rules and its questions with their choices (four queries, plus
    the renditions of question images the first time they are shown)."""
    # From the database, not the quiz's (possibly unsaved) inline relations.
    rules = sorted(
        QuizDrawRule.objects.filter(quiz_id=quiz.pk).values_list(
            "category_id", "difficulty", "count"
        ),
        # Most specific quotas first, so a broad quota ("any 2 hard questions") does not
        # take the questions a narrow one ("3 hard 疫苗 questions") needs.
        key=lambda rule: (rule[0] is None) + (not rule[1]),
    )
    fixed = tuple(
        QuizFixedQuestion.objects.filter(quiz_id=quiz.pk)
        .order_by("sort_order", "pk")
        .values_list("question_id", flat=True)
    )
    questions = load_questions(Q(bank_id=quiz.bank_id) | Q(pk__in=fixed))
    return Material(
        quiz_id=quiz.pk,
        version=quiz.material_version,
        questions=questions,
        fixed=fixed,
        rules=tuple(rules),
        # Only questions of the quiz's bank are drawn at random (fixed ones may come from any).
        drawable=tuple(
            pk
            for pk, question in questions.items()
            if question.drawable and question.bank_id == quiz.bank_id
        ),
    )


# Markers in the pre-rendered paper HTML (private-use characters, removed from the texts).
POSITION, OPTIONS, TOKEN, CHECKED = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKERS = {ord(marker): None for marker in (POSITION, OPTIONS, TOKEN, CHECKED)}


@dataclass(frozen=True)
class QuestionHTML:
    """A question's HTML on the paper (`shell` and one fragment per option), rendered once
    per material from templates/quizzes/includes/paper_*.html, with markers where each
    attempt puts its position, options, tokens and choices."""

    shell: str
    options: dict[int, str]


@dataclass(frozen=True)
class ReviewHTML:
    """The same for the result page's review: a shell per verdict ("1", "0", "-") and each
    option chosen or not, right answers and the explanation included."""

    shells: dict[str, str]
    options: dict[tuple[int, bool], str]


def _question_html(material: Material, question: MaterialQuestion) -> QuestionHTML:
    """Rendered the first time an attempt shows the question (in the site's language)."""
    html = material._html.get(question.id)
    if html is None:
        with translation.override(settings.LANGUAGE_CODE):
            html = QuestionHTML(
                shell=render_to_string(
                    "quizzes/includes/paper_question.html",
                    {
                        "question": question,
                        "image_html": image_html(material, question),
                        "position": POSITION,
                        "options": mark_safe(OPTIONS),
                    },
                ),
                options={
                    choice_id: render_to_string(
                        "quizzes/includes/paper_option.html",
                        {
                            "kind": question.kind,
                            "position": POSITION,
                            "token": TOKEN,
                            "checked": mark_safe(CHECKED),  # a marker
                            "text": text,
                        },
                    )
                    for choice_id, text in question.choices
                },
            )
        material._html[question.id] = html
    return html


def _review_html(material: Material, question: MaterialQuestion) -> ReviewHTML:
    """Rendered the first time a result page shows the question (in the site's language)."""
    html = material._review_html.get(question.id)
    if html is None:
        with translation.override(settings.LANGUAGE_CODE):
            html = ReviewHTML(
                shells={
                    verdict: render_to_string(
                        "quizzes/includes/review_question.html",
                        {"question": question, "verdict": verdict, "options": mark_safe(OPTIONS)},
                    )
                    for verdict in ("1", "0", "-")
                },
                options={
                    (choice_id, selected): render_to_string(
                        "quizzes/includes/review_option.html",
                        {
                            "text": text,
                            "correct": choice_id in question.correct,
                            "selected": selected,
                        },
                    )
                    for choice_id, text in question.choices
                    for selected in (False, True)
                },
            )
        material._review_html[question.id] = html
    return html


def paper_html(attempt: QuizAttempt, material: Material) -> SafeString:
    """The attempt's whole paper as HTML: every question with its options in this attempt's
    order, tokens and saved choices, assembled from the questions' rendered fragments."""
    parts = []
    token = option_tokens(attempt)
    for position, (question_id, order) in enumerate(attempt.paper, start=1):
        question = question_of(material, question_id)
        if question is None:
            continue
        html = _question_html(material, question)
        selected = set(attempt.selected(position))
        options = "".join(
            html.options[choice_id]
            .replace(TOKEN, token(choice_id))
            .replace(CHECKED, " checked" if choice_id in selected else "")
            for choice_id in order
            if choice_id in html.options
        )
        parts.append(html.shell.replace(OPTIONS, options).replace(POSITION, str(position)))
    return mark_safe("".join(parts))  # escaped by the templates


def review_html(attempt: QuizAttempt, material: Material) -> SafeString:
    """A finished attempt's questions with its choices, the right answers and explanations,
    from the questions' rendered fragments. Only for callers `attempts.may_review()` allows."""
    parts = []
    for position, (question_id, order) in enumerate(attempt.paper, start=1):
        question = question_of(material, question_id)
        if question is None:
            continue
        html = _review_html(material, question)
        selected = set(attempt.selected(position))
        verdict = attempt.verdicts[position - 1 : position] or "-"
        parts.append(
            html.shells[verdict].replace(
                OPTIONS,
                "".join(
                    html.options[(choice_id, choice_id in selected)]
                    for choice_id in order
                    if (choice_id, False) in html.options
                ),
            )
        )
    return mark_safe("".join(parts))  # escaped by the templates


def load_questions(condition: Q) -> dict[int, MaterialQuestion]:
    """The questions matching `condition` with their choices, as material (two queries)."""
    questions = list(Question.objects.filter(condition).select_related("image").order_by("pk"))
    choices: dict[int, list[tuple[int, str, bool]]] = {question.pk: [] for question in questions}
    for question_id, pk, text, is_correct in (
        Choice.objects.filter(question_id__in=list(choices))
        .order_by("question_id", "sort_order", "pk")
        .values_list("question_id", "pk", "text", "is_correct")
    ):
        choices[question_id].append((pk, text, is_correct))
    return {
        question.pk: MaterialQuestion(
            id=question.pk,
            kind=question.kind,
            stem=question.stem.translate(_MARKERS),
            image=question.image,
            explanation=question.explanation,
            choices=tuple(
                (pk, text.translate(_MARKERS)) for pk, text, _correct in choices[question.pk]
            ),
            correct=frozenset(pk for pk, _text, correct in choices[question.pk] if correct),
            bank_id=question.bank_id,
            category_id=question.category_id,
            difficulty=question.difficulty,
            is_active=question.is_active,
        )
        for question in questions
    }


def image_html(material: Material, question: MaterialQuestion) -> SafeString:
    """The question's picture (responsive renditions), rendered the first time it is shown."""
    html = material._images.get(question.id)
    if html is None:
        html = material._images[question.id] = _image_html(question.image)
    return html


def _image_html(image) -> SafeString:
    if image is None:
        return mark_safe("")
    return mark_safe(_IMAGE.render(Context({"image": image})))


def question_of(material: Material, question_id: int) -> MaterialQuestion | None:
    """A question of an attempt's paper: from the material, else read on its own (a question
    moved to another bank after the attempt drew it); None if it was deleted."""
    question = material.questions.get(question_id)
    if question is None:
        question = load_questions(Q(pk=question_id)).get(question_id)
        if question is not None:
            material.questions[question_id] = question
    return question


# --- drawing --------------------------------------------------------------------------------


def paper_size(material: Material, quiz: Quiz) -> int:
    """How many questions `draw_paper` puts on a paper of this quiz version: the fixed list,
    else the sum of the quotas, else `questions_per_attempt`. No query."""
    if material.fixed:
        return sum(1 for pk in material.fixed if pk in material.questions)
    if material.rules:
        return sum(count for _category, _difficulty, count in material.rules)
    return quiz.questions_per_attempt


def draw_paper(material: Material, quiz: Quiz, rng: random.Random) -> list[list]:
    """A paper for one attempt: [[question id, [choice ids in display order]], ...].

    A fixed list wins (in a shuffled order); else the quotas by category and difficulty;
    else `questions_per_attempt` random drawable questions. Raises NotEnoughQuestions when
    the bank cannot satisfy the rules. No query: everything comes from the material.
    """
    if material.fixed:
        ids = [pk for pk in material.fixed if pk in material.questions]
        rng.shuffle(ids)
    elif material.rules:
        ids = []
        chosen: set[int] = set()
        for category_id, difficulty, count in material.rules:
            pool, members = material.pool(category_id, difficulty)
            picked = _sample_excluding(pool, members, chosen, count, rng)
            ids += picked
            chosen.update(picked)
        rng.shuffle(ids)
    else:
        count = quiz.questions_per_attempt
        if not count or len(material.drawable) < count:
            raise NotEnoughQuestions
        ids = rng.sample(material.drawable, count)
    if not ids:
        raise NotEnoughQuestions
    paper = []
    for pk in ids:
        question = material.questions[pk]
        order = [choice_id for choice_id, _text in question.choices]
        if question.shuffled:
            rng.shuffle(order)
        paper.append([pk, order])
    return paper


def _sample_excluding(pool, members, chosen: set[int], count: int, rng) -> list[int]:
    """`count` distinct questions of `pool` not in `chosen`, uniformly; O(count) expected."""
    available = len(pool) - sum(1 for pk in chosen if pk in members)
    if available < count:
        raise NotEnoughQuestions
    if available < 2 * count:
        return rng.sample([pk for pk in pool if pk not in chosen], count)
    picked: list[int] = []
    seen = set(chosen)
    while len(picked) < count:
        pk = pool[rng.randrange(len(pool))]
        if pk not in seen:
            seen.add(pk)
            picked.append(pk)
    return picked


# --- what the participant sees ----------------------------------------------------------------


def option_tokens(attempt: QuizAttempt) -> Callable[[int], str]:
    """The opaque ids of the choices within one attempt (choice ids never reach the
    browser), as a function of the choice id: the first 80 bits of HMAC-SHA256(SECRET_KEY,
    "quiz:<attempt's public id>:<choice id>") in lowercase base32. The keyed hash of the
    attempt's part is computed once for all its choices."""
    keyed = hmac.new(settings.SECRET_KEY.encode(), f"quiz:{attempt.public_id}:".encode(), "sha256")

    def token(choice_id: int) -> str:
        mac = keyed.copy()
        mac.update(str(choice_id).encode())
        return base64.b32encode(mac.digest()[:10]).decode().lower()

    return token


def option_token(attempt: QuizAttempt, choice_id: int) -> str:
    """The opaque id of one choice within one attempt (see `option_tokens`)."""
    return option_tokens(attempt)(choice_id)


@dataclass(frozen=True)
class Option:
    token: str
    text: str
    selected: bool
    # Only filled when the attempt is finished and the quiz's review policy allows it.
    correct: bool | None = None


@dataclass(frozen=True)
class ShownQuestion:
    position: int
    kind: str
    stem: str
    image_html: SafeString
    options: list[Option]
    answered: bool
    is_correct: bool | None = None
    explanation: str = ""


def shown_questions(
    attempt: QuizAttempt,
    material: Material,
    *,
    review: bool = False,
    position: int | None = None,
) -> list[ShownQuestion]:
    """The attempt's questions as the participant sees them, from its paper and the
    material (no query unless a question left the bank).

    Nothing secret is included unless `review` is true, which callers only pass when
    `attempts.may_review()` allows it. With `position`, only that question carries its stem
    and options; the others say only whether they were answered (the question screen's map).
    """
    shown = []
    token = option_tokens(attempt)
    for number, (question_id, order) in enumerate(attempt.paper, start=1):
        selected = set(attempt.selected(number))
        question = question_of(material, question_id)
        if question is None or (position is not None and number != position):
            shown.append(
                ShownQuestion(
                    position=number,
                    kind=question.kind if question else Question.Kind.SINGLE,
                    stem="" if question else str(_("This question was removed.")),
                    image_html=mark_safe(""),
                    options=[],
                    answered=bool(selected),
                )
            )
            continue
        options = []
        for choice_id in order:
            text = question.text_of(choice_id)
            if text is None:  # a choice deleted after the draw
                continue
            options.append(
                Option(
                    token=token(choice_id),
                    text=text,
                    selected=choice_id in selected,
                    correct=(choice_id in question.correct) if review else None,
                )
            )
        verdict = attempt.verdicts[number - 1] if len(attempt.verdicts) >= number else ""
        shown.append(
            ShownQuestion(
                position=number,
                kind=question.kind,
                stem=question.stem,
                image_html=image_html(material, question),
                options=options,
                answered=bool(selected),
                is_correct=(verdict == "1") if review else None,
                explanation=question.explanation if review else "",
            )
        )
    return shown


# --- keeping versions current -----------------------------------------------------------------


def renew(quizzes) -> None:
    """Gives `quizzes` (a queryset) a new material version: every process rebuilds theirs."""
    quizzes.update(material_version=new_material_version())


def bank_changed(bank_id: int) -> None:
    """The questions of bank `bank_id` changed (bulk imports call this; saves signal it)."""
    renew(Quiz.objects.filter(bank_id=bank_id))


def _question_changed(question_ids: list[int], bank_ids: set[int]) -> None:
    renew(
        Quiz.objects.filter(
            Q(bank_id__in=bank_ids) | Q(fixed_question_links__question_id__in=question_ids)
        )
    )


def _on_question(sender, instance, **kwargs):
    banks = {instance.bank_id, getattr(instance, "_loaded_bank_id", instance.bank_id)}
    _question_changed([instance.pk], banks - {None})


def _on_choice(sender, instance, **kwargs):
    bank_id = Question.objects.filter(pk=instance.question_id).values_list("bank_id", flat=True)
    renew(
        Quiz.objects.filter(
            Q(bank_id__in=bank_id) | Q(fixed_question_links__question_id=instance.question_id)
        )
    )


def _on_quiz_part(sender, instance, **kwargs):
    renew(Quiz.objects.filter(pk=instance.quiz_id))


def _on_image(sender, instance, **kwargs):
    renew(Quiz.objects.filter(bank__questions__image_id=instance.pk))


def connect_signals() -> None:
    """Called by the app config: every change that alters a material renews its version."""
    from wagtail.images import get_image_model

    for signal in (post_save, post_delete):
        signal.connect(_on_question, sender=Question, dispatch_uid=f"papers-q-{signal}")
        signal.connect(_on_choice, sender=Choice, dispatch_uid=f"papers-c-{signal}")
        for model in (QuizDrawRule, QuizFixedQuestion):
            signal.connect(_on_quiz_part, sender=model, dispatch_uid=f"papers-{model}-{signal}")
    post_save.connect(_on_image, sender=get_image_model(), dispatch_uid="papers-image")
