"""Demo pages: home, organiser, topics, sections, articles, videos and a campaign.

Every text is original, written for kepu, and lives in demo/data/: `site.toml` (home page,
organiser, topics, sections) and one Markdown file with front matter per article, video and
campaign (format: demo/markdown.py). An article's slug is its file name without the leading
number, which only keeps the files in the order the pages are created.

`load()` is idempotent: it creates what is missing (matched by slug) and leaves everything
else, including an editor's local changes, alone. Illustrations are drawn here with Pillow so
the demo ships no image files.
"""

import colorsys
import io
import random
import re
import subprocess
import tempfile
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from content.models import (
    ArticlePage,
    CampaignItem,
    CampaignPage,
    HomeFeaturedItem,
    HomePage,
    OrganiserSettings,
    SectionPage,
    Topic,
    Video,
    VideoPage,
)
from content.video.transcoding import request_transcode
from kepu import system_tools

from . import markdown
from .datafiles import DATA, toml

FEATURED_COUNT = 3
# What editors read for the page above every site (migration content 0010 names it too).
ROOT_TITLE = "根目录"


def _pages(folder: str) -> list[dict]:
    """The front matter of every Markdown file in demo/data/<folder>, in file-name order, with
    `slug` (the file name without its leading number) and `body` (the blocks) added."""
    items = []
    for path in sorted((DATA / folder).glob("*.md")):
        meta, body = markdown.read(path)
        items.append({**meta, "slug": re.sub(r"^\d+-", "", path.stem), "body": body})
    return items


def articles() -> list[dict]:
    return _pages("articles")


def videos() -> list[dict]:
    """Videos: the body is the transcript (one paragraph)."""
    items = _pages("videos")
    for item in items:
        item["transcript"] = "\n\n".join(text for _kind, text in item.pop("body"))
    return items


def campaign_data() -> dict:
    (campaign,) = _pages("campaigns")
    return campaign


def ensure_home_page() -> tuple[HomePage, bool]:
    """Returns the site's HomePage, replacing Wagtail's placeholder welcome page once.

    Wagtail's English "Root" title, where a tree was built without the migrations, becomes
    ROOT_TITLE; a root an editor has renamed keeps its name.
    """
    root = Page.get_first_root_node()
    if root.title == "Root":
        root.title = root.draft_title = ROOT_TITLE
        Page.objects.filter(pk=root.pk).update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    home = HomePage.objects.first()
    if home is not None:
        return home, False
    # Wagtail's initial migration leaves a plain "Welcome" page (slug "home") as the site root;
    # deleting it also deletes its Site, recreated below.
    for placeholder in root.get_children().filter(slug="home"):
        if placeholder.specific_class is Page:
            placeholder.delete()
    text = toml("site")["home"]
    home = root.add_child(instance=HomePage(title=text["title"], slug="home", intro=text["intro"]))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "root_page": home,
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return home, True


def illustration(seed: str, title: str, size=(1200, 675)):
    """A Wagtail image with an abstract illustration derived from `seed` (no text, no files)."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)  # noqa: S311 (decoration, not security)
    hue = rng.random()
    width, height = size
    top = tuple(int(c * 255) for c in colorsys.hls_to_rgb(hue, 0.45, 0.55))
    bottom = tuple(int(c * 255) for c in colorsys.hls_to_rgb((hue + 0.12) % 1, 0.28, 0.6))
    picture = PILImage.new("RGB", size, top)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(9):
        radius = rng.randint(height // 12, height // 3)
        x, y = rng.randint(0, width), rng.randint(0, height)
        shade = tuple(
            int(c * 255) for c in colorsys.hls_to_rgb((hue + rng.random() * 0.3) % 1, 0.7, 0.5)
        )
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=shade, width=8)
    picture = picture.filter(ImageFilter.GaussianBlur(1))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=82, optimize=True)
    image = Image(title=title)
    image.file = ImageFile(buffer, name=f"demo-{seed}.jpg")
    image.save()
    return image


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def body_value(blocks: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Turns the demo data's plain block tuples into StreamField values."""
    stream = []
    for kind, value in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", RichText(f"<p>{escape(value)}</p>")))
        elif kind == "heading":
            stream.append(("heading", {"text": value}))
        elif kind == "table":
            stream.append(
                (
                    "table",
                    {
                        "data": [list(value["header"]), *(list(row) for row in value["rows"])],
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                        "table_caption": value.get("caption", ""),
                    },
                )
            )
        elif kind in {"knowledge_card", "key_points", "quote"}:
            stream.append((kind, dict(value)))
        else:
            raise ValueError(f"unknown demo block kind: {kind}")
    return stream


def _publish(page: Page, day: date) -> None:
    """Publishes as the demo loader (no workflow), dated as the data says."""
    page.save_revision().publish()
    moment = _aware(day)
    Page.objects.filter(pk=page.pk).update(
        first_published_at=moment, last_published_at=moment, latest_revision_created_at=moment
    )


def _topics(slugs) -> list[Topic]:
    return list(Topic.objects.filter(slug__in=slugs))


def load_topics(report):
    created, topics = 0, toml("site")["topics"]
    for order, item in enumerate(topics):
        _, was_created = Topic.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "sort_order": order,
            },
        )
        created += was_created
    report.append(f"topics: {created} created, {len(topics) - created} kept")


