import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("correct horse battery")

    class Meta:
        model = User
        skip_postgeneration_save = True


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True
