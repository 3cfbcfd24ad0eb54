"""Forms of the hours ledger's pages: the year asked for, a target row, matching an actor."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.org.choices import PositionGroup

FIRST_YEAR = 2000
LAST_YEAR = 2100


class YearForm(forms.Form):
    """The year a ledger or a compliance page shows (this year when missing or invalid)."""

    year = forms.IntegerField(
        label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )


class TargetForm(forms.Form):
    """A new annual target row (the training office's policy)."""

    position_group = forms.ChoiceField(
        label=_("Job-position group"),
        choices=[("", _("All groups")), *PositionGroup.choices],
        required=False,
    )
    from_year = forms.IntegerField(label=_("From year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    until_year = forms.IntegerField(
        label=_("Until year (blank: no end)"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
    )
    hours = forms.DecimalField(
        label=_("Target (clock hours)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(2000),
        max_digits=7,
        decimal_places=2,
    )
    source = forms.CharField(label=_("Source (decision, plan)"), max_length=300, required=False)


class MatchActorForm(forms.Form):
    """The officer an unknown xAPI actor stands for."""

    officer_code = forms.CharField(label=_("Officer code"), max_length=32)
