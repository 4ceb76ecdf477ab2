"""The states public endpoints need, built with the factories of tests/factories/.

Each function builds what one family of endpoints needs and returns a `State`: the valid path
values, the user who may be signed in, and values the strategies cannot guess (option tokens,
ids, keys). Nothing here is shared between tests: each test builds its own.
"""

import datetime
import uuid

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from accounts.consent import request_guardian_consent
from competitions.quizzes import attempts
from competitions.quizzes.certificates.services import issue_certificate
from competitions.quizzes.prizes import services as prizes
from competitions.submissions.models import Entry, EntryKind
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.entry_files import image_file, video_file
from tests.factories.judging import AssignmentFactory, JudgeFactory
from tests.factories.pages import ArticlePageFactory, HomePageFactory, SectionPageFactory
from tests.factories.prizes import drawn_quiz
from tests.factories.quizzes import FinishedAttemptFactory, QuizFactory, UnitFactory
from tests.factories.reach import PosterFactory
from tests.factories.users import ChildFactory, PhoneUserFactory, UserFactory
from tests.factories.voting import VoterFactory, VotingEntryFactory
from tests.submissions.results.helpers import published_contest

from .harness import State


def nothing() -> State:
    return State(user=UserFactory())


def site() -> dict:
    """A home page with a section and an article as the default site (testserver)."""
    home = HomePageFactory(parent=Page.get_first_root_node(), slug="fuzz-home")
    Site.objects.all().delete()
    Site.objects.create(hostname="testserver", port=80, root_page=home, is_default_site=True)
    section = SectionPageFactory(parent=home, title="健康生活", slug="health")
    article = ArticlePageFactory(parent=section, title="洗手的学问", slug="hand-washing")
    return {"home": home, "section": section, "article": article}


def pages() -> State:
    pages = site()
    return State(
        user=UserFactory(),
        kwargs={"page_id": pages["article"].pk},
        path=pages["article"].url,
    )


def logged_search() -> State:
    """A search for 洗手 logged today, whose result clicks the beacon may count."""
    from search import query_log

    site()
    query_log.record("洗手", 1, "embedded")
    return State(user=UserFactory())


def page_id() -> State:
    pages = site()
    return State(user=UserFactory(), kwargs={"page_id": pages["article"].pk})


def restricted_page() -> State:
    pages = site()
    restriction = PageViewRestriction.objects.create(
        page=pages["article"], restriction_type=PageViewRestriction.PASSWORD, password="kexue"
    )
    return State(
        user=UserFactory(),
        kwargs={"page_view_restriction_id": restriction.pk, "page_id": pages["article"].pk},
        values={"password": "kexue"},
    )


def restricted_documents() -> State:
    """The documents of the root collection behind a password."""
    restriction = CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="kexue",
    )
    return State(user=UserFactory(), kwargs={"restriction_id": restriction.pk})


def poster() -> State:
    site()
    return State(user=UserFactory(), kwargs={"code": PosterFactory().code})


def document() -> State:
    document = Document.objects.create(
        title="实验指南", file=ContentFile(b"%PDF-1.4\n%%EOF", name="guide.pdf")
    )
    return State(user=UserFactory(), path=document.url, kwargs={})


# --- accounts ---------------------------------------------------------------------------------


def signed_in() -> State:
    return State(user=UserFactory())


def new_person() -> State:
    """Nobody signed in (sign-up, sign-in, the age step); a user exists to sign in as."""
    return State(user=UserFactory(email="reader@example.org"))


def phone_reset_started() -> State:
    """A visitor who asked for a password reset code for a phone user's number (123456)."""
    import time

    from accounts.phone_reset import flow

    user = PhoneUserFactory(phone="+8613812345678")
    reset = flow.Reset(
        phone=user.phone, user_id=user.pk, code_hash=flow._hash("123456"), started_at=time.time()
    )
    return State(
        user=UserFactory(),
        session={flow.SESSION_KEY: reset.__dict__},
        values={"code": ["123456"]},
    )


def after_the_age_step() -> State:
    """A visitor who gave an adult's birth month (sign-up comes next)."""
    import time

    from accounts.signup import SESSION_KEY

    birth_month = {"year": 1990, "month": 6, "at": int(time.time())}
    return State(user=UserFactory(), session={SESSION_KEY: birth_month})


def passwordless() -> State:
    """Someone who signed up with a code and never set a password."""
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    return State(user=user)


def child_waiting() -> State:
    return State(user=ChildFactory())


def guardian_link() -> State:
    child = ChildFactory()
    links = []
    request_guardian_consent(child, "+8613700000009", build_link=lambda t: links.append(t) or t)
    return State(user=UserFactory(), kwargs={"token": links[0]})


def email_confirmation() -> State:
    user = UserFactory()
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    return State(user=user, kwargs={"key": EmailConfirmationHMAC(address).key})


