"""The anonymised search log (search.query_log): one row per day, query and backend."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from search.constants import MAX_LOGGED_CHARS


class QueryLog(models.Model):
    day = models.DateField(_("day"))
    query = models.CharField(_("query"), max_length=MAX_LOGGED_CHARS)
    backend = models.CharField(_("search backend"), max_length=20)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    results = models.PositiveIntegerField(_("results (latest)"), default=0)
    first_result_clicks = models.PositiveIntegerField(_("first result opened"), default=0)
    other_result_clicks = models.PositiveIntegerField(_("other results opened"), default=0)

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "query", "backend"], name="search_querylog_unique_per_day"
            )
        ]
        indexes = [models.Index(fields=["day", "results"], name="search_querylog_day_idx")]

    def __str__(self):
        return self.query
