"""Pages of unit KPIs: the indicators, reporting values, a unit's comparison over periods.

Thin: each view parses the request, calls a query of `queries.kpis` or a service of
`services.kpis`, and renders. Lists answer `?format=xlsx`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifelong.core.exceptions import ValidationFailed
from lifelong.core.exports import xlsx_response
from lifelong.core.lookups import get_visible, refuse
from lifelong.core.pages import acting_user, form_page, run_action
from lifelong.emulation import rules
from lifelong.emulation.forms.kpis import BulkForm, IndicatorForm, PeriodForm, ValueForm
from lifelong.emulation.models import KpiIndicator
from lifelong.emulation.queries import kpis as queries
from lifelong.emulation.queries.scope import EMULATION_CAPABILITIES
from lifelong.emulation.services import kpis as services
from lifelong.org import access
from lifelong.org.access import Capability


def _sees_kpis(request: HttpRequest) -> bool:
    return any(access.has_capability(request.user, c) for c in EMULATION_CAPABILITIES)


def _manages(request: HttpRequest) -> bool:
    return access.has_capability(request.user, Capability.MANAGE_EMULATION)


def _number(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@login_required
def kpis(request: HttpRequest) -> HttpResponse:
    """The indicators; the secretariat adds one here."""
    if not _sees_kpis(request):
        raise refuse(request.user, "kpi", "list")
    rows = queries.indicators()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "chi-tieu-kpi",
            _("Unit KPIs"),
            [
                _("Code"),
                _("Indicator name"),
                _("Unit of measure"),
                _("Reported by"),
                _("Over a phase"),
                _("Lower is better"),
                _("Description"),
            ],
            (
                [
                    i.code,
                    i.name,
                    i.measure,
                    i.get_period_kind_display(),
                    i.get_aggregation_display(),
                    _("Yes") if i.lower_is_better else _("No"),
                    i.description,
                ]
                for i in rows
            ),
        )
    form = IndicatorForm(request.POST or None) if _manages(request) else None
    context = {"indicators": rows, "units": queries.units_reporting(request.user)}
    if form is None:
        if request.method == "POST":
            raise refuse(request.user, "kpi", "new")
        return render(request, "emulation/kpis/kpis.html", {"form": None, **context})

    def save() -> HttpResponse:
        row = services.save_indicator(acting_user=acting_user(request), **form.cleaned_data)
        messages.success(request, _("The indicator {name} is saved.").format(name=row.name))
        return redirect("emulation:kpis")

    return form_page(request, form, "emulation/kpis/kpis.html", context, save)


@login_required
def kpi_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an indicator, or delete it while nothing uses it (the secretariat)."""
    if not _manages(request):
        raise refuse(request.user, "kpi", pk)
    indicator = get_visible(request.user, KpiIndicator.objects.all(), "kpi", pk)
    initial = {
        "code": indicator.code,
        "name": indicator.name,
        "measure": indicator.measure,
        "period_kind": indicator.period_kind,
        "aggregation": indicator.aggregation,
        "lower_is_better": indicator.lower_is_better,
        "description": indicator.description,
    }
    form = IndicatorForm(request.POST or None, initial=initial)

    def save() -> HttpResponse:
        services.save_indicator(
            acting_user=acting_user(request), indicator=indicator, **form.cleaned_data
        )
        messages.success(request, _("The indicator {name} is saved.").format(name=indicator.name))
        return redirect("emulation:kpis")

    return form_page(request, form, "emulation/kpis/kpi_edit.html", {"indicator": indicator}, save)


@login_required
@require_POST
def kpi_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an indicator no criterion uses and no unit reported (the secretariat)."""
    if not _manages(request):
        raise refuse(request.user, "kpi", pk)
    indicator = get_visible(request.user, KpiIndicator.objects.all(), "kpi", pk)
    name = indicator.name
    done = run_action(
        request,
        lambda: services.delete_indicator(acting_user=acting_user(request), indicator=indicator),
        _("The indicator {name} is deleted.").format(name=name),
    )
    return redirect("emulation:kpis") if done else redirect("emulation:kpi_edit", pk=pk)


@login_required
def kpi(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator across the units the user sees: the latest period and its change."""
    if not _sees_kpis(request):
        raise refuse(request.user, "kpi", pk)
    indicator = get_visible(request.user, KpiIndicator.objects.all(), "kpi", pk)
    rows = queries.latest_by_unit(request.user, indicator)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"kpi-{indicator.code}",
            indicator.name[:31],
            [
                _("Unit"),
                _("Latest period"),
                _("Value"),
                _("Change (%)"),
                _("x-fold"),
                _("Source"),
            ],
            (
                [
                    r.unit.name,
                    r.label,
                    float(r.value.value),
                    _number(r.change_percent),
                    _number(r.change_fold),
                    r.value.source,
                ]
                for r in rows
            ),
        )
    return render(
        request,
        "emulation/kpis/kpi.html",
        {"indicator": indicator, "rows": rows, "manages": _manages(request)},
    )


