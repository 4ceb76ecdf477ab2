"""The embedded backend's index tables and the suggested terms.

The embedded index also has full-text tables the ORM does not model: an FTS5 virtual table
and a small filter table on SQLite, a tsvector table with a GIN index on PostgreSQL (see
migration 0008 and search/backends/embedded.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexedDocument(models.Model):
    """One searchable document of the embedded backend (public text only, as indexed)."""

    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    topics = models.JSONField(default=list, blank=True)
    section = models.CharField(max_length=200, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    image_url = models.CharField(max_length=500, blank=True)
    # The normalised title, title pinyin and body the ranking reads (`ranking.ranking_text`).
    ranking_text = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["date"], name="search_doc_date")]

    def __str__(self):
        return self.key


class SuggestInput(models.Model):
    """A completion input of a document: its title, pinyin in full and initials, cleaned."""

    document = models.ForeignKey(
        IndexedDocument, on_delete=models.CASCADE, related_name="suggest_inputs"
    )
    text = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["text"], name="search_suggest_text")]

    def __str__(self):
        return self.text


class SuggestedTerm(models.Model):
    """A word the suggestions offer as a search: a dictionary word, a synonym or a popular
    search. One row per completion input (the word, its pinyin in full and its initials),
    rebuilt by `search.suggestions.refresh_terms` outside the web processes."""

    class Source(models.TextChoices):
        DICTIONARY = "dictionary", _("dictionary word")
        SYNONYM = "synonym", _("synonym")
        POPULAR = "popular", _("popular search")

    term = models.CharField(_("term"), max_length=100)
    input = models.CharField(max_length=200)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # Searches in the last 30 days (popular searches); 0 for words from the word lists.
    weight = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["input"], name="search_term_input")]
        verbose_name = _("suggested term")
        verbose_name_plural = _("suggested terms")

    def __str__(self):
        return self.term
