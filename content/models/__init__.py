"""The content app's models: page types, the organiser's details, and the models of the
content sub-packages (reach/, video/) and of the shared version numbers, imported here so
Django finds them under the `content` label."""

from ..reach.models import PageViewCount, Poster, PosterScan
from ..shared_versions import SharedVersion
from ..video.models import Video
from .organiser import OrganiserSettings
from .pages import (
    ArticlePage,
    ArticleRelatedLink,
    CampaignItem,
    CampaignPage,
    ContentPage,
    HomeFeaturedItem,
    HomePage,
    RelatedLink,
    SectionPage,
    Topic,
    VideoPage,
    VideoRelatedLink,
)

__all__ = [
    "ArticlePage",
    "ArticleRelatedLink",
    "CampaignItem",
    "CampaignPage",
    "ContentPage",
    "HomeFeaturedItem",
    "HomePage",
    "OrganiserSettings",
    "PageViewCount",
    "Poster",
    "PosterScan",
    "RelatedLink",
    "SectionPage",
    "SharedVersion",
    "Topic",
    "Video",
    "VideoPage",
    "VideoRelatedLink",
]
