"""Forms of learning plans: the plan and its planned items (a formset)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.learning.models import Course
from lifelong.learning.queries.plans import active_courses

__all__ = ["PlanForm", "PlanItemForm", "PlanItemFormSet"]

QUARTERS = [("", _("any time")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]


class PlanForm(forms.Form):
    """The plan's target and note."""

    target_hours = forms.DecimalField(
        label=_("Target (clock hours)"), max_digits=7, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CourseChoiceField(forms.ModelChoiceField[Course]):
    """A course of the catalogue, shown by code and title."""

    def label_from_instance(self, obj: Course) -> str:
        """Return the course's code and title."""
        return f"{obj.code} {obj.title}"


class PlanItemForm(forms.Form):
    """One planned item: a course of the catalogue, or described self-study."""

    course = CourseChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, empty_label="—"
    )
    description = forms.CharField(label=_("Self-study planned"), required=False, max_length=300)
    planned_hours = forms.DecimalField(
        label=_("Planned clock hours"), max_digits=7, decimal_places=2, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=QUARTERS, coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = active_courses()

    def clean(self) -> dict[str, Any]:
        """Ask for hours when a course or description is given."""
        data = super().clean() or {}
        named = data.get("course") or (data.get("description") or "").strip()
        if named and data.get("planned_hours") is None:
            self.add_error("planned_hours", _("Give the planned hours."))
        return data

    def is_blank(self) -> bool:
        """Return whether the row was left empty (it is then ignored)."""
        data = getattr(self, "cleaned_data", {})
        return not (
            data.get("course")
            or (data.get("description") or "").strip()
            or data.get("planned_hours")
        )


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=3, max_num=40, validate_max=True)
