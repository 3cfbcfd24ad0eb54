"""Forms of the catalogue: course, programme, instructor, WCO accreditation, and searches."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.learning import xapi
from lifelong.learning.choices import (
    CourseLevel,
    DeliveryMode,
    InstructorKind,
    MovementContent,
    Provider,
    TrainingCategory,
    WcoArea,
    WcoStatus,
)
from lifelong.learning.models import Course, Instructor
from lifelong.learning.services.catalogue import CourseInput, InstructorInput, ProgrammeInput
from lifelong.org.models import Person, Unit

__all__ = [
    "AccreditationForm",
    "CatalogueSearchForm",
    "CourseForm",
    "InstructorForm",
    "InstructorSearchForm",
    "ProgrammeForm",
]

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _any(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("any")), *choices]


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class CatalogueSearchForm(forms.Form):
    """The catalogue's search box and filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    content = forms.ChoiceField(
        label=_("Movement content"), required=False, choices=_any(MovementContent.choices)
    )
    category = forms.ChoiceField(
        label=_("Training category"), required=False, choices=_any(TrainingCategory.choices)
    )
    mode = forms.ChoiceField(
        label=_("Delivery mode"), required=False, choices=_any(DeliveryMode.choices)
    )
    provider = forms.ChoiceField(
        label=_("Provider"), required=False, choices=_any(Provider.choices)
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=_any(CourseLevel.choices))


