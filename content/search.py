"""Articles, videos, campaigns, sections and topics in the site search.

Imported by the search app at start-up (its registry, search/documents.py): the pages are
searchable while live and unrestricted (search follows Wagtail's publishing itself); topics
are searchable while a live home page serves their pages. A topic renamed or deleted changes
its own document and those of its pages, which list topics by name.
"""

from django.db.models.signals import post_delete, post_save

from content.models import ArticlePage, CampaignPage, HomePage, SectionPage, Topic, VideoPage
from search.documents import (
    PageContent,
    PageType,
    SearchDocument,
    Source,
    register_page_type,
    register_source,
    stream_text,
    visibility_changed,
)


def _article(page: ArticlePage) -> PageContent:
    return PageContent(
        summary=page.summary,
        body=stream_text(page.body),
        topics=tuple(topic.name for topic in page.topics.all()),
        date=page.date,
        image=page.lead_image,
    )


def _video(page: VideoPage) -> PageContent:
    chapters = stream_text(page.chapters)
    return PageContent(
        summary=page.summary,
        body=" ".join(filter(None, [page.description, chapters, page.transcript])),
        topics=tuple(topic.name for topic in page.topics.all()),
        date=page.date,
        image=page.lead_or_poster,
    )


def _campaign(page: CampaignPage) -> PageContent:
    return PageContent(
        summary=page.intro,
        body=stream_text(page.body),
        date=page.start_date,
        image=page.hero_image,
    )


def _section(page: SectionPage) -> PageContent:
    return PageContent(summary=page.intro, date=page.last_published_at or page.first_published_at)


register_page_type(
    PageType(
        ArticlePage,
        "article",
        _article,
        select_related=("lead_image",),
        prefetch_related=("topics",),
    )
)
register_page_type(
    PageType(
        VideoPage,
        "video",
        _video,
        select_related=("lead_image", "video", "video__poster"),
        prefetch_related=("topics",),
    )
)
register_page_type(PageType(CampaignPage, "campaign", _campaign, select_related=("hero_image",)))
register_page_type(PageType(SectionPage, "page", _section))


# --- topics ------------------------------------------------------------------------------------


def public_topics():
    """Every topic, while a live home page serves the topic pages (else none)."""
    if not HomePage.objects.live().exists():
        return Topic.objects.none()
    return Topic.objects.all()


def topic_documents(queryset):
    """Documents of the topics in `queryset`: name and description, at their page's address."""
    for topic in queryset:
        url = topic.get_url()
        if not url:
            continue
        yield SearchDocument(
            key=TOPICS.key(topic.pk),
            kind="topic",
            title=topic.name,
            url=url,
            summary=topic.description,
            topics=(topic.name,),
        )


TOPICS = register_source(
    Source(prefix="topic", model=Topic, public=public_topics, documents=topic_documents)
)


def _topic_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    visibility_changed.send(sender=Topic, pks=[instance.pk])
    if not kwargs.get("created"):
        # Pages list their topics by name.
        for model in (ArticlePage, VideoPage):
            pks = model.objects.filter(topics=instance).values_list("pk", flat=True)
            visibility_changed.send(sender=model, pks=pks)


post_save.connect(_topic_changed, sender=Topic, dispatch_uid="content_search_topic_saved")
post_delete.connect(_topic_changed, sender=Topic, dispatch_uid="content_search_topic_deleted")
