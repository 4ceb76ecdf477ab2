"""Forms of the entry pages. They collect input; the rules live in entries.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from competitions.core.models import Unit

from .models import Contest, ContestGroup, Entry, EntryKind


class EntryForm(forms.ModelForm):
    """Title, group, kind, school … of an entry; only the contest's groups and kinds."""

    school = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("School"),
        required=False,
        empty_label=_("Choose…"),
        error_messages={"invalid_choice": _("Choose your school from the list.")},
    )

    class Meta:
        model = Entry
        fields = ["title", "group", "kind", "description", "text", "school", "grade", "teacher"]
        fields += ["co_authors", "display_consent"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 12}),
        }
        error_messages = {"title": {"required": _("Give your entry a title.")}}

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = ContestGroup.objects.filter(contest=contest)
        self.fields["group"].empty_label = _("Choose…")
        self.fields["group"].error_messages["required"] = _("Choose one of this contest's groups.")
        kinds = [(k, EntryKind(k).label) for k in contest.entry_kinds if k in EntryKind.values]
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        self.fields["school"].queryset = Unit.objects.filter(kind=Unit.Kind.SCHOOL, is_active=True)
        self.fields["text"].help_text = _(
            "For typed-in entries: at most %(limit)s characters (spaces not counted)."
        ) % {"limit": contest.max_words}
        self.fields["text"].required = False


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
        },
    )