def password_reset_key() -> State:
    user = UserFactory()
    key = default_token_generator.make_token(user)
    return State(user=user, kwargs={"uidb36": user_pk_to_url_str(user), "key": key})


# --- quizzes ----------------------------------------------------------------------------------


def quiz() -> State:
    unit = UnitFactory()
    quiz = QuizFactory(unit_kind=unit.kind, sign_in_required=False)
    return State(user=UserFactory(), kwargs={"quiz_id": quiz.pk}, values={"unit": unit.pk})


def open_attempt() -> State:
    user = UserFactory()
    quiz = QuizFactory()
    attempt = attempts.start_attempt(quiz, key=attempts.participant_key(user), user=user)
    _question_id, choice_order = attempt.paper[0]
    tokens = [attempts.option_token(attempt, choice) for choice in choice_order]
    return State(
        user=user,
        kwargs={"public_id": attempt.public_id},
        values={
            "options": tokens,
            "max_position": attempt.max_score,
            "option": tokens[0],
            "position": "1",
            "action": "goto-2",
            "save_token": random_uuid(),
            "submit_token": random_uuid(),
        },
    )


def finished_attempt() -> State:
    user = UserFactory()
    attempt = FinishedAttemptFactory(user=user, participant_key=attempts.participant_key(user))
    return State(user=user, kwargs={"public_id": attempt.public_id})


def quiz_certificate() -> State:
    site()
    user = UserFactory()
    attempt = FinishedAttemptFactory(user=user, participant_key=attempts.participant_key(user))
    certificate = issue_certificate(attempt.pk)
    return State(user=user, kwargs={"code": certificate.code})


def prize_winner() -> State:
    quiz, draw, _users = drawn_quiz(people=3, prize_list=(("一等奖", 3),))
    winner = draw.winners.select_related("user").first()
    assert prizes.winner_for(quiz, winner.user) is not None
    return State(user=winner.user, kwargs={"quiz_id": quiz.pk})


# --- contests ---------------------------------------------------------------------------------


def contest_open() -> State:
    contest = ContestFactory(entry_kinds=[EntryKind.TEXT, EntryKind.IMAGE, EntryKind.VIDEO])
    UnitFactory()
    return State(user=UserFactory(), kwargs={"contest_id": contest.pk})


def draft_entry() -> State:
    """The user's draft in an open contest, with an image and a video file."""
    contest = ContestFactory(entry_kinds=[EntryKind.TEXT, EntryKind.IMAGE, EntryKind.VIDEO])
    entry = EntryFactory(
        contest=contest,
        kind=EntryKind.IMAGE,
        status=Entry.Status.DRAFT,
        number=None,
        submitted_at=None,
    )
    files = [image_file(entry), video_file(entry)]
    return State(
        user=entry.author,
        kwargs={"public_id": entry.public_id, "file_id": files[0].pk},
        values={"file_ids": [f.pk for f in files]},
    )


def submitted_entry() -> State:
    entry = EntryFactory(kind=EntryKind.TEXT)
    return State(user=entry.author, kwargs={"public_id": entry.public_id})


def entry_file() -> State:
    """A displayable entry's video (its transcoded MP4 and poster can be fetched)."""
    contest = ContestFactory(phase="exhibition", entry_kinds=[EntryKind.VIDEO])
    entry = EntryFactory(contest=contest, kind=EntryKind.VIDEO)
    files = [video_file(entry), image_file(entry)]
    return State(user=entry.author, kwargs={"file_id": files[0].pk})


def results() -> State:
    site()
    contest, entries, _first, _second = published_contest(phase="exhibition")
    certificate = entries[0].awards.first().certificates.first()
    return State(
        user=entries[0].author,
        kwargs={"contest_id": contest.pk, "number": entries[0].number, "code": certificate.code},
    )


def voting() -> State:
    site()
    entry = VotingEntryFactory()
    return State(
        user=VoterFactory(),
        kwargs={"contest_id": entry.contest_id, "number": entry.number},
        values={"group": entry.group_id},
    )


def new_voter() -> State:
    """A voter whose account is new, so the vote asks for the captcha."""
    entry = VotingEntryFactory()
    voter = VoterFactory(date_joined=timezone.now() - datetime.timedelta(minutes=5))
    token, restore = _fixed_challenge()
    return State(
        user=voter,
        kwargs={"contest_id": entry.contest_id, "number": entry.number},
        values={"captcha_token": token},
        prepare=restore,
    )


def _fixed_challenge():
    """A captcha token whose challenge (七加五, 12) is put back in the cache before each
    example (kepu/captcha.py)."""
    from django.core import signing
    from django.core.cache import cache

    from kepu import captcha

    challenge_id = "fuzz-challenge"

    def restore():
        cache.set(captcha._key(challenge_id), "12", 600)

    restore()
    return signing.dumps(challenge_id, salt=captcha.SALT), restore


