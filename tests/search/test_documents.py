"""What each source puts in the index, and what it never does."""

import datetime

import pytest
import wagtail_factories
from django.utils import timezone
from wagtail.models import PageViewRestriction

from competitions.quizzes.models import QuizPage
from competitions.submissions.models import ContestPage, Entry, ExhibitedEntry
from content.blocks import BodyBlock
from search import documents
from search.constants import MAX_BODY_CHARS
from tests.factories.contests import ContestFactory, EntryFactory
from tests.factories.pages import (
    ArticlePageFactory,
    CampaignPageFactory,
    TopicFactory,
    VideoPageFactory,
)
from tests.factories.quizzes import QuizFactory
from tests.factories.users import UserFactory
from tests.search.site_helpers import home_fixture, section_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def every_block_body(linked_page):
    """One block of every kind BodyBlock offers, each with a distinctive word (stored form)."""
    image = wagtail_factories.ImageFactory()
    document = wagtail_factories.DocumentFactory(title="防汛手册下载")
    raw = [
        ("heading", {"text": "标题词汇甲"}),
        ("paragraph", "<p>段落&amp;词汇<b>乙</b></p>"),
        ("image", {"image": image.pk, "caption": "图片说明丙", "credit": "摄影丁"}),
        ("video_embed", "https://www.bilibili.com/video/BV1xx411c7mD"),
        ("quote", {"text": "引用词汇戊", "attribution": "某科学家己"}),
        ("knowledge_card", {"title": "你知道吗", "text": "知识卡片庚"}),
        ("key_points", {"title": "要点", "points": ["要点辛", "要点壬"]}),
        (
            "gallery",
            {
                "title": "图集癸",
                "images": [{"image": image.pk, "caption": "图集说明子", "credit": ""}] * 2,
            },
        ),
        (
            "table",
            {
                "data": [["表头丑", "表头寅"], ["单元格卯", None]],
                "table_caption": "表格标题辰",
                "first_row_is_table_header": True,
                "first_col_is_header": False,
            },
        ),
        ("document", {"document": document.pk, "title": ""}),
        (
            "competition_cta",
            {
                "page": linked_page.pk,
                "title": "号召标题巳",
                "text": "号召正文午",
                "button_label": "参与",
            },
        ),
    ]
    return BodyBlock().to_python([{"type": name, "value": value} for name, value in raw])


def test_article_document_has_body_text_from_every_block_kind(section):
    topic = TopicFactory(name="防汛")
    article = ArticlePageFactory(parent=section, title="汛期安全指南", topics=[topic])
    article.body = every_block_body(section)
    article.save_revision().publish()
    block_names = {child.block_type for child in article.body}
    # A new block kind must be added to the test body above (and so checked below).
    assert block_names | {"video"} == set(BodyBlock().child_blocks)

    document = documents.document_for_key(f"page:{article.pk}")

    assert document.kind == "article"
    assert document.title == "汛期安全指南"
    assert document.url == article.url
    for word in [
        "标题词汇甲",
        "段落&词汇乙",
        "图片说明丙",
        "摄影丁",
        "引用词汇戊",
        "某科学家己",
        "知识卡片庚",
        "要点辛",
        "要点壬",
        "图集癸",
        "图集说明子",
        "表头丑",
        "单元格卯",
        "表格标题辰",
        "防汛手册下载",
        "号召标题巳",
        "号召正文午",
    ]:
        assert word in document.body, word
    assert "bilibili" not in document.body
    assert "<" not in document.body
    assert document.topics == ("防汛",)
    assert document.section == "健康生活"
    assert document.date == timezone.make_aware(
        datetime.datetime.combine(article.date, datetime.time.min)
    )
    assert article.title in document.suggest


def test_video_document_has_transcript_description_topics_and_image(section):
    image = wagtail_factories.ImageFactory()
    video = VideoPageFactory(
        parent=section,
        title="彩虹是怎样形成的",
        transcript="阳光穿过雨滴发生折射和反射。",
        description="一段关于光学的短片",
        lead_image=image,
        date=datetime.date(2026, 5, 1),
    )

    document = documents.document_for_key(f"page:{video.pk}")

    assert document.kind == "video"
    assert "阳光穿过雨滴发生折射和反射" in document.body
    assert "一段关于光学的短片" in document.body
    assert document.summary == video.summary
    assert document.image_url.startswith("/") or document.image_url.startswith("http")
    assert document.date.date() == datetime.date(2026, 5, 1)


def test_campaign_section_quiz_and_contest_pages_have_documents(home, section):
    campaign = CampaignPageFactory(parent=home, title="全国科普日活动")
    quiz = QuizFactory(title="防疫知识竞答二〇二六")
    quiz_page = home.add_child(
        instance=QuizPage(title="防疫有奖竞答", slug="quiz", quiz=quiz, summary="答题赢奖品")
    )
    contest = ContestFactory(title="科学家故事读后感征集")
    contest_page = section.add_child(
        instance=ContestPage(
            title="读后感征集", slug="contest", contest=contest, summary="征集读后感"
        )
    )

    by_key = {doc.key: doc for doc in documents.all_documents()}

    assert by_key[f"page:{campaign.pk}"].kind == "campaign"
    assert by_key[f"page:{campaign.pk}"].summary == "一年一度的科普盛会。"
    assert by_key[f"page:{section.pk}"].kind == "page"
    assert by_key[f"page:{quiz_page.pk}"].kind == "quiz"
    assert "防疫知识竞答二〇二六" in by_key[f"page:{quiz_page.pk}"].body
    assert by_key[f"page:{quiz_page.pk}"].date == quiz.opens_at
    assert by_key[f"page:{contest_page.pk}"].kind == "contest"
    assert by_key[f"page:{contest_page.pk}"].section == "健康生活"
    assert f"page:{home.pk}" not in by_key  # the home page is not a search result


