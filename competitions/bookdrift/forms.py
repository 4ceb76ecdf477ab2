"""Forms of the public drift pages. They collect input; the rules live in the services."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from competitions.core.models import Unit

from . import codes
from .journeys import NICKNAME_MAX, NOTE_MAX, PLACE_MAX, Place
from .models import DriftCampaign, SchoolClass


def unit_choices(campaign: DriftCampaign) -> list:
    """The campaign's schools, each followed by its classes, for one grouped select:
    "s:<school id>" or "c:<class id>"."""
    schools = list(campaign.schools.order_by("sort_order", "name"))
    classes: dict[int, list[SchoolClass]] = {}
    for school_class in campaign.classes.select_related("school").order_by("sort_order", "name"):
        classes.setdefault(school_class.school_id, []).append(school_class)
        if school_class.school not in schools:
            schools.append(school_class.school)
    choices: list = [("", _("— not at school / say below —"))]
    for school in schools:
        group = [(f"s:{school.pk}", _("%(school)s (no class)") % {"school": school.name})]
        group += [(f"c:{c.pk}", c.name) for c in classes.get(school.pk, [])]
        choices.append((school.name, group))
    return choices


class StepForm(forms.Form):
    """What a catch or a release asks for: little, and all of it optional but the token."""

    token = forms.UUIDField(widget=forms.HiddenInput)
    unit = forms.ChoiceField(label=_("School and class"), required=False)
    place = forms.CharField(
        label=_("Or where you are"),
        max_length=PLACE_MAX * 2,
        required=False,
        help_text=_("e.g. 社区图书角. No home address, please."),
    )
    note = forms.CharField(
        label=_("Drift note (漂流纸条)"),
        max_length=NOTE_MAX * 2,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A few words for the next reader, at most 200 characters. No names, phone "
            "numbers or addresses. Notes of pupils are read by the organisers first."
        ),
    )
    show_identity = forms.BooleanField(
        label=_("Show my display name, school and class with this step"),
        required=False,
        help_text=_(
            "For readers under 14 this also needs their guardian's consent to public display."
        ),
    )

    def __init__(self, *args, campaign: DriftCampaign, anonymous: bool = False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["unit"].choices = unit_choices(campaign)
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Choose your school from the list."
        )
        if anonymous:
            del self.fields["show_identity"]
        self.fields["token"].error_messages["invalid"] = _(
            "This form has expired. Please reload the page."
        )
        self.fields["token"].error_messages["required"] = self.fields["token"].error_messages[
            "invalid"
        ]

    def clean(self):
        data = super().clean()
        # The token is hidden: its error must show above the form.
        if "token" in self._errors:
            self.add_error(None, self._errors.pop("token"))
        return data

    def where(self) -> Place:
        unit = self.cleaned_data.get("unit") or ""
        kind, _sep, pk = unit.partition(":")
        return Place(
            school_id=int(pk) if kind == "s" and pk.isdigit() else None,
            class_id=int(pk) if kind == "c" and pk.isdigit() else None,
            text=self.cleaned_data.get("place", ""),
        )


class CatchForm(StepForm):
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=NICKNAME_MAX * 2,
        required=False,
        help_text=_("Only the organisers see it. Not your real name, please."),
    )
    field_order = ["nickname", "unit", "place", "note", "show_identity", "token"]

    def __init__(self, *args, anonymous: bool = False, **kwargs):
        super().__init__(*args, anonymous=anonymous, **kwargs)
        if anonymous:
            self.fields["nickname"].required = True
            self.fields["nickname"].error_messages["required"] = _(
                "Give a nickname so that the organisers know you."
            )
        else:
            del self.fields["nickname"]


class ReleaseForm(StepForm):
    HAND = "hand"

    destination = forms.ChoiceField(
        label=_("Where does the book go now?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a station or “hand to hand”.")},
    )
    field_order = ["destination", "place", "unit", "note", "show_identity", "token"]

    def __init__(self, *args, campaign: DriftCampaign, **kwargs):
        super().__init__(*args, campaign=campaign, **kwargs)
        stations = campaign.stations.filter(is_active=True).order_by("name")
        self.fields["destination"].choices = [
            *(
                (f"station:{s.pk}", _("To the station %(name)s") % {"name": s.name})
                for s in stations
            ),
            (self.HAND, _("Hand to hand: I gave it to the next reader")),
        ]
        self.fields["destination"].error_messages["invalid_choice"] = _(
            "Choose one of this drift's stations."
        )
        self.fields["place"].label = _("Where (optional)")

    def station_id(self) -> int | None:
        value = self.cleaned_data.get("destination", "")
        kind, _sep, pk = value.partition(":")
        return int(pk) if kind == "station" and pk.isdigit() else None


class ReviewForm(forms.Form):
    """The reading review: what the contest's entry needs for a typed-in text."""

    title = forms.CharField(label=_("Title"), max_length=60)
    group = forms.ModelChoiceField(queryset=None, label=_("Group"), empty_label=_("Choose…"))
    text = forms.CharField(label=_("Your review"), widget=forms.Textarea(attrs={"rows": 12}))
    school = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("School"), required=False, empty_label=_("Choose…")
    )
    grade = forms.CharField(label=_("Grade"), max_length=20, required=False)
    display_consent = forms.BooleanField(
        label=_("My review may be shown publicly"),
        required=False,
        help_text=_(
            "Its title, text, school and grade may appear in the contest's results and "
            "exhibition and, if the organisers choose it, on this book's page; your name "
            "never does. Under 14, your guardian must agree as well."
        ),
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = contest.groups.all()
        self.fields["group"].error_messages["required"] = _("Choose one of this contest's groups.")
        self.fields["group"].error_messages["invalid_choice"] = _(
            "Choose one of this contest's groups."
        )
        self.fields["school"].queryset = Unit.objects.filter(kind=Unit.Kind.SCHOOL, is_active=True)
        self.fields["school"].error_messages["invalid_choice"] = _(
            "Choose your school from the list."
        )
        self.fields["title"].error_messages["required"] = _("Give your review a title.")
        self.fields["text"].error_messages["required"] = _("Write your review first.")
        self.fields["text"].help_text = _("At most %(limit)s characters.") % {
            "limit": contest.max_words
        }


class DonateForm(forms.Form):
    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=32,
        required=False,
        help_text=_("On the back cover, e.g. 978-7-5346-1234-5. Leave empty if there is none."),
    )
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    author = forms.CharField(label=_("Author"), max_length=100, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=100, required=False)
    note = forms.CharField(
        label=_("A word about your book"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Copy code on the label"),
        max_length=40,
        error_messages={"required": _("Type the code printed under the QR code.")},
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_code(self):
        return codes.normalise(self.cleaned_data["code"])
