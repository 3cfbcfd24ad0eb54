"""REST endpoints of unit KPIs: the indicators, a unit's values with their changes, reporting.

A unit's values are read by holders of SEE_EMULATION or TAKE_PART_EMULATION over it and
reported by holders of TAKE_PART_EMULATION (its head). Anything out of scope answers 404.
"""

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from lifelong.core.api.exceptions import responses
from lifelong.core.api.pagination import Listing, Page
from lifelong.core.lookups import get_visible, refuse
from lifelong.emulation.models import KpiIndicator, KpiValue
from lifelong.emulation.queries import kpis as queries
from lifelong.emulation.queries.scope import EMULATION_CAPABILITIES
from lifelong.emulation.services import kpis as services
from lifelong.org import access

router = Router(tags=["emulation"])


class IndicatorOut(Schema):
    """An indicator units report."""

    id: int
    code: str
    name: str
    measure: str
    period_kind: str = Field(description="month, quarter, half or year.")
    lower_is_better: bool
    aggregation: str = Field(description="How a phase adds up: sum, latest or mean.")


class IndicatorList(Schema):
    """A page of indicators, by name."""

    items: list[IndicatorOut]
    count: int


class ValueOut(Schema):
    """A unit's value for one period and its change from the period before."""

    indicator: str = Field(description="The indicator's code.")
    period_start: datetime.date
    period_end: datetime.date
    value: float
    source: str
    change_percent: float | None = Field(description="% change from the period before.")
    change_fold: float | None = Field(description="Times the period before (x-fold).")


class ValueList(Schema):
    """A unit's values, by indicator then period."""

    items: list[ValueOut]
    count: int


class ValueQuery(Schema):
    """Which indicator (its code); default all."""

    indicator: str | None = None


class ValueIn(Schema):
    """A value to report (or correct) for one ended period of the indicator's kind."""

    indicator: str = Field(description="The indicator's code.")
    period_start: datetime.date
    period_end: datetime.date
    value: Decimal = Field(description="Any number, at most 2 decimals kept.")
    source: str = Field(description="Where the figure comes from (required).")


@router.get("/kpis", response=responses(IndicatorList, 401, 404, 422), summary="List KPIs")
def list_kpis(request: HttpRequest, page: Query[Page]) -> Listing[KpiIndicator]:
    """List the indicators units report, by name (for holders of an emulation capability)."""
    if not any(access.has_capability(request.user, c) for c in EMULATION_CAPABILITIES):
        raise refuse(request.user, "kpi", "list")
    rows = queries.indicators()
    return {"items": rows[page.offset : page.offset + page.limit], "count": len(rows)}


def _items(series: list[queries.Series]) -> list[dict[str, object]]:
    return [
        {
            "indicator": s.indicator.code,
            "period_start": p.period_start,
            "period_end": p.period_end,
            "value": float(p.value),
            "source": p.source,
            "change_percent": None if p.change_percent is None else float(p.change_percent),
            "change_fold": None if p.change_fold is None else float(p.change_fold),
        }
        for s in series
        for p in s.points
    ]


@router.get(
    "/units/{unit_id}/kpis",
    response=responses(ValueList, 401, 404, 422),
    summary="A unit's KPI values",
)
def unit_kpis(
    request: HttpRequest, unit_id: int, query: Query[ValueQuery], page: Query[Page]
) -> dict[str, object]:
    """Return the unit's values by indicator and period, with the change from the one before.

    Indicators by name, periods oldest first; a change is null after a missing period or a
    value of 0.
    """
    unit = queries.kpi_unit(request.user, unit_id)
    indicator = None
    if query.indicator:
        indicator = KpiIndicator.objects.filter(code=query.indicator).first()
        if indicator is None:
            raise refuse(request.user, "kpi", query.indicator)
    items = _items(queries.series_of(unit, indicator))
    return {"items": items[page.offset : page.offset + page.limit], "count": len(items)}


@router.post(
    "/units/{unit_id}/kpis",
    response=responses(ValueOut, 400, 401, 404, 422),
    summary="Report a unit's KPI value",
)
def report_kpi(request: HttpRequest, unit_id: int, payload: ValueIn) -> dict[str, object]:
    """Report (or correct) a value for one ended period; answer it with its change.

    400 for a period that is not exactly one of the indicator's kind (a month, a quarter, a
    half-year or a calendar year), not yet ended, a value too large, or without a source;
    404 for a unit the caller does not report for, or an unknown indicator.
    """
    unit = get_visible(request.user, queries.units_reporting(request.user), "unit", unit_id)
    indicator = KpiIndicator.objects.filter(code=payload.indicator).first()
    if indicator is None:
        raise refuse(request.user, "kpi", payload.indicator)
    row: KpiValue = services.report_value(
        acting_user=request.user,  # type: ignore[arg-type]
        indicator=indicator,
        unit=unit,
        period_start=payload.period_start,
        period_end=payload.period_end,
        value=payload.value,
        source=payload.source,
    )
    found = [
        item
        for item in _items(queries.series_of(unit, indicator))
        if item["period_start"] == row.period_start
    ]
    return found[0]
