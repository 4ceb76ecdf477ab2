"""Page types of the public site: home, sections (栏目), articles, videos, campaigns (专题).

Topics are a managed taxonomy (a snippet) with a public page per topic served by the home
page.
"""

import math

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from kepu.days import local_day
from kepu.public_url import public_page_url

from .. import blocks
from ..embeds import embed_for_url
from ..feeds import SectionFeed
from ..open_now import open_now

# Chinese readers take in roughly 400 characters a minute of popular-science prose.
READING_CHARS_PER_MINUTE = 400
SECTION_PAGE_SIZE = 12


class Topic(index.Indexed, models.Model):
    """A subject such as 防疫 or 航天; pages carry several, each topic has a public page."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Used in the topic's address, e.g. /topics/space/."),
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    def get_url(self, request=None) -> str:
        home = HomePage.objects.live().first()
        if home is None:
            return ""
        return home.get_url(request=request) + home.reverse_subpage("topic", args=[self.slug])


def published_items(parent=None):
    """Live, public articles and videos (of one section, if given), newest first.

    "Newest" is the date shown to readers (an editor may back-date an imported article),
    then the first publication time.
    """
    pages = Page.objects.live().public().type(ArticlePage, VideoPage)
    if parent is not None:
        pages = pages.child_of(parent)
    return (
        pages.annotate(item_date=Coalesce("articlepage__date", "videopage__date"))
        .order_by("-item_date", "-first_published_at", "-pk")
        .specific()
    )


def with_topic(pages, topic):
    return pages.filter(Q(articlepage__topics=topic) | Q(videopage__topics=topic)).distinct()


def _paginate(request, queryset, per_page=SECTION_PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


class HomePage(RoutablePageMixin, Page):
    """The site's front page; also serves the topic pages (/topics/ and /topics/<slug>/)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured_items", label=_("Featured items"), max_num=6),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "content.SectionPage",
        "content.CampaignPage",
        "quizzes.QuizPage",
        "submissions.ContestPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = [
            item.page.specific
            for item in self.featured_items.select_related("page")
            if item.page.live and item.page.specific_class is not None
        ]
        featured_ids = {page.pk for page in featured}
        request.open_now = getattr(request, "open_now", None) or open_now()
        latest = published_items().exclude(pk__in=featured_ids)
        context.update(
            featured=featured,
            latest_articles=latest.type(ArticlePage)[:6],
            latest_videos=latest.type(VideoPage)[:4],
            sections=SectionPage.objects.child_of(self).live().public().in_menu(),
            campaigns=CampaignPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-start_date")[:3],
            home_sections=home_sections(request, self),
            open_now=request.open_now.items,
            topics=Topic.objects.all(),
        )
        return context

    def serve(self, request, *args, **kwargs):
        # What is open changes at known moments: the cached page lives no longer than that.
        request.open_now = open_now()
        response = super().serve(request, *args, **kwargs)
        next_change = request.open_now.next_change
        if next_change is not None:
            seconds = int((next_change - timezone.now()).total_seconds())
            response.page_cache_timeout = max(seconds, 1)
        return response

    def feed_items(self):
        """What the site's feed (/feed/) lists: every live, public article and video."""
        return published_items()

    def get_sitemap_urls(self, request=None):
        return [*super().get_sitemap_urls(request), *_topic_sitemap_urls(self, request)]

    @path("topics/", name="topics")
    def topic_index(self, request):
        return render(
            request,
            "content/topic_index.html",
            {"page": self, "topics": Topic.objects.all(), "meta_title": _("Topics")},
        )

    @re_path(r"^topics/(?P<slug>[-\w]+)/$", name="topic")
    def topic(self, request, slug):
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404(_("No such topic."))
        items = with_topic(published_items(), topic)
        return render(
            request,
            "content/topic_page.html",
            {
                "page": self,
                "topic": topic,
                "items": _paginate(request, items),
                "meta_title": topic.name,
                "meta_description": topic.description,
            },
        )


def _topic_sitemap_urls(home, request):
    base = public_page_url(home, request)
    return [
        {"location": base + home.reverse_subpage("topic", args=[topic.slug])}
        for topic in Topic.objects.all()
    ]


def home_sections(request, home) -> list[dict]:
    """Blocks other apps add to the home page (e.g. open competitions).

    An app registers a function with `@hooks.register("kepu_home_sections")` that takes
    `(request, home)` and returns None or a dict with "template" and its context; the
    dicts are rendered in order of an optional "order" key.
    """
    sections = [fn(request, home) for fn in hooks.get_hooks("kepu_home_sections")]
    return sorted((s for s in sections if s), key=lambda s: s.get("order", 100))


class HomeFeaturedItem(Orderable):
    home = ParentalKey(HomePage, related_name="featured_items", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )

    panels = [FieldPanel("page", classname="full")]


class SectionPage(RoutablePageMixin, Page):
    """A section (栏目): lists its articles and videos newest first, filterable by topic."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = [
        "content.ArticlePage",
        "content.VideoPage",
        "quizzes.QuizPage",
        "submissions.ContestPage",
    ]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    @path("")
    def index(self, request):
        items = published_items(self)
        topic = None
        topic_slug = request.GET.get("topic", "")
        if topic_slug:
            topic = Topic.objects.filter(slug=topic_slug[:60]).first()
            if topic is None:
                raise Http404(_("No such topic."))
            items = with_topic(items, topic)
        children = Q(path__startswith=self.path, depth=self.depth + 1, live=True)
        section_topics = Topic.objects.filter(
            Q(articlepage__in=ArticlePage.objects.filter(children))
            | Q(videopage__in=VideoPage.objects.filter(children))
        ).distinct()
        return self.render(
            request,
            context_overrides={
                "items": _paginate(request, items),
                "topic": topic,
                "section_topics": section_topics,
            },
        )

    def feed_items(self):
        """What the section's feed lists: its live, public articles and videos, newest first."""
        return published_items(self)

    @path("feed/", name="feed")
    def feed(self, request):
        return SectionFeed()(request, section=self)