def test_draft_and_private_pages_are_never_documents(section):
    draft = ArticlePageFactory(parent=section, title="草稿文章", live=False)
    private = ArticlePageFactory(parent=section, title="内部文章")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    public = ArticlePageFactory(parent=section, title="公开文章")

    keys = documents.public_keys()
    titles = {doc.title for doc in documents.all_documents()}

    assert documents.document_for_key(f"page:{draft.pk}") is None
    assert documents.document_for_key(f"page:{private.pk}") is None
    assert f"page:{draft.pk}" not in keys and f"page:{private.pk}" not in keys
    assert "草稿文章" not in titles and "内部文章" not in titles
    assert f"page:{public.pk}" in keys and "公开文章" in titles


def test_pages_below_a_private_section_are_not_documents(home):
    from tests.factories.pages import SectionPageFactory

    members = SectionPageFactory(parent=home, title="会员专区")
    PageViewRestriction.objects.create(page=members, restriction_type="password", password="x")
    inside = ArticlePageFactory(parent=members, title="会员文章")

    assert documents.document_for_key(f"page:{inside.pk}") is None
    assert f"page:{inside.pk}" not in documents.public_keys()


def test_topics_have_documents_under_the_home_page(home):
    topic = TopicFactory(name="航天", slug="space", description="飞向太空")

    document = documents.document_for_key(f"topic:{topic.pk}")

    assert document.kind == "topic"
    assert document.url.endswith("/topics/space/")
    assert document.summary == "飞向太空"


def exhibited_contest():
    contest = ContestFactory(phase="results", title="昆虫记读后感征集")
    author = UserFactory(display_name="王小明")
    entry = EntryFactory(
        contest=contest,
        title="小小观察家",
        description="我观察了蚂蚁搬家",
        text="蚂蚁排成长队。",
        grade="四年级",
        teacher="赵老师",
        author=author,
    )
    ExhibitedEntry.objects.create(entry=entry)
    return contest, entry


def test_an_exhibited_work_has_public_fields_only():
    contest, entry = exhibited_contest()

    document = documents.document_for_key(f"work:{entry.pk}")

    assert document.kind == "work"
    assert document.title == "小小观察家"
    assert "蚂蚁排成长队" in document.body
    assert document.summary == "我观察了蚂蚁搬家"
    assert document.section == "昆虫记读后感征集"
    assert document.url == f"/contest/{contest.pk}/exhibition/{entry.number}/"
    text = repr(document)
    for personal in ["王小明", "四年级", "赵老师", entry.author.email]:
        assert personal not in text


def test_works_without_display_consent_drafts_and_early_results_are_not_documents():
    contest, shown = exhibited_contest()
    private = EntryFactory(contest=contest, title="不公开的作品", display_consent=False)
    ExhibitedEntry.objects.create(entry=private)
    draft = EntryFactory(
        contest=contest, title="草稿作品", status=Entry.Status.DRAFT, number=None, submitted_at=None
    )
    not_chosen = EntryFactory(contest=contest, title="未入选作品")
    early = ContestFactory(phase="review")
    hidden = EntryFactory(contest=early, title="评审中的作品")
    ExhibitedEntry.objects.create(entry=hidden)

    keys = documents.public_keys()

    assert f"work:{shown.pk}" in keys
    for entry in (private, draft, not_chosen, hidden):
        assert f"work:{entry.pk}" not in keys
        assert documents.document_for_key(f"work:{entry.pk}") is None


def test_unknown_or_malformed_keys_have_no_document():
    for key in ["page:999999", "work:abc", "nothing:1", "", "page:"]:
        assert documents.document_for_key(key) is None


def test_documents_are_built_in_bulk_with_a_bounded_number_of_queries(
    section, django_assert_max_num_queries
):
    topic = TopicFactory(name="健康")
    for n in range(3):
        ArticlePageFactory(parent=section, title=f"少量文章{n}", topics=[topic])
    with django_assert_max_num_queries(200) as few:
        small = list(documents.all_documents())
    for n in range(30):
        ArticlePageFactory(parent=section, title=f"更多文章{n}", topics=[topic])

    with django_assert_max_num_queries(len(few.captured_queries) + 5):
        many = list(documents.all_documents())

    assert len(many) == len(small) + 30


def test_every_app_registers_its_own_sources_and_page_types_pages_first():
    assert list(documents.sources())[:3] == ["page", "topic", "work"]
    assert {"book", "review", "drift"} <= set(documents.sources())
    kinds = [page_type.kind for page_type in documents.page_types().values()]
    assert kinds == ["article", "video", "campaign", "page", "quiz", "contest"]


def test_a_sources_bodies_are_cut_and_get_their_titles_suggestions(monkeypatch):
    owner = UserFactory()

    def long_documents(queryset):
        for user in queryset:
            yield documents.SearchDocument(
                key=f"person:{user.pk}", kind="work", title="科普", url="/", body="长" * 20_000
            )

    source = documents.Source(
        prefix="person",
        model=type(owner),
        public=lambda: type(owner).objects.filter(pk=owner.pk),
        documents=long_documents,
    )
    monkeypatch.setattr(documents, "_sources", dict(documents._sources))
    documents.register_source(source)

    (document,) = documents.documents_for_keys([source.key(owner.pk)])

    assert len(document.body) == MAX_BODY_CHARS
    assert document.suggest == ("科普", "kepu", "kp")
