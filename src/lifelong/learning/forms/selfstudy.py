"""Forms of self-study: the declaration (with evidence files) and the return reason."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifelong.learning.choices import MovementContent, StudyMethod, TrainingCategory
from lifelong.learning.rules import selfstudy as rules
from lifelong.learning.services.selfstudy import PROBLEM_MESSAGES

__all__ = ["DATE_FORMATS", "DeclarationForm", "MultipleFileField", "ReturnForm"]

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by content when stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        """Return the uploaded files as a list (empty when none were chosen)."""
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DeclarationForm(forms.Form):
    """A self-study declaration: what, how, when, how long, and what was learned."""

    topic = forms.CharField(label=_("Topic"), max_length=300)
    method = forms.ChoiceField(label=_("Method"), choices=StudyMethod.choices)
    learned_on = forms.DateField(
        label=_("Date (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    hours = forms.DecimalField(
        label=_("Clock hours"),
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    category = forms.ChoiceField(
        label=_("Training category"),
        choices=TrainingCategory.choices,
        initial=TrainingCategory.OTHER,
    )
    content = forms.ChoiceField(
        label=_("Movement content"),
        choices=MovementContent.choices,
        initial=MovementContent.SELF_STUDY,
    )
    learned = forms.CharField(
        label=_("What was learned"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    evidence = MultipleFileField(
        label=_("Evidence files (PDF, PNG or JPEG, at most 10 MB each)"), required=False
    )
    remove_evidence = forms.TypedMultipleChoiceField(
        label=_("Remove these files"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, evidence_choices: list[tuple[int, str]] = (), **kwargs: Any):  # type: ignore[assignment]  # an empty tuple is a fine default list
        super().__init__(*args, **kwargs)
        field = self.fields["remove_evidence"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = list(evidence_choices)
        if not evidence_choices:
            del self.fields["remove_evidence"]

    def clean_hours(self) -> Decimal:
        """Refuse zero, negative and more than 24 hours (the day's total is the service's)."""
        hours: Decimal = self.cleaned_data["hours"]
        for field, problem in rules.check_declaration(
            hours=hours, learned_on=datetime.date(2000, 1, 1), today=datetime.date(2000, 1, 1)
        ):
            if field == "hours":
                raise forms.ValidationError(PROBLEM_MESSAGES[problem])
        return hours

    def clean_learned_on(self) -> datetime.date:
        """Refuse a date in the future or before 2000."""
        learned_on: datetime.date = self.cleaned_data["learned_on"]
        for field, problem in rules.check_declaration(
            hours=Decimal(1), learned_on=learned_on, today=timezone.localdate()
        ):
            if field == "learned_on":
                raise forms.ValidationError(PROBLEM_MESSAGES[problem])
        return learned_on


class ReturnForm(forms.Form):
    """The reason a unit head gives when returning a declaration or a plan."""

    reason = forms.CharField(
        label=_("Reason for returning"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": PROBLEM_MESSAGES[rules.Problem.REASON_REQUIRED]},
    )
