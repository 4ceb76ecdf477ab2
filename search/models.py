"""Search data: organisers' dictionary, synonyms and stop words, the suggested terms, and the
embedded backend's index tables.

The embedded index also has full-text tables the ORM does not model: an FTS5 virtual table
and a small filter table on SQLite, a tsvector table with a GIN index on PostgreSQL (see
migration 0008 and search/backends/embedded.py).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from search import pipeline

MAX_WORD_CHARS = 20
_TERM_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _check_word(word: str) -> None:
    if not word:
        raise ValidationError(_("Enter a word."))
    if len(word) > MAX_WORD_CHARS:
        raise ValidationError(_("A word has at most %(max)d characters.") % {"max": MAX_WORD_CHARS})
    if pipeline.clean_prefix(word) != word:
        raise ValidationError(
            _("“%(word)s”: a word has only letters and digits, no spaces or punctuation.")
            % {"word": word}
        )


class DictionaryWord(models.Model):
    """A word the segmenter must keep whole (e.g. 全国科普日), added by organisers."""

    word = models.CharField(_("word"), max_length=MAX_WORD_CHARS, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")

    def __str__(self):
        return self.word

    def clean(self):
        self.word = pipeline.normalise(self.word or "").strip()
        try:
            _check_word(self.word)
        except ValidationError as error:
            raise ValidationError({"word": error.messages}) from error
        if DictionaryWord.objects.filter(word=self.word).exclude(pk=self.pk).exists():
            raise ValidationError({"word": _("This word is already in the dictionary.")})


class StopWord(models.Model):
    """A word a query need not match (a function or question word such as 如何), added by
    organisers to the committed list (search/dictionary/stopwords.txt)."""

    word = models.CharField(_("word"), max_length=MAX_WORD_CHARS, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("stop word")
        verbose_name_plural = _("stop words")

    def __str__(self):
        return self.word

    def clean(self):
        self.word = pipeline.normalise(self.word or "").strip()
        try:
            _check_word(self.word)
        except ValidationError as error:
            raise ValidationError({"word": error.messages}) from error
        if StopWord.objects.filter(word=self.word).exclude(pk=self.pk).exists():
            raise ValidationError({"word": _("This word is already a stop word.")})


class SynonymGroup(models.Model):
    """Words that mean the same (新冠 ↔ 新型冠状病毒); queries are expanded with them."""

    terms = models.TextField(
        _("terms"),
        help_text=_("Two or more words meaning the same, separated by commas or new lines."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self):
        return "、".join(self.term_list())

    def term_list(self) -> list[str]:
        """The group's terms, normalised, without duplicates or empty entries."""
        terms = (pipeline.normalise(t).strip() for t in _TERM_SEPARATORS.split(self.terms or ""))
        return list(dict.fromkeys(t for t in terms if t))

    def clean(self):
        terms = self.term_list()
        errors = []
        for term in terms:
            try:
                _check_word(term)
            except ValidationError as error:
                errors.extend(error.messages)
        if len(terms) < 2:
            errors.append(_("A synonym group needs at least two different words."))
        if errors:
            raise ValidationError({"terms": errors})
        self.terms = "\n".join(terms)


# --- the embedded backend's tables --------------------------------------------------------------


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


def _dictionary_changed(**kwargs):
    from django.db import transaction

    # This process at once (its own reads see the change), the others once it is committed.
    pipeline.forget_dictionary()
    transaction.on_commit(pipeline.dictionary_changed)
    # The suggested terms follow the word lists (pinyin is computed by a worker).
    from search import suggestions

    suggestions.request_refresh()


for _model in (DictionaryWord, StopWord, SynonymGroup):
    models.signals.post_save.connect(_dictionary_changed, sender=_model, weak=False)
    models.signals.post_delete.connect(_dictionary_changed, sender=_model, weak=False)


from .query_log import QueryLog  # noqa: E402,F401  (search site: the anonymised query log)
