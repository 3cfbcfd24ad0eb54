"""Forms of participation: a registration, a self-assessment, a review of it."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.learning.forms.selfstudy import MultipleFileField, MultipleFileInput


class RegistrationForm(forms.Form):
    """Commitments for a campaign year, with targets per criterion code ("code: value" lines)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    commitments = forms.CharField(label=_("Commitments"), widget=forms.Textarea, required=False)
    targets = forms.CharField(
        label=_("Targets"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One per line: criterion code: value (e.g. gio-hoc-binh-quan: 35)."),
    )

    def clean_targets(self) -> dict[str, Decimal]:
        """Parse the "code: value" lines."""
        found: dict[str, Decimal] = {}
        for line in self.cleaned_data["targets"].splitlines():
            if not line.strip():
                continue
            code, _sep, value = line.partition(":")
            try:
                found[code.strip()] = Decimal(value.strip().replace(",", "."))
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Write each target as code: number, e.g. gio-hoc-binh-quan: 35.")
                ) from None
        return found


class AssessmentForm(forms.Form):
    """A unit's self-assessment on one evidence criterion."""

    self_points = forms.DecimalField(
        label=_("Self-assessed points (0-100)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    explanation = forms.CharField(label=_("Explanation"), widget=forms.Textarea, required=False)
    link = forms.URLField(label=_("Link to the evidence"), required=False)
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Say which files are accepted."""
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "PDF, DOCX, XLSX, PNG or JPEG; at most 10 MB each, 5 in all."
        )


class ReviewForm(forms.Form):
    """The level above's review: the points it keeps, and why if they differ."""

    points = forms.DecimalField(
        label=_("Reviewed points (0-100)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    reason = forms.CharField(label=_("Reason for the adjustment"), required=False)
