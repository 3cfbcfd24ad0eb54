"""Forms of the score pages: the officers' ranking filter."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lifelong.org.models import Unit


class PeopleFilterForm(forms.Form):
    """Which unit's officers (its whole subtree) the officers' ranking shows; empty: all."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All the units I see"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units.order_by("sort_key")
        field.widget.attrs["data-testid"] = "people-unit"
