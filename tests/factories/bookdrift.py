"""Books, drift campaigns running today, stations, classes and copies, for tests."""

import datetime

import factory

from competitions.bookdrift import codes
from competitions.bookdrift.models import (
    Book,
    BookCopy,
    DriftCampaign,
    SchoolClass,
    Station,
)
from competitions.core.models import Unit
from kepu.days import local_day

DAY = datetime.timedelta(days=1)


class SchoolFactory(factory.django.DjangoModelFactory):
    kind = Unit.Kind.SCHOOL
    name = factory.Sequence(lambda n: f"实验小学{n}")

    class Meta:
        model = Unit


class SchoolClassFactory(factory.django.DjangoModelFactory):
    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"三年级（{n}）班")

    class Meta:
        model = SchoolClass


class BookFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"星星的摆渡人{n}")
    author = "文：林小川"
    publisher = "示范少年儿童出版社"
    summary = "一位天文学家的童年。"

    class Meta:
        model = Book


class StationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"图书角{n}")
    kind = Station.Kind.CLASS_CORNER

    class Meta:
        model = Station


class CampaignFactory(factory.django.DjangoModelFactory):
    """A public campaign running today (20-day reading period) with one station."""

    title = factory.Sequence(lambda n: f"绘本漂流季{n}")
    slug = factory.Sequence(lambda n: f"piaoliu-{n}")
    starts_on = factory.LazyFunction(lambda: local_day() - 30 * DAY)
    ends_on = factory.LazyFunction(lambda: local_day() + 30 * DAY)
    reading_days = 20
    reminder_interval_days = 7

    class Meta:
        model = DriftCampaign
        skip_postgeneration_save = True

    @factory.post_generation
    def stations(self, create, extracted, **kwargs):
        if create:
            self.stations.set(extracted if extracted is not None else [StationFactory()])


class CopyFactory(factory.django.DjangoModelFactory):
    """An approved copy waiting at its campaign's first station."""

    campaign = factory.SubFactory(CampaignFactory)
    book = factory.SubFactory(BookFactory)
    code = factory.LazyFunction(codes.generate)
    number = factory.Sequence(lambda n: n + 1)
    state = BookCopy.State.AT_STATION
    station = factory.LazyAttribute(lambda o: o.campaign.stations.first())

    class Meta:
        model = BookCopy