def load_sections(home, report) -> dict[str, SectionPage]:
    sections, created = {}, 0
    for item in toml("site")["sections"]:
        section = SectionPage.objects.child_of(home).filter(slug=item["slug"]).first()
        if section is None:
            section = home.add_child(
                instance=SectionPage(
                    title=item["title"], slug=item["slug"], intro=item["intro"], show_in_menus=True
                )
            )
            _publish(section, date(2026, 3, 1))
            created += 1
        sections[item["slug"]] = section
    report.append(f"sections: {created} created, {len(sections) - created} kept")
    return sections


def load_articles(sections, report) -> None:
    created, items = 0, articles()
    for item in items:
        section = sections[item["section"]]
        if ArticlePage.objects.child_of(section).filter(slug=item["slug"]).exists():
            continue
        article = ArticlePage(
            title=item["title"],
            slug=item["slug"],
            summary=item["summary"],
            author=item["author"],
            source=item["source"],
            editor=item["editor"],
            date=item["date"],
            lead_image=illustration(item["slug"], item["title"]),
            body=body_value(item["body"]),
        )
        section.add_child(instance=article)
        article.topics.set(_topics(item["topics"]))
        _publish(article, item["date"])
        created += 1
    report.append(f"articles: {created} created, {len(items) - created} kept")


def load_videos(sections, report) -> None:
    section = sections["videos"]
    created, items = 0, videos()
    for item in items:
        if VideoPage.objects.child_of(section).filter(slug=item["slug"]).exists():
            continue
        video = demo_video(item)
        if video is None:
            report.append("videos: skipped (install ffmpeg to make the demo clips)")
            return
        page = VideoPage(
            title=item["title"],
            slug=item["slug"],
            summary=item["summary"],
            description=item["description"],
            transcript=item["transcript"],
            date=item["date"],
            lead_image=illustration(item["slug"], item["title"]),
            chapters=[("chapter", chapter) for chapter in item["chapters"]],
        )
        page.video = video
        section.add_child(instance=page)
        page.topics.set(_topics(item["topics"]))
        _publish(page, item["date"])
        created += 1
    report.append(f"videos: {created} created, {len(items) - created} kept")


def demo_clip(item: dict, directory: Path) -> Path:
    """A short test clip in the item's colour with a gentle tone, made by ffmpeg."""
    path = directory / f"{item['slug']}.mp4"
    seconds = 6
    subprocess.run(  # noqa: S603 (fixed arguments; the colour comes from our demo data)
        [
            system_tools.ffmpeg_path(),
            *("-nostdin", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"color=c={item['colour']}:s=640x360:r=25:d={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=523:duration={seconds}"),
            *("-vf", "drawbox=x=mod(t*90\\,560):y=140:w=80:h=80:color=white@0.8:t=fill"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-shortest", str(path)),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return path


def demo_video(item: dict) -> Video | None:
    """An uploaded Video for a demo page (None without ffmpeg), queued for transcoding."""
    existing = Video.objects.filter(title=item["title"]).first()
    if existing is not None or system_tools.ffmpeg_path() is None:
        return existing
    with tempfile.TemporaryDirectory() as directory:
        clip = demo_clip(item, Path(directory))
        video = Video(title=item["title"])
        with clip.open("rb") as handle:
            video.original.save(clip.name, File(handle), save=False)
        video.save()
    request_transcode(video)
    return video


def load_campaign(home, report) -> CampaignPage:
    item = campaign_data()
    campaign = CampaignPage.objects.child_of(home).filter(slug=item["slug"]).first()
    if campaign is not None:
        report.append("campaign: kept")
        return campaign
    campaign = CampaignPage(
        title=item["title"],
        slug=item["slug"],
        intro=item["intro"],
        start_date=item["start_date"],
        end_date=item["end_date"],
        hero_image=illustration(item["slug"], item["title"]),
        body=body_value(item["body"]),
        show_in_menus=True,
    )
    curated = Page.objects.filter(slug__in=item["curated"]).live()
    order = {slug: index for index, slug in enumerate(item["curated"])}
    for page in sorted(curated, key=lambda page: order[page.slug]):
        campaign.items.add(CampaignItem(page=page))
    home.add_child(instance=campaign)
    _publish(campaign, item["start_date"])
    report.append("campaign: created")
    return campaign


def load_featured(home, campaign, report) -> None:
    if home.featured_items.exists():
        report.append("featured items: kept")
        return
    pages = [campaign, *ArticlePage.objects.live().order_by("-date")[: FEATURED_COUNT - 1]]
    for order, page in enumerate(pages):
        home.featured_items.add(HomeFeaturedItem(page=page, sort_order=order))
    home.save_revision().publish()
    report.append(f"featured items: {len(pages)} chosen")


def load() -> list[str]:
    report = []
    home, created = ensure_home_page()
    report.append(f"home page: {'created' if created else 'kept'} ({home.title})")
    site = Site.objects.get(is_default_site=True)
    organiser = OrganiserSettings.for_site(site)
    if not organiser.name:
        for field, value in toml("site")["organiser"].items():
            setattr(organiser, field, value)
        organiser.save()
        report.append("organiser details: created")
    else:
        report.append("organiser details: kept")
    load_topics(report)
    sections = load_sections(home, report)
    load_articles(sections, report)
    load_videos(sections, report)
    campaign = load_campaign(home, report)
    load_featured(home, campaign, report)
    return report
