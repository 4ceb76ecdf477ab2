from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page


class HomePage(Page):
    """The site's front page."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


@register_setting(icon="site")
class OrganiserSettings(BaseSiteSetting):
    """Who runs this site: shown in the footer, on posters and on certificates."""

    name = models.CharField(_("organiser name"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    icp_record = models.CharField(
        _("ICP record number"),
        max_length=60,
        blank=True,
        help_text=_("The website filing number shown in the footer, e.g. 京ICP备00000000号."),
    )
    public_security_record = models.CharField(
        _("public security record number"), max_length=60, blank=True
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("name"), FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Organiser"),
        ),
        MultiFieldPanel(
            [FieldPanel("icp_record"), FieldPanel("public_security_record")],
            heading=_("Filings"),
        ),
    ]

    class Meta:
        verbose_name = _("organiser details")


from .reach_models import PageViewCount, Poster, PosterScan  # noqa: E402,F401
