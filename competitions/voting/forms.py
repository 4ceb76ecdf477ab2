"""The organisers' shortlist form: only the chosen contest's entries that can take votes.

The entry list is limited to one contest (chosen in the form, or given as `?contest=` on
the add view); an entry posted from elsewhere is refused with a clear message, whatever
the browser sent.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from competitions.submissions.models import Entry

from .models import Shortlist


def shortlistable_entries(contest_id: int, *, keep: int | None = None) -> QuerySet[Entry]:
    """Submitted entries of the contest not yet on its shortlist (`keep`: an entry already
    on it that the form being edited may keep)."""
    taken = Shortlist.objects.filter(contest_id=contest_id).exclude(entry_id=keep)
    return (
        Entry.objects.filter(contest_id=contest_id, status=Entry.Status.SUBMITTED)
        .exclude(pk__in=taken.values("entry_id"))
        .order_by("number")
    )


class EntryChoiceField(forms.ModelChoiceField):
    """Offers the entries in `queryset` but looks any posted entry up, so that the form can
    say why a foreign or ineligible entry is refused instead of "invalid choice"."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return Entry.objects.select_related("contest").get(pk=int(value))
        except (TypeError, ValueError, Entry.DoesNotExist) as exc:
            raise ValidationError(_("Choose an entry from the list."), code="invalid") from exc

    def label_from_instance(self, obj):
        return f"{obj.display_number} {obj.title}"


class ShortlistForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contest_id = self._contest_id()
        field = self.fields["entry"] = EntryChoiceField(
            queryset=shortlistable_entries(contest_id, keep=self.instance.entry_id)
            if contest_id
            else Entry.objects.none(),
            label=_("entry"),
        )
        if not contest_id:
            field.help_text = _(
                "Choose the contest first: its entries are offered once the contest is chosen "
                "and the form is saved."
            )

    def _contest_id(self) -> int | None:
        raw = self.data.get(self.add_prefix("contest")) if self.is_bound else None
        raw = raw or self.initial.get("contest") or self.instance.contest_id
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    def clean(self):
        cleaned = super().clean()
        contest, entry = cleaned.get("contest"), cleaned.get("entry")
        if contest is None or "entry" in self.errors:
            return cleaned
        if entry is None:
            return cleaned
        if entry.contest_id != contest.pk:
            self.add_error("entry", _("This entry belongs to another contest."))
        elif entry.status != Entry.Status.SUBMITTED:
            self.add_error("entry", _("Only submitted entries can be put to the public vote."))
        elif (
            Shortlist.objects.filter(contest=contest, entry=entry)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("entry", _("This entry is already on the shortlist."))
        return cleaned
