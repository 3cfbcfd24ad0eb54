"""Forms of unit KPIs: an indicator, and a value reported for a period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.emulation.choices import KpiAggregation, PeriodKind
from lifelong.emulation.models import KpiIndicator


class IndicatorForm(forms.Form):
    """An indicator units report."""

    code = forms.SlugField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Indicator name"), max_length=300)
    measure = forms.CharField(label=_("Unit of measure"), max_length=64)
    period_kind = forms.ChoiceField(label=_("Reported by"), choices=PeriodKind.choices)
    aggregation = forms.ChoiceField(label=_("Over a phase"), choices=KpiAggregation.choices)
    lower_is_better = forms.BooleanField(label=_("Lower is better"), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)


class ValueForm(forms.Form):
    """A value for one period: the indicator, the year and which period of it."""

    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=KpiIndicator.objects.all())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Period of the year"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("Month 1-12, quarter 1-4, half 1-2; 1 for a yearly indicator."),
    )
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=2)
    source = forms.CharField(label=_("Source"), max_length=300)
