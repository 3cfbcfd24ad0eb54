"""Pages of unit KPIs: the indicators, reporting a value, a unit's comparison over periods.

Thin: each view parses the request, calls a query of `queries.kpis` or a service of
`services.kpis`, and renders. Lists answer `?format=xlsx`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from lifelong.core.exceptions import ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.pages import acting_user, form_page
from lifelong.emulation import rules
from lifelong.emulation.forms.kpis import IndicatorForm, ValueForm
from lifelong.emulation.models import KpiIndicator, KpiValue
from lifelong.emulation.queries import kpis as queries
from lifelong.emulation.queries.scope import EMULATION_CAPABILITIES
from lifelong.emulation.services import kpis as services
from lifelong.org import access
from lifelong.org.access import Capability


def _sees_kpis(request: HttpRequest) -> bool:
    return any(access.has_capability(request.user, c) for c in EMULATION_CAPABILITIES)


@login_required
def kpis(request: HttpRequest) -> HttpResponse:
    """The indicators; the secretariat adds one here."""
    if not _sees_kpis(request):
        raise refuse(request.user, "kpi", "list")
    manages = access.has_capability(request.user, Capability.MANAGE_EMULATION)
    form = IndicatorForm(request.POST or None) if manages else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.save_indicator(acting_user=acting_user(request), **form.cleaned_data)
            messages.success(request, _("The indicator is saved."))
            return redirect("emulation:kpis")
        except ValidationFailed as refusal:
            form.add_error(None, refusal.message)
    rows = KpiIndicator.objects.order_by("name")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "chi-tieu-kpi",
            _("Unit KPIs"),
            [_("Code"), _("Indicator name"), _("Unit of measure"), _("Reported by")],
            ([i.code, i.name, i.measure, i.get_period_kind_display()] for i in rows),
        )
    context = {
        "indicators": rows,
        "form": form,
        "units": queries.units_reporting(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "emulation/kpis/kpis.html", context, status=status)


@login_required
def kpi(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator across the units the user sees: the latest period and its change."""
    if not _sees_kpis(request):
        raise refuse(request.user, "kpi", pk)
    indicator = get_visible(request.user, KpiIndicator.objects.all(), "kpi", pk)
    roots = sorted(
        set(access.scope_of(request.user, Capability.SEE_EMULATION))
        | set(access.scope_of(request.user, Capability.TAKE_PART_EMULATION))
    )
    values = (
        KpiValue.objects.filter(indicator=indicator)
        .filter(access.scope_filter(roots, "unit__path"))
        .select_related("unit")
        .order_by("unit__path", "period_start")
    )
    latest: dict[int, list[KpiValue]] = {}
    for value in values:
        latest.setdefault(value.unit_id, []).append(value)
    rows = []
    for series in latest.values():
        last = series[-1]
        before = series[-2].value if len(series) > 1 else None
        rows.append(
            {
                "unit": last.unit,
                "value": last,
                "change": rules.percent_change(before, last.value),
                "fold": rules.fold_change(before, last.value),
            }
        )
    return render(request, "emulation/kpis/kpi.html", {"indicator": indicator, "rows": rows})


@login_required
def kpi_report(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """Report a unit's value of an indicator for one ended period (or correct it)."""
    unit = get_visible(request.user, queries.units_reporting(request.user), "unit", unit_pk)
    form = ValueForm(request.POST or None)

    def save() -> HttpResponse:
        data = form.cleaned_data
        indicator = data["indicator"]
        try:
            start, end = rules.period_bounds(indicator.period_kind, data["year"], data["number"])
        except ValueError:
            raise ValidationFailed(
                _("This indicator has no such period in a year."), number=[_("Out of range.")]
            ) from None
        services.report_value(
            acting_user=acting_user(request),
            indicator=indicator,
            unit=unit,
            period_start=start,
            period_end=end,
            value=data["value"],
            source=data["source"],
        )
        messages.success(request, _("The value is saved."))
        return redirect("emulation:kpi_compare", unit_pk=unit.pk)

    return form_page(request, form, "emulation/kpis/report.html", {"unit": unit}, save)


@login_required
def kpi_compare(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """A unit's KPIs by period with the change from the period before and from a year before."""
    unit = queries.kpi_unit(request.user, unit_pk)
    series = queries.series_of(unit)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"kpi-{unit.code}",
            unit.name[:31],
            [_("Indicator"), _("Period"), _("Value"), _("Change (%)"), _("x-fold"), _("Source")],
            (
                [
                    s.indicator.name,
                    f"{p.period_start:%d/%m/%Y} – {p.period_end:%d/%m/%Y}",
                    float(p.value),
                    None if p.change_percent is None else float(p.change_percent),
                    None if p.change_fold is None else float(p.change_fold),
                    p.source,
                ]
                for s in series
                for p in s.points
            ),
        )
    context = {
        "unit": unit,
        "series": series,
        "may_report": queries.units_reporting(request.user).filter(pk=unit.pk).exists(),
    }
    return render(request, "emulation/kpis/compare.html", context)


urlpatterns: list[URLPattern] = [
    path("kpis/", kpis, name="kpis"),
    path("kpis/<int:pk>/", kpi, name="kpi"),
    path("kpis/units/<int:unit_pk>/report/", kpi_report, name="kpi_report"),
    path("kpis/units/<int:unit_pk>/", kpi_compare, name="kpi_compare"),
]
