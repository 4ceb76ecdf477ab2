import factory

from accounts.models import GuardianConsent, Profile, User

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    """An adult who signed up by e-mail and went through the age step."""

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password(PASSWORD)
    birth_year = 1990
    birth_month = 6

    class Meta:
        model = User
        skip_postgeneration_save = True


class PhoneUserFactory(UserFactory):
    """An adult who signed up with a verified mobile number and no e-mail address."""

    email = ""
    phone = factory.Sequence(lambda n: f"+86139{n:08d}")
    phone_verified = True


class ChildFactory(PhoneUserFactory):
    """A ten-year-old whose guardian has not decided yet."""

    birth_year = factory.LazyFunction(lambda: _years_ago(10))
    consent_status = User.ConsentStatus.PENDING


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    real_name = "张小明"
    region = "杭州市西湖区"
    school = "西湖小学"
    grade = Profile.Grade.PRIMARY_4

    class Meta:
        model = Profile


class GuardianConsentFactory(factory.django.DjangoModelFactory):
    child = factory.SubFactory(ChildFactory, consent_status=User.ConsentStatus.GRANTED)
    guardian_phone = "+8613700000001"
    decision = GuardianConsent.Decision.AGREE
    scope = GuardianConsent.Scope.ACCOUNT
    policy_version = "2026-11"

    class Meta:
        model = GuardianConsent


def _years_ago(years: int) -> int:
    from kepu.days import local_day

    return local_day().year - years


class PupilFactory(ChildFactory):
    """A ten-year-old whose guardian agreed to the account (not to public display)."""

    consent_status = User.ConsentStatus.GRANTED
    display_name = factory.Sequence(lambda n: f"小明{n}")