@login_required
def kpi_report(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """Report a unit's value of an indicator for one ended period (or correct it)."""
    unit = get_visible(request.user, queries.units_reporting(request.user), "unit", unit_pk)
    form = ValueForm(request.POST or None, choices=queries.indicators())

    def save() -> HttpResponse:
        data = form.cleaned_data
        indicator = data["indicator"]
        try:
            start, end = rules.period_bounds(indicator.period_kind, data["year"], data["number"])
        except ValueError:
            raise ValidationFailed(
                _("{name} has no period {number} in a year.").format(
                    name=indicator.name, number=data["number"]
                ),
                number=[_("Out of range.")],
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
def kpi_bulk(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """Report a unit's values of every indicator of one kind for one period, one row each."""
    unit = get_visible(request.user, queries.units_reporting(request.user), "unit", unit_pk)
    period = PeriodForm(request.GET or None)
    context: dict[str, object] = {"unit": unit, "period": period, "form": None}
    if not period.is_valid():
        return render(request, "emulation/kpis/bulk.html", context)
    kind, year, number = (period.cleaned_data[k] for k in ("kind", "year", "number"))
    try:
        start, end = rules.period_bounds(kind, year, number)
    except ValueError:
        period.add_error("number", _("A year has no such period."))
        return render(request, "emulation/kpis/bulk.html", context, status=400)
    chosen = [i for i in queries.indicators() if i.period_kind == kind]
    form = BulkForm(
        request.POST or None,
        indicators=chosen,
        reported=queries.reported_in(unit, kind, start),
    )
    context.update(
        form=form,
        label=queries.period_label(kind, start),
        start=start,
        end=end,
    )

    def save() -> HttpResponse:
        entries = [
            services.Entry(
                indicator=i,
                value=form.cleaned_data[f"value_{i.pk}"],
                source=form.cleaned_data[f"source_{i.pk}"],
            )
            for i in chosen
        ]
        saved = services.report_values(
            acting_user=acting_user(request),
            unit=unit,
            kind=kind,
            year=year,
            number=number,
            entries=entries,
        )
        messages.success(request, _("{count} values are saved.").format(count=len(saved)))
        return redirect(reverse("emulation:kpi_compare", kwargs={"unit_pk": unit.pk}))

    return form_page(request, form, "emulation/kpis/bulk.html", context, save)


@login_required
def kpi_compare(request: HttpRequest, unit_pk: int) -> HttpResponse:
    """A unit's KPIs by period with the change from the period before and from a year before."""
    unit = queries.kpi_unit(request.user, unit_pk)
    series = queries.series_of(unit)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"kpi-{unit.code}",
            unit.name[:31],
            [
                _("Indicator"),
                _("Unit of measure"),
                _("Period"),
                _("From"),
                _("To"),
                _("Value"),
                _("Change (%)"),
                _("x-fold"),
                _("Same period last year (%)"),
                _("Same period last year (x-fold)"),
                _("Source"),
            ],
            (
                [
                    s.indicator.name,
                    s.indicator.measure,
                    p.label,
                    p.period_start.strftime("%d/%m/%Y"),
                    p.period_end.strftime("%d/%m/%Y"),
                    float(p.value),
                    _number(p.change_percent),
                    _number(p.change_fold),
                    _number(p.year_on_year_percent),
                    _number(p.year_on_year_fold),
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
    path("kpis/<int:pk>/edit/", kpi_edit, name="kpi_edit"),
    path("kpis/<int:pk>/delete/", kpi_delete, name="kpi_delete"),
    path("kpis/units/<int:unit_pk>/report/", kpi_report, name="kpi_report"),
    path("kpis/units/<int:unit_pk>/bulk/", kpi_bulk, name="kpi_bulk"),
    path("kpis/units/<int:unit_pk>/", kpi_compare, name="kpi_compare"),
]
