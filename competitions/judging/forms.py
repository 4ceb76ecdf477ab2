from django import forms
from django.utils.translation import gettext_lazy as _


class ScoreForm(forms.Form):
    """One decimal field per criterion plus the comment; limits mirror the rubric."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria=(), initial_points=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        initial_points = initial_points or {}
        fields = {}
        for criterion in self.criteria:
            fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（0–{criterion.max_points}）",
                help_text=criterion.help_text,
                required=False,
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=1,
                initial=initial_points.get(criterion.pk),
            )
        self.fields = {**fields, "comment": self.fields["comment"]}

    def points(self) -> dict:
        return {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.criteria}
