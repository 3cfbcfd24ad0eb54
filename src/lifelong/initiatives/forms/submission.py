"""Forms of the submission area: the initiative, its authors (officer code and share) and files.

The forms check the shape of what is typed; the rules (texts needed to submit, shares adding
up to 100%, authors of the organisation) are the service's, which names the fields it refuses.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lifelong.initiatives.choices import ApplicationKind, Field
from lifelong.initiatives.rules import Problem
from lifelong.initiatives.services.common import PROBLEM_MESSAGES
from lifelong.learning.choices import MovementContent
from lifelong.learning.forms.selfstudy import DATE_FORMATS, MultipleFileField, MultipleFileInput

__all__ = [
    "ACCEPT",
    "MAX_AUTHORS",
    "AuthorForm",
    "AuthorFormSet",
    "InitiativeForm",
]

# What the file chooser offers; the content of each file is checked when it is stored.
ACCEPT = ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"
MAX_AUTHORS = 20


def _text(label: Any, rows: int = 4, max_length: int = 20000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class InitiativeForm(forms.Form):
    """An initiative: title, unit, field, the case for it (Decree 13/2012 Art. 3) and files."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        error_messages={"required": PROBLEM_MESSAGES[Problem.TITLE_REQUIRED]},
    )
    unit_id = forms.TypedChoiceField(label=_("Unit"), coerce=int, choices=())
    field = forms.ChoiceField(label=_("Field"), choices=Field.choices)
    content = forms.ChoiceField(
        label=_("Movement content"),
        required=False,
        choices=[("", "—"), *MovementContent.choices],
    )
    problem = _text(_("The problem it solves"))
    solution = _text(_("The solution"), rows=6)
    novelty = _text(_("What is new"))
    application_kind = forms.ChoiceField(
        label=_("Applied or trialled"),
        choices=ApplicationKind.choices,
        initial=ApplicationKind.APPLIED,
    )
    applied_from = forms.DateField(
        label=_("Applied or trialled since (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    effect = _text(_("Measured effect"))
    figures = _text(_("Benefits in figures"), rows=3)
    scope = _text(_("Where it can apply"), rows=3)
    attachments = MultipleFileField(
        label=_("Attachments (PDF, DOCX, XLSX, PNG or JPEG, at most 20 MB each)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("Remove these files"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        unit_choices: list[tuple[int, str]],
        attachment_choices: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit_id"]
        assert isinstance(unit, forms.TypedChoiceField)
        unit.choices = unit_choices
        remove = self.fields["remove_attachments"]
        assert isinstance(remove, forms.TypedMultipleChoiceField)
        remove.choices = attachment_choices
        if not attachment_choices:
            del self.fields["remove_attachments"]


class AuthorForm(forms.Form):
    """One author: an officer code of the organisation and their share of the contribution."""

    officer_code = forms.CharField(label=_("Officer code"), required=False, max_length=32)
    share = forms.DecimalField(
        label=_("Share (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        error_messages={"min_value": PROBLEM_MESSAGES[Problem.SHARE_NOT_POSITIVE]},
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )

    def clean(self) -> dict[str, Any]:
        """Ask for the missing half of a row that names an author or a share."""
        data = super().clean() or {}
        code = (data.get("officer_code") or "").strip()
        data["officer_code"] = code
        if code and data.get("share") is None and "share" not in self.errors:
            self.add_error("share", _("Give this author's share."))
        if not code and data.get("share") is not None:
            self.add_error("officer_code", _("Give the author's officer code."))
        return data

    def is_blank(self) -> bool:
        """Return whether the row was left empty (it is then ignored)."""
        data = getattr(self, "cleaned_data", {})
        return not (data.get("officer_code") or data.get("share") is not None)


AuthorFormSet = forms.formset_factory(
    AuthorForm, extra=1, max_num=MAX_AUTHORS, validate_max=True, absolute_max=MAX_AUTHORS
)
