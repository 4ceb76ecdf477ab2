"""Short pinyin slugs for Chinese titles: /health/shequ-kepu-jiangzuo/, not /health/%E7%A4%BE…/.

A title is cut into words (jieba), each Chinese word written in toneless pinyin without
spaces (pypinyin, which reads polyphones by the word: 重庆 chongqing, 银行 yinhang), other
words kept as lower-case ASCII, joined with hyphens and cut at a word boundary. In the admin
the slug field follows the title as Wagtail's own does (static/js/pinyin-slug.js asks
`suggestion_view` for the slug, unique among the page's siblings) and stays editable; a slug
that still holds Chinese when the form is saved is written in pinyin too.
"""

import re

import rjieba
from django import forms
from django.db.models import SlugField
from django.http import JsonResponse
from django.templatetags.static import static
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput
from wagtail.models import Page

MAX_LENGTH = 50
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def pinyin_slug(text: str, max_length: int = MAX_LENGTH) -> str:
    """An ASCII slug for `text`: words joined by hyphens, Chinese words in pinyin; at most
    `max_length` characters, cut between words (a single longer word is cut). "" when
    nothing in `text` can be written in ASCII."""
    # Lazily: pypinyin is memory-hungry, and only editors' saves make slugs (no reader's
    # request path loads it; tests/search/test_dictionary.py checks).
    from pypinyin import lazy_pinyin

    parts, other = [], ""
    for word in rjieba.cut(text or ""):
        if HAN.search(word):
            parts += [slugify(other), slugify("".join(lazy_pinyin(word, errors="ignore")))]
            other = ""
        else:  # runs of other text are slugified whole: "ça va" → "ca-va"
            other += word
    parts.append(slugify(other))
    slug = "-".join(part for part in parts if part)
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1].rsplit("-", 1)[0]
    return cut if cut and len(cut) <= max_length else slug[:max_length].strip("-")


def unique_child_slug(slug: str, parent: Page | None, page: Page | None = None) -> str:
    """`slug`, or `slug-2`, `slug-3` … if a sibling under `parent` (other than `page`)
    already uses it."""
    if parent is None or not slug:
        return slug
    siblings = parent.get_children()
    if page is not None and page.pk:
        siblings = siblings.exclude(pk=page.pk)
    taken = set(siblings.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


@require_GET
def suggestion_view(request):
    """`?title=…&parent=<page id>` (a new page) or `&page=<page id>` (an existing one):
    {"slug": "…"}, unique among the siblings of pages the user may edit or add to."""
    title = request.GET.get("title", "")[:255]
    parent = page = None
    page_id, parent_id = request.GET.get("page", ""), request.GET.get("parent", "")
    if page_id.isdigit():
        page = Page.objects.filter(pk=page_id).first()
        if page is not None and page.permissions_for_user(request.user).can_edit():
            parent = page.get_parent()
    elif parent_id.isdigit():
        candidate = Page.objects.filter(pk=parent_id).first()
        if candidate is not None and candidate.permissions_for_user(request.user).can_add_subpage():
            parent = candidate
    return JsonResponse({"slug": unique_child_slug(pinyin_slug(title), parent, page)})


class PinyinSlugInput(SlugInput):
    """Wagtail's slug input, but following the title in pinyin (static/js/pinyin-slug.js)
    instead of Wagtail's own transliteration, which keeps Chinese characters."""

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs, **kwargs)
        # Typing into the field still slugifies it on blur; following the title is ours.
        self.attrs["data-action"] = "blur->w-slug#slugify"
        self.attrs["data-kepu-pinyin-slug"] = ""

    @property
    def media(self):
        return forms.Media(js=[static("js/pinyin-slug.js")])


class PinyinSlugFormField(forms.SlugField):
    """A slug that still holds Chinese characters is written in pinyin when the form is
    cleaned, so no page or topic gets a percent-encoded address."""

    def to_python(self, value):
        value = super().to_python(value)
        return pinyin_slug(value, max_length=255) if HAN.search(value) else value


def register() -> None:
    """Every slug field of the admin's model forms (pages, topics) uses the pinyin input."""
    register_form_field_override(
        SlugField, override={"widget": PinyinSlugInput, "form_class": PinyinSlugFormField}
    )