def public_media() -> State:
    """A public media file (an image under MEDIA_ROOT), served with byte ranges."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("images/fuzz.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 64))
    return State(user=UserFactory(), path=default_storage.url(name), kwargs={})


def judge() -> State:
    judge = JudgeFactory().user
    assignment = AssignmentFactory(judge=judge)
    return State(user=judge, kwargs={"assignment_id": assignment.pk})


def random_uuid() -> str:
    return str(uuid.uuid4())


# --- book drift -------------------------------------------------------------------------------


def drift() -> dict:
    """A running drift open to anonymous readers, with a school class, two stations, a
    reading-review contest, a copy waiting at a station, a second copy a reader holds, a
    review shown on the book's page and a published award with its certificate."""
    from competitions.bookdrift import awards
    from competitions.bookdrift.models import BookReview, DriftAward
    from tests.bookdrift.helpers import catch
    from tests.factories.bookdrift import (
        CampaignFactory,
        CopyFactory,
        SchoolClassFactory,
        StationFactory,
    )

    site()
    contest = ContestFactory(entry_kinds=[EntryKind.TEXT], title="绘本读后感征集")
    school_class = SchoolClassFactory()
    campaign = CampaignFactory(
        allow_anonymous=True,
        review_contest=contest,
        stations=[StationFactory(name="三楼图书角"), StationFactory(name="社区书屋")],
    )
    campaign.schools.add(school_class.school)
    campaign.classes.add(school_class)
    waiting = CopyFactory(campaign=campaign, book__title="大桥的骨头")
    held = CopyFactory(campaign=campaign, book=waiting.book)
    reader = UserFactory(display_name="周一航")
    catch(held, reader)
    review = BookReview.objects.create(
        entry=EntryFactory(contest=contest, kind=EntryKind.TEXT),
        book=waiting.book,
        copy=waiting,
        campaign=campaign,
        shown=True,
    )
    awards.confirm(campaign, DriftAward.Kind.BEST_READER, by=None)
    awards.publish(campaign, DriftAward.Kind.BEST_READER)
    return {
        "campaign": campaign,
        "waiting": waiting,
        "held": held,
        "reader": reader,
        "review": review,
        "school_class": school_class,
        "certificate": DriftAward.objects.get(campaign=campaign).certificate,
    }


def _step_values(drift: dict) -> dict:
    school_class = drift["school_class"]
    return {
        "token": random_uuid(),
        "unit": [f"c:{school_class.pk}", f"s:{school_class.school_id}"],
        "place": "社区图书角",
        "nickname": "书虫",
    }


def drift_copy_to_catch() -> State:
    """A copy waiting at a station and a reader who may catch it."""
    drift_ = drift()
    return State(
        user=UserFactory(),
        kwargs={"code": drift_["waiting"].code, "slug": drift_["campaign"].slug},
        values=_step_values(drift_),
    )


def drift_copy_held() -> State:
    """A copy its reader holds (they may release it to a station or hand to hand)."""
    drift_ = drift()
    stations = drift_["campaign"].stations.order_by("name")
    return State(
        user=drift_["reader"],
        kwargs={"code": drift_["held"].code},
        values={
            **_step_values(drift_),
            "destination": [f"station:{s.pk}" for s in stations] + ["hand"],
        },
    )


def drift_review_to_write() -> State:
    drift_ = drift()
    contest = drift_["campaign"].review_contest
    return State(
        user=UserFactory(),
        kwargs={"code": drift_["waiting"].code},
        values={
            "group": [contest.groups.first().pk],
            "school": [drift_["school_class"].school_id],
            "display_consent": ["on"],
        },
    )


def drift_campaign() -> State:
    """A campaign's pages; the user donates books to it and has a notice on their page."""
    from competitions.bookdrift import catalogue

    drift_ = drift()
    donated = catalogue.donate_copy(drift_["campaign"], drift_["reader"], title="会飞的种子")
    catalogue.decide_donation(donated, approve=True, by=None)
    return State(
        user=drift_["reader"],
        kwargs={"slug": drift_["campaign"].slug},
        values={"code": [drift_["waiting"].code], "isbn": ["9787020002207"]},
    )


def drift_book() -> State:
    return State(user=UserFactory(), kwargs={"pk": drift()["waiting"].book_id})


def drift_station() -> State:
    return State(user=UserFactory(), kwargs={"pk": drift()["waiting"].station_id})


def drift_review() -> State:
    return State(user=UserFactory(), kwargs={"pk": drift()["review"].pk})


def drift_certificate() -> State:
    drift_ = drift()
    return State(
        user=drift_["reader"],
        kwargs={"code": drift_["certificate"].code, "file_format": "png"},
    )
