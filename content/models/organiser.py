"""Who runs the site: one record per site, edited under Settings in the Wagtail admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


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
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("default share image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in WeChat and other share cards when a page has no lead image."),
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
        FieldPanel("share_image"),
    ]

    class Meta:
        verbose_name = _("organiser details")
