"""Reads of unit KPIs: a unit's series with period-over-period changes, scoped.

A unit's values are seen by holders of SEE_EMULATION or TAKE_PART_EMULATION over it. Each
value comes with its change from the period before (% and x-fold, `rules.percent_change` /
`fold_change`) and, for periods shorter than a year, from the same period a year earlier.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from lifelong.core.lookups import get_visible
from lifelong.emulation import rules
from lifelong.emulation.models import KpiIndicator, KpiValue
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Unit

__all__ = ["Point", "Series", "kpi_unit", "series_of", "units_reporting"]


def _roots(user: AnyUser) -> list[str]:
    return sorted(
        set(access.scope_of(user, Capability.SEE_EMULATION))
        | set(access.scope_of(user, Capability.TAKE_PART_EMULATION))
    )


def kpi_unit(user: AnyUser, unit_id: object) -> Unit:
    """Return the unit if the user sees its KPIs; else NotFound (audited)."""
    return get_visible(
        user, Unit.objects.filter(access.scope_filter(_roots(user))), "unit", unit_id
    )


def units_reporting(user: AnyUser) -> QuerySet[Unit]:
    """Return the units the user reports KPIs for."""
    roots = access.scope_of(user, Capability.TAKE_PART_EMULATION)
    return Unit.objects.filter(access.scope_filter(roots), valid_to__isnull=True).order_by("path")


@dataclass(frozen=True)
class Point:
    """One period's value and its changes."""

    period_start: datetime.date
    period_end: datetime.date
    value: Decimal
    source: str
    change_percent: Decimal | None
    change_fold: Decimal | None
    year_on_year_percent: Decimal | None


@dataclass(frozen=True)
class Series:
    """An indicator's values for one unit, oldest first."""

    indicator: KpiIndicator
    points: list[Point]

    @property
    def highest(self) -> Decimal:
        """Return the largest value (for drawing bars), at least 1."""
        return max((p.value for p in self.points), default=Decimal(1)) or Decimal(1)


def series_of(unit: Unit, indicator: KpiIndicator | None = None) -> list[Series]:
    """Return the unit's series, one per indicator it reported (or `indicator` only)."""
    rows = KpiValue.objects.filter(unit=unit).select_related("indicator")
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    by_indicator: dict[int, list[KpiValue]] = {}
    indicators: dict[int, KpiIndicator] = {}
    for row in rows.order_by("indicator__name", "period_start"):
        by_indicator.setdefault(row.indicator_id, []).append(row)
        indicators[row.indicator_id] = row.indicator
    found = []
    for indicator_id, values in by_indicator.items():
        kind = indicators[indicator_id].period_kind
        by_start = {v.period_start: v.value for v in values}
        points = []
        for v in values:
            previous = by_start.get(rules.previous_period(kind, v.period_start))
            last_year = (
                by_start.get(v.period_start.replace(year=v.period_start.year - 1))
                if kind != "year"
                else None
            )
            points.append(
                Point(
                    v.period_start,
                    v.period_end,
                    v.value,
                    v.source,
                    rules.percent_change(previous, v.value),
                    rules.fold_change(previous, v.value),
                    rules.percent_change(last_year, v.value),
                )
            )
        found.append(Series(indicators[indicator_id], points))
    return found