class ContentPage(Page):
    """What articles and videos share: summary, lead image, topics, date, related items."""

    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("One or two sentences shown in lists and shares.")
    )
    lead_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("lead image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True)
    date = models.DateField(
        _("publication date"),
        default=timezone.localdate,
        help_text=_("The date shown to readers."),
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("date"),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types = []

    class Meta:
        abstract = True

    def related_items(self, limit=4) -> list[Page]:
        """Editor-chosen related pages first, then the newest pages sharing a topic."""
        chosen = [
            item.page.specific
            for item in self.related_links.all()
            if item.page.live and item.page.pk != self.pk
        ][:limit]
        # Works on a preview too, where topics are an in-memory cluster, not a query.
        topic_ids = [topic.pk for topic in self.topics.all()]
        if len(chosen) >= limit or not topic_ids:
            return chosen
        shared = (
            published_items()
            .filter(Q(articlepage__topics__in=topic_ids) | Q(videopage__topics__in=topic_ids))
            .exclude(pk__in={self.pk, *(page.pk for page in chosen)})
            .distinct()
        )
        return chosen + list(shared[: limit - len(chosen)])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related"] = self.related_items()
        context["section"] = self.get_parent().specific if self.depth > 1 else None
        return context


class ArticlePage(ContentPage):
    """A popular-science article (科普文章)."""

    kind = "article"

    body = StreamField(blocks.BodyBlock(), verbose_name=_("body"))
    author = models.CharField(_("author"), max_length=80, blank=True)
    source = models.CharField(_("source"), max_length=80, blank=True)
    source_url = models.URLField(_("original link"), blank=True)
    editor = models.CharField(_("responsible editor"), max_length=40, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(
        _("reading time (minutes)"), default=1, editable=False
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("author"), FieldPanel("editor")]),
                FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
                FieldPanel("date"),
            ],
            heading=_("Credits"),
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        InlinePanel("related_links", label=_("Related items"), max_num=4),
    ]
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("body"),
        index.SearchField("author"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def body_text(self) -> str:
        return strip_tags(" ".join(str(block.render_as_block()) for block in self.body))

    def save(self, *args, **kwargs):
        text = "".join(self.body_text().split())
        self.reading_minutes = max(1, math.ceil(len(text) / READING_CHARS_PER_MINUTE))
        return super().save(*args, **kwargs)


class VideoPage(ContentPage):
    """A science video: an uploaded video (transcoded for phones) or an embed."""

    kind = "video"

    video = models.ForeignKey(
        "content.Video",
        verbose_name=_("uploaded video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Contest entry videos have no public MP4 (private outputs): never on a page.
        limit_choices_to={"private_outputs": False},
        help_text=_("Converted for phones after upload; subtitles are set on the video."),
    )
    embed_url = models.URLField(
        _("embed link"),
        blank=True,
        help_text=_("A Bilibili, Tencent Video or Youku address, used when no video is uploaded."),
    )
    description = models.TextField(_("description"), blank=True)
    chapters = StreamField(
        blocks.ChaptersBlock(), verbose_name=_("chapters"), blank=True, default=list
    )
    transcript = models.TextField(
        _("transcript"), blank=True, help_text=_("The spoken text, for readers and search.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        MultiFieldPanel([FieldPanel("video"), FieldPanel("embed_url")], heading=_("Video")),
        FieldPanel("description"),
        FieldPanel("chapters"),
        FieldPanel("transcript"),
        FieldPanel("date"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        InlinePanel("related_links", label=_("Related items"), max_num=4),
    ]
    search_fields = [
        *ContentPage.search_fields,
        index.SearchField("description"),
        index.SearchField("transcript"),
        index.SearchField("chapters"),
    ]

    @property
    def lead_or_poster(self):
        return self.lead_image or (self.video.poster if self.video_id else None)

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")

    def clean(self):
        super().clean()
        if self.embed_url:
            if embed_for_url(self.embed_url) is None:
                raise ValidationError({"embed_url": blocks.UNSUPPORTED_EMBED_MESSAGE})
        elif self.video_id is None:
            raise ValidationError(
                {"video": _("Choose an uploaded video or paste the address of an embed.")}
            )

    @property
    def embed_html(self) -> str:
        embed = embed_for_url(self.embed_url) if self.embed_url else None
        return embed["html"] if embed else ""


class RelatedLink(Orderable):
    """An editor's choice of related item, shown before those found by shared topics."""

    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        abstract = True


class ArticleRelatedLink(RelatedLink):
    source_page = ParentalKey(ArticlePage, related_name="related_links", on_delete=models.CASCADE)


class VideoRelatedLink(RelatedLink):
    source_page = ParentalKey(VideoPage, related_name="related_links", on_delete=models.CASCADE)


class CampaignPage(Page):
    """A campaign landing page (专题) such as 全国科普日: hero, intro, curated items, links."""

    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = models.TextField(_("introduction"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    body = StreamField(blocks.BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_image"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("body"),
        InlinePanel("items", label=_("Curated items")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="campaign_ends_after_start",
            )
        ]

    @property
    def lead_image(self):
        return self.hero_image

    @property
    def summary(self) -> str:
        return self.intro

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def status(self) -> str:
        today = local_day()
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "ended"
        return "running"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["curated"] = [
            item.page.specific for item in self.items.select_related("page") if item.page.live
        ]
        return context


class CampaignItem(Orderable):
    campaign = ParentalKey(CampaignPage, related_name="items", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )

    panels = [FieldPanel("page")]
