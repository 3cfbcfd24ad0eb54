"""Reads of unit KPIs: the indicators, a unit's series with period-over-period changes, scoped.

A unit's values are seen by holders of SEE_EMULATION or TAKE_PART_EMULATION over it and
reported by holders of TAKE_PART_EMULATION. Each value comes with its change from the period
before (% and x-fold, `rules.percent_change` / `fold_change`) and, for periods shorter than a
year, from the same period a year earlier. Names are in Vietnamese dictionary order.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lifelong.core.lookups import get_visible
from lifelong.core.text import sort_key
from lifelong.emulation import rules
from lifelong.emulation.models import KpiIndicator, KpiValue
from lifelong.org import access
from lifelong.org.access import AnyUser, Capability
from lifelong.org.models import Unit

__all__ = [
    "BAR_WIDTH",
    "Latest",
    "Point",
    "Series",
    "indicators",
    "kpi_unit",
    "latest_by_unit",
    "period_label",
    "reported_in",
    "series_of",
    "units_reporting",
]

# Width in pixels of the longest bar of a series.
BAR_WIDTH = 120


def _roots(user: AnyUser) -> list[str]:
    return sorted(
        set(access.scope_of(user, Capability.SEE_EMULATION))
        | set(access.scope_of(user, Capability.TAKE_PART_EMULATION))
    )


def indicators() -> list[KpiIndicator]:
    """Return every indicator by name (Vietnamese order)."""
    return sorted(KpiIndicator.objects.all(), key=lambda i: (sort_key(i.name), i.code))


def kpi_unit(user: AnyUser, unit_id: object) -> Unit:
    """Return the unit if the user sees its KPIs; else NotFound (audited)."""
    return get_visible(
        user, Unit.objects.filter(access.scope_filter(_roots(user))), "unit", unit_id
    )


def units_reporting(user: AnyUser) -> QuerySet[Unit]:
    """Return the units the user reports KPIs for, by name."""
    roots = access.scope_of(user, Capability.TAKE_PART_EMULATION)
    return Unit.objects.filter(access.scope_filter(roots), valid_to__isnull=True).order_by(
        "sort_key", "code"
    )


def period_label(kind: str, start: datetime.date) -> str:
    """Name the period of `kind` starting on `start`: "Quarter 2/2025", "Year 2025", ..."""
    months = rules.PERIOD_MONTHS[kind]
    number = (start.month - 1) // months + 1
    if kind == "month":
        return _("Month {number}/{year}").format(number=number, year=start.year)
    if kind == "quarter":
        return _("Quarter {number}/{year}").format(number=number, year=start.year)
    if kind == "half":
        return _("Half-year {number}/{year}").format(number=number, year=start.year)
    return _("Year {year}").format(year=start.year)


@dataclass(frozen=True)
class Point:
    """One period's value and its changes (None when they cannot be computed)."""

    period_start: datetime.date
    period_end: datetime.date
    label: str
    value: Decimal
    source: str
    change_percent: Decimal | None
    change_fold: Decimal | None
    year_on_year_percent: Decimal | None
    year_on_year_fold: Decimal | None
    bar: int


@dataclass(frozen=True)
class Series:
    """An indicator's values for one unit, oldest first."""

    indicator: KpiIndicator
    points: list[Point]

    @property
    def compares_years(self) -> bool:
        """Tell whether the same period a year earlier is a second comparison."""
        return self.indicator.period_kind != "year"


def _bar(value: Decimal, highest: Decimal) -> int:
    return int(abs(value) * BAR_WIDTH / highest) if highest else 0


def series_of(unit: Unit, indicator: KpiIndicator | None = None) -> list[Series]:
    """Return the unit's series, one per indicator it reported (or `indicator` only)."""
    rows = KpiValue.objects.filter(unit=unit).select_related("indicator")
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    by_indicator: dict[int, list[KpiValue]] = {}
    known: dict[int, KpiIndicator] = {}
    for row in rows.order_by("indicator_id", "period_start"):
        by_indicator.setdefault(row.indicator_id, []).append(row)
        known[row.indicator_id] = row.indicator
    found = []
    for indicator_id, values in by_indicator.items():
        kind = known[indicator_id].period_kind
        by_start = {v.period_start: v.value for v in values}
        highest = max(abs(v.value) for v in values)
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
                    period_start=v.period_start,
                    period_end=v.period_end,
                    label=period_label(kind, v.period_start),
                    value=v.value,
                    source=v.source,
                    change_percent=rules.percent_change(previous, v.value),
                    change_fold=rules.fold_change(previous, v.value),
                    year_on_year_percent=rules.percent_change(last_year, v.value),
                    year_on_year_fold=rules.fold_change(last_year, v.value),
                    bar=_bar(v.value, highest),
                )
            )
        found.append(Series(known[indicator_id], points))
    found.sort(key=lambda s: (sort_key(s.indicator.name), s.indicator.code))
    return found


@dataclass(frozen=True)
class Latest:
    """A unit's latest value of an indicator and its change from the period before."""

    unit: Unit
    value: KpiValue
    label: str
    change_percent: Decimal | None
    change_fold: Decimal | None


def latest_by_unit(user: AnyUser, indicator: KpiIndicator) -> list[Latest]:
    """Return, per unit the user sees, its latest value of `indicator`, by unit name."""
    values = (
        KpiValue.objects.filter(indicator=indicator)
        .filter(access.scope_filter(_roots(user), "unit__path"))
        .select_related("unit")
        .order_by("unit_id", "period_start")
    )
    by_unit: dict[int, list[KpiValue]] = {}
    for value in values:
        by_unit.setdefault(value.unit_id, []).append(value)
    found = []
    for series in by_unit.values():
        last = series[-1]
        previous_start = rules.previous_period(indicator.period_kind, last.period_start)
        before = next((v.value for v in series if v.period_start == previous_start), None)
        found.append(
            Latest(
                unit=last.unit,
                value=last,
                label=period_label(indicator.period_kind, last.period_start),
                change_percent=rules.percent_change(before, last.value),
                change_fold=rules.fold_change(before, last.value),
            )
        )
    found.sort(key=lambda r: (r.unit.sort_key, r.unit.code))
    return found


def reported_in(unit: Unit, kind: str, period_start: datetime.date) -> dict[int, KpiValue]:
    """Return the unit's values of indicators of `kind` for the period starting then."""
    rows = KpiValue.objects.filter(
        unit=unit, indicator__period_kind=kind, period_start=period_start
    )
    return {row.indicator_id: row for row in rows}
