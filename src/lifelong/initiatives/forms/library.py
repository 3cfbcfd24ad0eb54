"""Forms of the library: a unit's adoption of an initiative or a good model; a good model."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifelong.initiatives import rules_library as rules
from lifelong.initiatives.models import Adoption, GoodModel, Initiative
from lifelong.initiatives.services.library import (
    PROBLEM_MESSAGES,
    TEXT_MAX_LENGTH,
    AdoptionInput,
    GoodModelInput,
)
from lifelong.learning.choices import MovementContent
from lifelong.org.models import Unit

__all__ = ["DATE_FORMATS", "AdoptionForm", "GoodModelForm"]

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class UnitChoiceField(forms.ModelChoiceField):
    """A unit picked from a tree-ordered list, indented by depth."""

    def label_from_instance(self, obj: Any) -> str:
        """Return the unit's name, indented under its parent."""
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name}"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several units picked from a tree-ordered list, indented by depth."""

    def label_from_instance(self, obj: Any) -> str:
        """Return the unit's name, indented under its parent."""
        return f"{'— ' * max(obj.depth - 1, 0)}{obj.name}"


class InitiativeMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Recognised initiatives, each shown with its unit and level."""

    def label_from_instance(self, obj: Any) -> str:
        """Return the initiative's title, unit and level."""
        return f"{obj.title} · {obj.unit.name} · {obj.get_level_display()}"


def _text(label: Any, *, rows: int = 4, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AdoptionForm(forms.Form):
    """A unit's registration: which unit, since when, and the results it reports."""

    unit = UnitChoiceField(label=_("Unit applying it"), queryset=Unit.objects.none())
    started_on = forms.DateField(
        label=_("Applied since (dd/mm/yyyy)"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    results = _text(_("Results achieved"))
    figures = _text(_("Results in figures"), rows=2)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit] | None = None,
        adoption: Adoption | None = None,
        **kwargs: Any,
    ) -> None:
        """Offer `units` (the user's); editing `adoption` keeps its unit and fills the rest."""
        if adoption is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "started_on": adoption.started_on,
                "results": adoption.results,
                "figures": adoption.figures,
            }
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # narrows the type for mypy
        if adoption is not None or units is None:
            del self.fields["unit"]
            return
        field.queryset = units
        only = list(units[:2])
        if len(only) == 1 and not self.is_bound:
            self.initial.setdefault("unit", only[0].pk)

    def clean_started_on(self) -> datetime.date:
        """Refuse a date in the future (the initiative's own date is the service's)."""
        started_on: datetime.date = self.cleaned_data["started_on"]
        if started_on > timezone.localdate():
            raise forms.ValidationError(PROBLEM_MESSAGES[rules.Problem.STARTED_IN_FUTURE])
        return started_on

    def adoption_input(self) -> AdoptionInput:
        """Return what the form holds, for the service."""
        data = self.cleaned_data
        return AdoptionInput(
            started_on=data["started_on"], results=data["results"], figures=data["figures"]
        )


class GoodModelForm(forms.Form):
    """A good model of the library: texts, contents, the units and initiatives behind it."""

    title = forms.CharField(label=_("Title"), max_length=300)
    summary = _text(_("Summary"), rows=3, required=True)
    description = _text(_("How it works"), rows=6)
    results = _text(_("Results achieved"))
    contents = forms.MultipleChoiceField(
        label=_("Contents of the movement"),
        choices=MovementContent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": PROBLEM_MESSAGES[rules.Problem.CONTENT_REQUIRED]},
    )
    units = UnitMultipleChoiceField(
        label=_("Units behind it"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        error_messages={"required": PROBLEM_MESSAGES[rules.Problem.UNITS_REQUIRED]},
    )
    initiatives = InitiativeMultipleChoiceField(
        label=_("Initiatives behind it"),
        required=False,
        queryset=Initiative.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        initiatives: QuerySet[Initiative],
        good_model: GoodModel | None = None,
        **kwargs: Any,
    ) -> None:
        """Offer the user's units and the recognised initiatives; fill from `good_model`."""
        if good_model is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": good_model.title,
                "summary": good_model.summary,
                "description": good_model.description,
                "results": good_model.results,
                "contents": list(good_model.contents.values_list("content", flat=True)),
                "units": list(good_model.units.values_list("pk", flat=True)),
                "initiatives": list(good_model.initiatives.values_list("pk", flat=True)),
            }
        super().__init__(*args, **kwargs)
        for name, rows in (("units", units), ("initiatives", initiatives)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)  # narrows the type for mypy
            field.queryset = rows

    def good_model_input(self) -> GoodModelInput:
        """Return what the form holds, for the service."""
        data = self.cleaned_data
        return GoodModelInput(
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
            results=data["results"],
            contents=list(data["contents"]),
            unit_ids=[u.pk for u in data["units"]],
            initiative_ids=[i.pk for i in data["initiatives"]],
        )
