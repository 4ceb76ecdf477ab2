"""The name on a certificate is the one its holder chose (DESIGN.md rule 10); public pages
keep showing it masked, and a child's full name needs the guardian's display consent."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image, ImageChops

from accounts.models import GuardianConsent, Profile, User
from competitions.core.certificates.names import (
    NameChoice,
    choose_name,
    masked_name,
    name_options,
    name_to_print,
)
from competitions.core.site_context import site_context
from competitions.quizzes.certificates import images as certificate_images
from competitions.quizzes.certificates.services import issue_certificate
from competitions.submissions.models import AwardCertificate
from tests.factories.quizzes import QuizFactory
from tests.factories.reach import site_home
from tests.factories.users import (
    ChildFactory,
    GuardianConsentFactory,
    PhoneUserFactory,
    UserFactory,
)
from tests.quizzes.certificate_helpers import finished_attempt
from tests.submissions.results.helpers import published_contest

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture(autouse=True)
def site():
    return site_home(organiser="示范市科学技术协会")


def quiz_certificate(user):
    quiz = QuizFactory(title="防疫知识网上有奖竞答")
    return issue_certificate(finished_attempt(user, quiz=quiz, score=5, max_score=5).pk)


def agree_to_display(child):
    GuardianConsentFactory(child=child, scope=GuardianConsent.Scope.DISPLAY)


def drawn(certificate) -> Image.Image:
    context = site_context(RequestFactory().get("/"))
    return certificate_images.KIND.render(certificate, context, dpi=60)


def test_public_names_are_masked_nickname_first_then_phone_then_email():
    assert masked_name(UserFactory(display_name="Ada Lovelace")) == "A***********"
    assert masked_name(PhoneUserFactory(phone="+8613812345678")) == "138****5678"
    assert masked_name(UserFactory(email="zhang.san@example.org")) == "z***@example.org"
    assert masked_name(ChildFactory(display_name="李小明")) == "李**"


def test_a_new_certificate_prints_the_masked_name_until_its_holder_chooses():
    holder = UserFactory(display_name="张三丰")
    certificate = quiz_certificate(holder)

    assert certificate.name_choice == NameChoice.MASKED
    assert name_to_print(certificate, holder) == "张**"


def test_an_adult_prints_the_real_name_typed_while_choosing_and_it_joins_the_profile():
    holder = UserFactory(display_name="张三丰")
    certificate = quiz_certificate(holder)

    choose_name(certificate, holder, NameChoice.REAL_NAME, " 张  小明 ")

    certificate.refresh_from_db()
    assert name_to_print(certificate, holder) == "张 小明"
    assert Profile.objects.get(user=holder).real_name == "张 小明"


def test_the_drawn_certificate_carries_the_chosen_name():
    holder = UserFactory(display_name="张三丰")
    certificate = quiz_certificate(holder)
    choose_name(certificate, holder, NameChoice.NICKNAME)
    certificate.refresh_from_db()

    # Drawn with the nickname chosen, it is pixel for pixel the certificate whose issued
    # name is "张三丰"; the masked one differs.
    chosen = drawn(certificate)
    certificate.holder_name = "张三丰"
    certificate.name_choice = NameChoice.MASKED
    as_if_issued_so = drawn(certificate)
    certificate.holder_name = "张**"
    masked = drawn(certificate)

    assert ImageChops.difference(chosen, as_if_issued_so).getbbox() is None
    assert ImageChops.difference(chosen, masked).getbbox() is not None


def test_a_child_without_display_consent_can_only_print_the_masked_name():
    child = ChildFactory(display_name="李小明", consent_status=User.ConsentStatus.GRANTED)
    certificate = quiz_certificate(child)

    assert [option.choice for option in name_options(child)] == [NameChoice.MASKED]
    with pytest.raises(ValidationError) as refused:
        choose_name(certificate, child, NameChoice.REAL_NAME, "李小明")

    assert refused.value.code == "needs_guardian"
    certificate.refresh_from_db()
    assert certificate.name_choice == NameChoice.MASKED
    assert not Profile.objects.filter(user=child, real_name="李小明").exists()


def test_a_child_whose_guardian_agreed_may_print_the_name_until_the_consent_is_withdrawn():
    child = ChildFactory(display_name="李小明", consent_status=User.ConsentStatus.GRANTED)
    agree_to_display(child)
    certificate = quiz_certificate(child)

    choose_name(certificate, child, NameChoice.NICKNAME)
    certificate.refresh_from_db()
    assert name_to_print(certificate, child) == "李小明"

    GuardianConsentFactory(
        child=child,
        scope=GuardianConsent.Scope.DISPLAY,
        decision=GuardianConsent.Decision.REFUSE,
    )
    assert name_to_print(certificate, child) == "李**"


def test_an_empty_nickname_or_an_unprintable_name_is_refused_and_changes_nothing():
    holder = PhoneUserFactory(display_name="")
    certificate = quiz_certificate(holder)

    with pytest.raises(ValidationError):
        choose_name(certificate, holder, NameChoice.NICKNAME)
    with pytest.raises(ValidationError):
        choose_name(certificate, holder, NameChoice.REAL_NAME, "张\u202e三")
    with pytest.raises(ValidationError):
        choose_name(certificate, holder, NameChoice.REAL_NAME, "张" * 41)
    with pytest.raises(ValidationError):
        choose_name(certificate, holder, "everyone")

    certificate.refresh_from_db()
    assert certificate.name_choice == NameChoice.MASKED
    assert not Profile.objects.filter(user=holder).exists()


def test_the_holder_chooses_on_the_result_page_and_downloads_the_certificate_again(client):
    holder = UserFactory(display_name="张三丰")
    certificate = quiz_certificate(holder)
    client.force_login(holder)
    result_url = reverse("quizzes:result", args=[certificate.attempt.public_id])
    before = client.get(reverse("quizzes:certificate_png", args=[certificate.code])).content

    page = client.get(result_url).content.decode()
    assert reverse("quizzes:certificate_name", args=[certificate.code]) in page
    response = client.post(
        reverse("quizzes:certificate_name", args=[certificate.code]),
        {"choice": "real_name", "real_name": "张小明"},
    )

    assert response.status_code == 302 and response["Location"] == result_url
    after = client.get(reverse("quizzes:certificate_png", args=[certificate.code])).content
    assert after != before
    certificate.refresh_from_db()
    assert (
        ImageChops.difference(
            Image.open(io.BytesIO(after)).convert("RGB"),
            certificate_images.KIND.render(certificate, site_context(RequestFactory().get("/"))),
        ).getbbox()
        is None
    )
    # The public verification page keeps the name masked.
    verify = Client().get(reverse("quizzes:certificate_verify", args=[certificate.code]))
    assert "张**" in verify.content.decode() and "张小明" not in verify.content.decode()


def test_only_the_holder_may_choose_the_name_and_the_form_needs_its_csrf_token():
    holder = UserFactory(display_name="张三丰")
    certificate = quiz_certificate(holder)
    url = reverse("quizzes:certificate_name", args=[certificate.code])

    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.post(url, {"choice": "nickname"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(holder)
    assert strict.post(url, {"choice": "nickname"}).status_code == 403
    assert Client().post(url, {"choice": "nickname"}).status_code == 302  # to sign in

    certificate.refresh_from_db()
    assert certificate.name_choice == NameChoice.MASKED


def test_a_student_finds_award_certificates_on_my_entries_and_chooses_the_name(client):
    _contest, entries, *_ = published_contest()
    author = entries[0].author
    certificate = AwardCertificate.objects.get(
        award__entry=entries[0], holder=AwardCertificate.Holder.STUDENT
    )
    client.force_login(author)

    html = client.get(reverse("contests:my_entries")).content.decode()
    assert reverse("contests:award_certificate_pdf", args=[certificate.code]) in html
    assert reverse("contests:award_certificate_name", args=[certificate.code]) in html

    response = client.post(
        reverse("contests:award_certificate_name", args=[certificate.code]),
        {"choice": "nickname"},
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert name_to_print(certificate, author) == author.display_name
    teacher = AwardCertificate.objects.get(
        award__entry=entries[0], holder=AwardCertificate.Holder.TEACHER
    )
    assert name_to_print(teacher, None) == "王老师"
