"""StreamField blocks for articles and campaigns; each has one template under blocks/."""

from django import forms
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock, TableInput
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .embeds import embed_for_url

UNSUPPORTED_EMBED_MESSAGE = _(
    "This address is not a supported video. Paste the address of a video page on Bilibili "
    "(bilibili.com/video/…), Tencent Video (v.qq.com) or Youku (v.youku.com)."
)

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=80)

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)
    credit = blocks.CharBlock(
        label=_("credit"), required=False, max_length=80, help_text=_("Photographer or source.")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class VideoEmbedBlock(EmbedBlock):
    """A video from a Chinese video site, checked against our finders when saved."""

    def clean(self, value):
        if isinstance(value, str):
            value = self.to_python(value)
        if value and value.url and embed_for_url(value.url) is None:
            raise ValidationError(UNSUPPORTED_EMBED_MESSAGE)
        return super().clean(value)

    class Meta:
        icon = "media"
        label = _("Video embed")
        template = "blocks/video_embed.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=80)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class KnowledgeCardBlock(blocks.StructBlock):
    """知识卡片: a boxed fact, such as "你知道吗"."""

    title = blocks.CharBlock(label=_("title"), max_length=40, default="你知道吗")
    text = blocks.TextBlock(label=_("text"))

    class Meta:
        icon = "help"
        label = _("Knowledge card")
        template = "blocks/knowledge_card.html"


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=40, default="要点")
    points = blocks.ListBlock(
        blocks.CharBlock(label=_("point"), max_length=200), label=_("points"), min_num=1
    )

    class Meta:
        icon = "list-ul"
        label = _("Key points")
        template = "blocks/key_points.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=80)
    images = blocks.ListBlock(ImageBlock(), label=_("images"), min_num=2, max_num=12)

    class Meta:
        icon = "image"
        label = _("Gallery")
        template = "blocks/gallery.html"


class ChineseTableInput(TableInput):
    """Wagtail's table editor, with Handsontable's menus in Chinese: Wagtail ships only its
    English dictionary, and Handsontable reports any other language as an error."""

    @cached_property
    def media(self):
        return super().media + forms.Media(js=[static("js/handsontable-zh-cn.js")])


class DataTableBlock(TableBlock):
    """A table whose editor's menus speak Chinese (static/js/handsontable-zh-cn.js)."""

    def __init__(self, *args, table_options=None, **kwargs):
        super().__init__(
            *args, table_options={"language": "zh-CN", **(table_options or {})}, **kwargs
        )

    @cached_property
    def field(self):
        return forms.CharField(
            widget=ChineseTableInput(table_options=self.table_options), **self.field_options
        )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "blocks/table.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("link text"), required=False, max_length=80, help_text=_("Defaults to its title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "blocks/document.html"


class CompetitionCallToActionBlock(blocks.StructBlock):
    """Points readers at a quiz or contest (any page, so it works before they exist)."""

    page = blocks.PageChooserBlock(label=_("competition page"))
    title = blocks.CharBlock(label=_("title"), max_length=60)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=200)
    button_label = blocks.CharBlock(label=_("button label"), max_length=20, default="立即参与")

    class Meta:
        icon = "pick"
        label = _("Call to action: competition")
        template = "blocks/competition_cta.html"


class BodyBlock(blocks.StreamBlock):
    """The body of articles and campaign pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Paragraph"), template="blocks/paragraph.html"
    )
    image = ImageBlock()
    video = SnippetChooserBlock(
        "content.Video", label=_("Uploaded video"), icon="media", template="blocks/video.html"
    )
    video_embed = VideoEmbedBlock()
    quote = QuoteBlock()
    knowledge_card = KnowledgeCardBlock()
    key_points = KeyPointsBlock()
    gallery = GalleryBlock()
    table = DataTableBlock()
    document = DocumentBlock()
    competition_cta = CompetitionCallToActionBlock()


class ChapterBlock(blocks.StructBlock):
    start = blocks.RegexBlock(
        regex=r"^\d{1,2}:[0-5]\d(:[0-5]\d)?$",
        label=_("start time"),
        help_text=_("mm:ss or h:mm:ss"),
        error_messages={"invalid": _("Write the time as mm:ss, e.g. 01:30.")},
    )
    title = blocks.CharBlock(label=_("title"), max_length=80)

    class Meta:
        icon = "time"
        label = _("Chapter")


class ChaptersBlock(blocks.StreamBlock):
    chapter = ChapterBlock()
