"""Forms of assignments: an assignment rule of the training office."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lifelong.learning.models import Course
from lifelong.org.models import CivilServiceRank, JobPosition, Unit

__all__ = ["AssignmentRuleForm"]


class AssignmentRuleForm(forms.Form):
    """A rule: the course, whom it assigns to, and when it is due."""

    name = forms.CharField(label=_("Name"), max_length=200)
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Unit (with sub-units)"), queryset=Unit.objects.none(), required=False
    )
    job_position = forms.ModelChoiceField(
        label=_("Job position"), queryset=JobPosition.objects.all(), required=False
    )
    rank = forms.ModelChoiceField(
        label=_("Civil-service rank"), queryset=CivilServiceRank.objects.all(), required=False
    )
    new_hires_days = forms.IntegerField(
        label=_("Only officers hired within (days)"), min_value=1, max_value=3650, required=False
    )
    due_days = forms.IntegerField(
        label=_("Due within (days)"), min_value=1, max_value=3650, required=False
    )
    due_date = forms.DateField(label=_("Due date"), required=False, help_text=_("dd/mm/yyyy"))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        """Offer the active courses and the units of the user's scope."""
        super().__init__(*args, **kwargs)
        course_field = self.fields["course"]
        unit_field = self.fields["unit"]
        assert isinstance(course_field, forms.ModelChoiceField)  # narrows the type for mypy
        assert isinstance(unit_field, forms.ModelChoiceField)  # narrows the type for mypy
        course_field.queryset = Course.objects.filter(is_active=True).order_by("sort_key", "code")
        unit_field.queryset = units.order_by("path")

    def clean(self) -> dict[str, Any]:
        """Require a due date or a number of days, not both."""
        data = super().clean() or {}
        # One due rule, so the officer knows exactly when the learning is due.
        if data.get("due_days") and data.get("due_date"):
            self.add_error("due_date", _("Give a due date or a number of days, not both."))
        elif not data.get("due_days") and not data.get("due_date"):
            self.add_error("due_days", _("Give a due date or a number of days."))
        return data
