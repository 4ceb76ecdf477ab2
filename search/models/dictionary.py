"""Organisers' word lists: dictionary words, stop words and synonym groups.

Read by `search.dictionary`, which every process reloads within seconds of a change.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from search.constants import MAX_WORD_CHARS
from search.text.normalise import clean_prefix, normalise

_TERM_SEPARATORS = re.compile(r"[\s,，、;；]+")


def _check_word(word: str) -> None:
    if not word:
        raise ValidationError(_("Enter a word."))
    if len(word) > MAX_WORD_CHARS:
        raise ValidationError(_("A word has at most %(max)d characters.") % {"max": MAX_WORD_CHARS})
    if clean_prefix(word) != word:
        raise ValidationError(
            _("“%(word)s”: a word has only letters and digits, no spaces or punctuation.")
            % {"word": word}
        )


class OrganiserWord(models.Model):
    """One word of an organisers' list, stored normalised and unique within its list."""

    word = models.CharField(_("word"), max_length=MAX_WORD_CHARS, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    #: Each list's own message for a word it already holds.
    duplicate_message: str

    class Meta:
        abstract = True
        ordering = ["word"]

    def __str__(self):
        return self.word

    def clean(self):
        self.word = normalise(self.word or "").strip()
        try:
            _check_word(self.word)
        except ValidationError as error:
            raise ValidationError({"word": error.messages}) from error
        if type(self)._default_manager.filter(word=self.word).exclude(pk=self.pk).exists():
            raise ValidationError({"word": self.duplicate_message})


class DictionaryWord(OrganiserWord):
    """A word the segmenter must keep whole (e.g. 全国科普日), added by organisers."""

    duplicate_message = _("This word is already in the dictionary.")

    class Meta(OrganiserWord.Meta):
        verbose_name = _("dictionary word")
        verbose_name_plural = _("dictionary words")


class StopWord(OrganiserWord):
    """A word a query need not match (a function or question word such as 如何), added by
    organisers to the committed list (search/text/words/stopwords.txt)."""

    duplicate_message = _("This word is already a stop word.")

    class Meta(OrganiserWord.Meta):
        verbose_name = _("stop word")
        verbose_name_plural = _("stop words")


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
        terms = (normalise(t).strip() for t in _TERM_SEPARATORS.split(self.terms or ""))
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
