"""Forms of the councils' work: councils and members, scores, the vote and the decisions."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifelong.initiatives import rules
from lifelong.initiatives.choices import CouncilLevel, MemberRole
from lifelong.initiatives.models import Council
from lifelong.initiatives.services.common import PROBLEM_MESSAGES
from lifelong.org.models import Unit

__all__ = [
    "DATE_FORMATS",
    "CouncilEditForm",
    "CouncilForm",
    "DissolveForm",
    "MemberForm",
    "MemberRoleForm",
    "ProposeForm",
    "RecogniseForm",
    "RefuseForm",
    "ReturnForm",
    "ScoreForm",
    "VoteForm",
]

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    """A unit, shown indented by its depth in the tree."""

    def label_from_instance(self, obj: Unit) -> str:
        """Return the unit's name, indented by its depth."""
        return "\u2003" * obj.depth + obj.name


#
# Councils and members
#


class CouncilEditForm(forms.Form):
    """What can change in a council once it is set up."""

    name = forms.CharField(label=_("Council name"), max_length=300)
    established_on = _date_field(_("Established on (dd/mm/yyyy)"))
    decision_number = forms.CharField(
        label=_("Decision setting it up (number)"), max_length=64, required=False
    )


class CouncilForm(CouncilEditForm):
    """A new council: its level and the unit it sits at, then what can change later."""

    level = forms.ChoiceField(label=_("Council level"), choices=CouncilLevel.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    field_order = ("name", "level", "unit", "established_on", "decision_number")

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = units


class MemberForm(forms.Form):
    """A serving officer to seat on the council, by officer code, and the role."""

    officer_code = forms.CharField(label=_("Officer code"), max_length=32)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial="member")


class MemberRoleForm(forms.Form):
    """Another role for a member."""

    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)


class DissolveForm(forms.Form):
    """The date a council is dissolved."""

    dissolved_on = _date_field(_("Dissolved on (dd/mm/yyyy)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"dissolved_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


#
# Scores, vote and decisions
#


class ScoreForm(forms.Form):
    """A member's points on each criterion of Decree 13/2012, within the policy's maxima."""

    novelty = forms.IntegerField(label=_("Novelty within the unit"), min_value=0)
    application = forms.IntegerField(label=_("Applied or trialled"), min_value=0)
    benefit = forms.IntegerField(label=_("Practical benefit"), min_value=0)
    excluded = forms.BooleanField(
        label=_(
            "Excluded: contrary to public order or morality, or already protected as "
            "intellectual property"
        ),
        required=False,
    )
    comment = forms.CharField(
        label=_("Comments"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, criteria: rules.Criteria, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("novelty", "application", "benefit"):
            most = getattr(criteria, name)
            field = self.fields[name]
            assert isinstance(field, forms.IntegerField)
            field.widget.attrs.update({"min": 0, "max": most})
            field.help_text = _("0 to {most} points").format(most=most)
            field.validators.append(_at_most(most))


def _at_most(most: int) -> Any:
    def check(value: int) -> None:
        if value > most:
            raise forms.ValidationError(PROBLEM_MESSAGES[rules.Problem.SCORE_OUT_OF_RANGE])

    return check


class VoteForm(forms.Form):
    """The council's vote: how many members voted for, against, or abstained."""

    in_favour = forms.IntegerField(label=_("Votes in favour"), min_value=0)
    against = forms.IntegerField(label=_("Votes against"), min_value=0, initial=0)
    abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, initial=0)
    voted_on = _date_field(_("Vote date (dd/mm/yyyy)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"voted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_voted_on(self) -> datetime.date:
        """Refuse a vote dated in the future."""
        voted_on: datetime.date = self.cleaned_data["voted_on"]
        if voted_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return voted_on


class RecogniseForm(forms.Form):
    """The decision recognising the initiative: number, date and who signed it."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    decision_date = _date_field(_("Decision date (dd/mm/yyyy)"))
    authority = forms.CharField(label=_("Recognised by"), max_length=300)

    def clean_decision_date(self) -> datetime.date:
        """Refuse a decision dated in the future."""
        decided: datetime.date = self.cleaned_data["decision_date"]
        for field, problem in rules.check_decision(
            number="-", date=decided, today=timezone.localdate()
        ):
            if field == "decision_date":
                raise forms.ValidationError(PROBLEM_MESSAGES[problem])
        return decided


class RefuseForm(forms.Form):
    """Why the council does not recognise the initiative."""

    reasons = forms.CharField(
        label=_("Reasons for not recognising it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": PROBLEM_MESSAGES[rules.Problem.REASON_REQUIRED]},
    )


class ReturnForm(forms.Form):
    """What the authors must change before the council evaluates it again."""

    reason = forms.CharField(
        label=_("Reason for returning it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        error_messages={"required": PROBLEM_MESSAGES[rules.Problem.REASON_REQUIRED]},
    )


class ProposeForm(forms.Form):
    """The council to evaluate a recognised initiative at the next level."""

    council = forms.ModelChoiceField(label=_("Council"), queryset=Council.objects.none())

    def __init__(self, *args: Any, councils: QuerySet[Council], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["council"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = councils
