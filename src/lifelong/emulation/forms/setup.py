"""Forms of campaign setup: the campaign, a phase, a content, a cluster, the criteria editor."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lifelong.emulation.choices import ClusterKind, CriterionKind, Metric, Normalisation, Subject
from lifelong.emulation.models import Content, KpiIndicator
from lifelong.emulation.services.setup import CriterionInput
from lifelong.learning.choices import MovementContent
from lifelong.org.models import Unit


class CampaignForm(forms.Form):
    """A campaign: launched by a unit the secretariat manages, for the units in scope."""

    name = forms.CharField(label=_("Campaign name"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    launching_unit = forms.ModelChoiceField(label=_("Launching unit"), queryset=Unit.objects.none())
    scope_units = forms.ModelMultipleChoiceField(
        label=_("Units in scope"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Each with its whole subtree; none chosen: the launching unit's subtree."),
    )
    starts_on = forms.DateField(label=_("Starts on"), help_text=_("dd/mm/yyyy"))
    ends_on = forms.DateField(label=_("Ends on"), help_text=_("dd/mm/yyyy"))

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        scope_choices: QuerySet[Unit],
        require_scope: bool = False,
        **kwargs: Any,
    ) -> None:
        """Offer the units the secretariat manages, and the units under them for the scope."""
        super().__init__(*args, **kwargs)
        self.fields["launching_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["scope_units"].queryset = scope_choices  # type: ignore[attr-defined]
        if require_scope:
            self.fields["scope_units"].required = True
            self.fields["scope_units"].help_text = _("Each with its whole subtree.")


class PhaseForm(forms.Form):
    """A dated phase."""

    name = forms.CharField(label=_("Phase name"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), help_text=_("dd/mm/yyyy"))
    ends_on = forms.DateField(label=_("Ends on"), help_text=_("dd/mm/yyyy"))


class ContentForm(forms.Form):
    """A weighted content."""

    name = forms.CharField(label=_("Content name"), max_length=300)
    movement_content = forms.ChoiceField(
        label=_("Content of the movement"),
        choices=[("", "—"), *MovementContent.choices],
        required=False,
    )
    weight = forms.DecimalField(label=_("Weight (%)"), max_digits=5, decimal_places=2)


class ClusterForm(forms.Form):
    """A cluster or block and its competing units."""

    name = forms.CharField(label=_("Cluster name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ClusterKind.choices)
    units = forms.ModelMultipleChoiceField(
        label=_("Competing units"), queryset=Unit.objects.none(), widget=forms.SelectMultiple
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        """Offer the units of the campaign's scope."""
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class CriterionForm(forms.Form):
    """One row of the criteria editor."""

    content = forms.ModelChoiceField(label=_("Content"), queryset=Content.objects.none())
    code = forms.SlugField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Criterion name"), max_length=300)
    # Defaults as initial values and blank first choices, so an untouched extra row of the
    # formset counts as unchanged (and is ignored) rather than as a row with errors.
    subject = forms.ChoiceField(label=_("Scores"), choices=Subject.choices, initial=Subject.UNITS)
    metric = forms.ChoiceField(label=_("Measure"), choices=[("", "—"), *Metric.choices])
    kpi = forms.ModelChoiceField(
        label=_("KPI"), queryset=KpiIndicator.objects.all(), required=False
    )
    kind = forms.ChoiceField(label=_("Scoring"), choices=[("", "—"), *CriterionKind.choices])
    weight = forms.DecimalField(label=_("Weight (%)"), max_digits=5, decimal_places=2)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2, required=False)
    cap = forms.DecimalField(
        label=_("Cap (points)"), max_digits=6, decimal_places=2, initial=Decimal(100)
    )
    steps = forms.CharField(
        label=_("Thresholds"),
        required=False,
        help_text=_("bound:points; e.g. 10:50; 25:80; 40:100"),
    )
    lower_is_better = forms.BooleanField(label=_("Lower is better"), required=False)
    normalisation = forms.ChoiceField(
        label=_("Normalisation"), choices=Normalisation.choices, initial=Normalisation.NONE
    )

    def __init__(self, *args: Any, contents: QuerySet[Content], **kwargs: Any) -> None:
        """Offer the campaign's contents."""
        super().__init__(*args, **kwargs)
        self.fields["content"].queryset = contents  # type: ignore[attr-defined]

    def as_input(self) -> CriterionInput:
        """Return the cleaned row for the service."""
        data = self.cleaned_data
        return CriterionInput(
            content_id=data["content"].pk,
            code=data["code"],
            name=data["name"],
            subject=data["subject"],
            metric=data["metric"],
            kind=data["kind"],
            weight=data["weight"],
            target=data["target"],
            cap=data["cap"] if data["cap"] is not None else Decimal(100),
            steps=data["steps"],
            lower_is_better=data["lower_is_better"],
            normalisation=data["normalisation"],
            kpi_id=data["kpi"].pk if data["kpi"] else None,
        )


class BaseCriteriaFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The whole set of a phase's criteria; blank extra rows are ignored."""

    def filled(self) -> list[int]:
        """Return the indexes of the filled rows among the forms."""
        return [i for i, f in enumerate(self.forms) if f.has_changed() and f.cleaned_data]

    def inputs(self) -> list[CriterionInput]:
        """Return the filled rows."""
        return [self.forms[i].as_input() for i in self.filled()]


CriteriaFormSet = forms.formset_factory(
    CriterionForm, formset=BaseCriteriaFormSet, extra=2, can_delete=False
)


class VersionNoteForm(forms.Form):
    """What changed in this version."""

    note = forms.CharField(label=_("What changed"), max_length=300, required=False)
