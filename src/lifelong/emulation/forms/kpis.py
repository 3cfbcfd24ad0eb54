"""Forms of unit KPIs: an indicator, a value reported for a period, a bulk entry."""

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.emulation.choices import KpiAggregation, PeriodKind
from lifelong.emulation.models import KpiIndicator, KpiValue


class IndicatorForm(forms.Form):
    """An indicator units report."""

    code = forms.SlugField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Indicator name"), max_length=300)
    measure = forms.CharField(label=_("Unit of measure"), max_length=64)
    period_kind = forms.ChoiceField(label=_("Reported by"), choices=PeriodKind.choices)
    aggregation = forms.ChoiceField(label=_("Over a phase"), choices=KpiAggregation.choices)
    lower_is_better = forms.BooleanField(label=_("Lower is better"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class _PeriodFields(forms.Form):
    """The year and which period of it (the month, quarter or half)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Period of the year"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Month 1-12, quarter 1-4, half 1-2; 1 for a yearly indicator."),
    )


class ValueForm(_PeriodFields):
    """A value for one period: the indicator, the year and which period of it."""

    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=300)

    field_order = ["indicator", "year", "number", "value", "source"]

    def __init__(self, *args: Any, choices: Sequence[KpiIndicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {i.pk: i for i in choices}
        field = self.fields["indicator"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "---------")] + [
            (i.pk, f"{i.name} ({i.get_period_kind_display().lower()})") for i in choices
        ]

    def clean_indicator(self) -> KpiIndicator:
        """Return the chosen indicator."""
        return self.indicators[self.cleaned_data["indicator"]]


class PeriodForm(_PeriodFields):
    """The period of a bulk entry: its length, the year and which period of it."""

    kind = forms.ChoiceField(label=_("Reported by"), choices=PeriodKind.choices)

    field_order = ["kind", "year", "number"]


class BulkForm(forms.Form):
    """One row per indicator: its value and source; a row left blank is not reported."""

    def __init__(
        self,
        *args: Any,
        indicators: Sequence[KpiIndicator],
        reported: Mapping[int, KpiValue],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for indicator in indicators:
            old = reported.get(indicator.pk)
            value = forms.DecimalField(
                label=indicator.name,
                max_digits=16,
                decimal_places=2,
                required=False,
                initial=old.value if old else None,
            )
            source = forms.CharField(
                label=_("Source"),
                max_length=300,
                required=False,
                initial=old.source if old else "",
            )
            self.fields[f"value_{indicator.pk}"] = value
            self.fields[f"source_{indicator.pk}"] = source
            self.rows.append(
                (indicator, old, self[f"value_{indicator.pk}"], self[f"source_{indicator.pk}"])
            )
