"""Published results: awards (获奖), the exhibition (线上作品展) and award certificates.

Rows here are written only by competitions/submissions/results/awards.py (`publish_results`), which
replaces a contest's awards in one transaction, so the public never sees half a result.
Certificates keep their code across republishing (a QR code already printed keeps
verifying) and snapshot what they print.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competitions.core.certificates.names import ChosenName

from .contest import AwardLevel, Contest, ContestGroup
from .entries import Entry

# Crockford's base32 without I, L, O, U: typed from paper without misreading.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 random bits
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate_award_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_award_code(text: str) -> str:
    """A code as typed ("abcd-efgh-jkmn", with O for 0) → its stored form."""
    return "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)


class EntryAward(models.Model):
    """One award of one entry: a level (一等奖 …) or the separate popularity award (人气奖)."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("Award")
        POPULARITY = "popularity", _("Popularity award")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="awards")
    group = models.ForeignKey(ContestGroup, on_delete=models.CASCADE, related_name="awards")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    level = models.ForeignKey(
        AwardLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    rank = models.PositiveIntegerField(_("rank in group"))
    final_score = models.DecimalField(_("final score"), max_digits=6, decimal_places=2)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contest", "group__sort_order", "kind", "rank"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind"], name="entry_award_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind="popularity", level__isnull=True)
                | Q(kind="expert", level__isnull=False),
                name="entry_award_level_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.entry} {self.name}"

    @property
    def name(self) -> str:
        return self.level.name if self.level_id else str(self.Kind.POPULARITY.label)


class ExhibitedEntry(models.Model):
    """A work the organiser chose for the exhibition besides the awarded ones."""

    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="exhibited")
    note = models.CharField(_("note"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exhibited entry")
        verbose_name_plural = _("exhibited entries")

    def __str__(self):
        return str(self.entry)


class AwardCertificate(ChosenName):
    """The certificate of an award, for the student or for the advising teacher."""

    class Holder(models.TextChoices):
        STUDENT = "student", _("Student")
        TEACHER = "teacher", _("Advising teacher")

    award = models.ForeignKey(EntryAward, on_delete=models.CASCADE, related_name="certificates")
    holder = models.CharField(max_length=10, choices=Holder.choices)
    code = models.CharField(_("certificate code"), max_length=CODE_LENGTH, unique=True)
    # Snapshot of what is printed. `holder_name` is masked for a student (the public
    # verification page shows it); the name the student chose is `printed_name`
    # (competitions/core/certificates/names.py). A teacher's name is printed as entered.
    holder_name = models.CharField(_("holder"), max_length=60)
    contest_title = models.CharField(_("contest"), max_length=100)
    award_name = models.CharField(_("award"), max_length=20)
    entry_title = models.CharField(_("entry"), max_length=60)
    entry_number = models.CharField(_("entry number"), max_length=20)
    school_name = models.CharField(_("school"), max_length=100, blank=True)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        verbose_name = _("award certificate")
        verbose_name_plural = _("award certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["award", "holder"], name="award_certificate_one_per_holder"
            )
        ]

    def __str__(self):
        return self.code

    @property
    def holder_user(self):
        """The student this certificate names (None for a teacher's: printed as entered)."""
        return self.award.entry.author if self.holder == self.Holder.STUDENT else None

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
