import datetime

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.rich_text import RichText

from content.models import ArticlePage, CampaignPage, HomePage, SectionPage, Topic, VideoPage


class HomePageFactory(wagtail_factories.PageFactory):
    title = "科普在线"
    intro = "身边的科学，一点就懂。"

    class Meta:
        model = HomePage


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"主题{n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)


class SectionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    intro = "栏目介绍"
    show_in_menus = True

    class Meta:
        model = SectionPage


def paragraph(text: str):
    return ("paragraph", RichText(f"<p>{text}</p>"))


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"科普文章{n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "一篇用来测试的科普文章摘要。"
    author = "张三"
    source = "本站原创"
    editor = "李四"
    date = factory.LazyFunction(timezone.localdate)
    body = factory.LazyFunction(lambda: [paragraph("水在零摄氏度时结冰。")])

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.save()


class VideoPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"科普视频{n}")
    slug = factory.Sequence(lambda n: f"video-{n}")
    summary = "一段用来测试的科普视频。"
    description = "视频简介"
    transcript = "大家好，今天我们来讲一讲彩虹。"
    embed_url = "https://www.bilibili.com/video/BV1xx411c7mD"
    date = factory.LazyFunction(timezone.localdate)

    class Meta:
        model = VideoPage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            self.save()


class CampaignPageFactory(wagtail_factories.PageFactory):
    title = "全国科普日"
    slug = factory.Sequence(lambda n: f"campaign-{n}")
    intro = "一年一度的科普盛会。"
    start_date = datetime.date(2026, 9, 15)
    end_date = datetime.date(2026, 9, 30)

    class Meta:
        model = CampaignPage