class CourseForm(forms.Form):
    """A course of the catalogue, as the training office enters it."""

    code = forms.CharField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("English title"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    periods = forms.DecimalField(
        label=_("Periods (tiết)"), required=False, min_value=0, max_digits=7, decimal_places=2
    )
    hours = forms.DecimalField(
        label=_("Clock hours"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=_("Give either; the other is worked out (1 period = 45 minutes)."),
    )
    level = forms.ChoiceField(label=_("Level"), choices=CourseLevel.choices)
    provider = forms.ChoiceField(label=_("Provider"), choices=Provider.choices)
    provider_unit = forms.ModelChoiceField(
        label=_("Providing unit"), required=False, queryset=Unit.objects.order_by("path")
    )
    provider_name = forms.CharField(label=_("Provider name"), max_length=200, required=False)
    delivery_mode = forms.ChoiceField(label=_("Delivery mode"), choices=DeliveryMode.choices)
    category = forms.ChoiceField(label=_("Training category"), choices=TrainingCategory.choices)
    contents = forms.MultipleChoiceField(
        label=_("Movement contents"),
        choices=MovementContent.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.CharField(
        label=_("Topics"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas."),
    )
    issues_certificate = forms.BooleanField(
        label=_("Issues a certificate on completion"), required=False
    )
    certificate_months = forms.IntegerField(
        label=_("Certificate valid for (months)"), required=False, min_value=1, max_value=600
    )
    activity_iris = forms.CharField(
        label=_("E-learning activity IRIs that stand for this course"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        """Fill the form from `course` when editing; its code cannot change."""
        if course is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": course.code,
                "title": course.title,
                "title_en": course.title_en,
                "description": course.description,
                "periods": course.periods,
                "hours": course.hours,
                "level": course.level,
                "provider": course.provider,
                "provider_unit": course.provider_unit_id,
                "provider_name": course.provider_name,
                "delivery_mode": course.delivery_mode,
                "category": course.category,
                "contents": [c.content for c in course.contents.all()],
                "topics": ", ".join(t.name for t in course.topics.all()),
                "issues_certificate": course.issues_certificate,
                "certificate_months": course.certificate_months,
                "activity_iris": "\n".join(
                    a.iri
                    for a in course.activities.all()
                    if a.iri != xapi.activity_iri("course", course.code)
                ),
                "is_active": course.is_active,
            }
        super().__init__(*args, **kwargs)
        if course is not None:
            self.fields["code"].disabled = True

    def to_input(self) -> CourseInput:
        """Return the cleaned data as the service's input."""
        data = self.cleaned_data
        return CourseInput(
            title=data["title"],
            title_en=data["title_en"],
            description=data["description"],
            periods=data["periods"],
            hours=data["hours"],
            level=data["level"],
            provider=data["provider"],
            provider_unit=data["provider_unit"],
            provider_name=data["provider_name"],
            delivery_mode=data["delivery_mode"],
            category=data["category"],
            contents=data["contents"],
            topics=_split(data["topics"]),
            issues_certificate=data["issues_certificate"],
            certificate_months=data["certificate_months"],
            activity_iris=data["activity_iris"].splitlines(),
            is_active=data["is_active"],
        )


class ProgrammeForm(forms.Form):
    """A programme: its titles and its courses in order (codes, one per line)."""

    code = forms.CharField(label=_("Code"), max_length=32)
    title = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("English title"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    courses = forms.CharField(
        label=_("Course codes, in order"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_courses(self) -> list[Course]:
        """Return the courses named, in the order given; every code must exist."""
        codes = [c.strip().upper() for c in self.cleaned_data["courses"].splitlines() if c.strip()]
        found = {c.code: c for c in Course.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(
                _("No course has the code %(codes)s."), params={"codes": ", ".join(missing)}
            )
        return [found[c] for c in dict.fromkeys(codes)]

    def to_input(self) -> ProgrammeInput:
        """Return the cleaned data as the service's input."""
        data = self.cleaned_data
        return ProgrammeInput(
            title=data["title"],
            title_en=data["title_en"],
            description=data["description"],
            courses=data["courses"],
            is_active=data["is_active"],
        )


class InstructorSearchForm(forms.Form):
    """The instructor registry's search box and filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_any(InstructorKind.choices))
    wco_area = forms.ChoiceField(label=_("WCO area"), required=False, choices=_any(WcoArea.choices))
    wco_status = forms.ChoiceField(
        label=_("WCO status"), required=False, choices=_any(WcoStatus.choices)
    )


class InstructorForm(forms.Form):
    """An instructor: an officer (by officer code) or an external person (by name)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=InstructorKind.choices)
    officer_code = forms.CharField(
        label=_("Officer code"),
        max_length=32,
        required=False,
        help_text=_("For an in-house instructor."),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("For an external instructor."),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    topics = forms.CharField(
        label=_("Subjects"), required=False, max_length=1000, help_text=_("Separated by commas.")
    )
    subjects = forms.CharField(label=_("Other subjects"), max_length=500, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, instructor: Instructor | None = None, **kwargs: Any) -> None:
        """Fill the form from `instructor` when editing."""
        if instructor is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": instructor.kind,
                "officer_code": instructor.person.officer_code if instructor.person else "",
                "full_name": "" if instructor.person else instructor.full_name,
                "organisation": instructor.organisation,
                "email": instructor.email,
                "topics": ", ".join(t.name for t in instructor.topics.all()),
                "subjects": instructor.subjects,
                "is_active": instructor.is_active,
            }
        super().__init__(*args, **kwargs)

    def clean_officer_code(self) -> Person | None:
        """Return the officer named by the code (any officer may teach), or None."""
        code = self.cleaned_data["officer_code"].strip()
        if not code:
            return None
        person = Person.objects.filter(officer_code=code).first()
        if person is None:
            raise forms.ValidationError(_("No officer has this code."))
        return person

    def to_input(self) -> InstructorInput:
        """Return the cleaned data as the service's input."""
        data = self.cleaned_data
        return InstructorInput(
            kind=data["kind"],
            person=data["officer_code"],
            full_name=data["full_name"],
            organisation=data["organisation"],
            email=data["email"],
            topics=_split(data["topics"]),
            subjects=data["subjects"],
            is_active=data["is_active"],
        )


class AccreditationForm(forms.Form):
    """A WCO accreditation of an instructor."""

    area = forms.ChoiceField(label=_("Area"), choices=WcoArea.choices)
    status = forms.ChoiceField(label=_("Status"), choices=WcoStatus.choices)
    valid_from = _date_field(_("From"))
    valid_until = _date_field(_("Until"), required=False)

    def clean(self) -> dict[str, Any]:
        """Refuse an end date before the start date."""
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end date is before the start date."))
        return data
